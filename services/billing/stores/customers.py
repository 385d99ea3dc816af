"""The customers store: customer records with their matching keys, and the match reviews officers decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.customer_identity import MatchingKeys, matching_keys
from services.billing.domain.customer_search import customer_search_words
from services.billing.parties import customer_identity, stored_party
from shared.contracts.council_systems import LiableParty
from shared.persistence.stores import optional_row_as

# Three searches in a UNION, each on its own index (with OR between them PostgreSQL scans every customer).
_CANDIDATES = text(
    """
    SELECT c.customer_id, c.identity
    FROM (
        SELECT customer_id FROM customer WHERE reference_keys && CAST(:reference_keys AS text[])
        UNION
        SELECT customer_id FROM customer WHERE surname_key = :surname_key
            AND (date_of_birth = CAST(:date_of_birth AS date) OR postcodes && CAST(:postcodes AS text[]))
        UNION
        SELECT customer_id FROM customer WHERE organisation_key = :organisation_key
            AND postcodes && CAST(:postcodes AS text[])
    ) AS candidate
    JOIN customer c ON c.customer_id = candidate.customer_id
    WHERE c.merged_into IS NULL
    LIMIT 50
    """
)
_INSERT_CUSTOMER = text(
    """
    INSERT INTO customer (customer_id, kind, identity, surname_key, organisation_key, date_of_birth, postcodes,
                          reference_keys, search_words)
    VALUES (:customer_id, :kind, CAST(:identity AS json), :surname_key, :organisation_key,
            CAST(:date_of_birth AS date), CAST(:postcodes AS text[]), CAST(:reference_keys AS text[]),
            CAST(:search_words AS text[]))
    """
)
_AMEND_CUSTOMER = text(
    """
    UPDATE customer SET identity = CAST(:identity AS json), date_of_birth = CAST(:date_of_birth AS date),
        postcodes = CAST(:postcodes AS text[]), reference_keys = CAST(:reference_keys AS text[]),
        search_words = CAST(:search_words AS text[])
    WHERE customer_id = :customer_id
    """
)
_FLAG = text(
    "INSERT INTO customer_match_review (review_id, customer_id, possible_matches, reasons) "
    "VALUES (:review_id, :customer_id, CAST(:possible AS uuid[]), CAST(:reasons AS text[]))"
)
_REVIEW_FOR_DECISION = text(
    "SELECT customer_id, possible_matches, status FROM customer_match_review "
    "WHERE review_id = :review_id FOR UPDATE"
)
_REJECT = text(
    "UPDATE customer_match_review SET status = 'rejected', decided_by = :officer, decided_at = now() "
    "WHERE review_id = :review_id"
)
_CONFIRM = text(
    "UPDATE customer_match_review SET status = 'confirmed', confirmed_customer_id = :confirmed, "
    "decided_by = :officer, decided_at = now() WHERE review_id = :review_id"
)
_IDENTITIES = text("SELECT customer_id, identity FROM customer WHERE customer_id = ANY(CAST(:ids AS uuid[]))")
_MOVE_DEBTS = text(
    "UPDATE debt_party SET customer_id = :confirmed WHERE customer_id = :provisional "
    "AND debt_id NOT IN (SELECT debt_id FROM debt_party WHERE customer_id = :confirmed) RETURNING debt_id"
)
_MERGE = text("UPDATE customer SET merged_into = :confirmed WHERE customer_id = :provisional")
_CUSTOMER = text("SELECT customer_id, merged_into FROM customer WHERE customer_id = :id")
_OPEN_REVIEWS = text(
    "SELECT review_id, customer_id, possible_matches, reasons, created_at FROM customer_match_review "
    "WHERE status = 'open' ORDER BY created_at LIMIT 500"
)


@dataclass(frozen=True)
class StoredCustomer:
    """A customer record: who they are, as the council system first described them and amended since."""

    customer_id: UUID
    identity: LiableParty


@dataclass(frozen=True)
class CustomerRecord:
    """That a customer exists, and the customer they were merged into, if any."""

    customer_id: UUID
    merged_into: UUID | None


@dataclass(frozen=True)
class MatchReview:
    """A flagged match as an officer decides it."""

    customer_id: UUID
    possible_matches: tuple[UUID, ...]
    status: str


@dataclass(frozen=True)
class OpenMatchReview:
    """A flagged match waiting for an officer."""

    review_id: UUID
    customer_id: UUID
    possible_matches: tuple[UUID, ...]
    reasons: tuple[str, ...]
    flagged_at: datetime | None


def _columns(party: LiableParty) -> dict[str, object]:
    identity = customer_identity(party)
    keys: MatchingKeys = matching_keys(identity)
    return {
        "kind": identity.kind.value,
        "identity": party.model_dump_json(),
        "surname_key": keys.surname_key,
        "organisation_key": keys.organisation_key,
        "date_of_birth": identity.date_of_birth,
        "postcodes": list(keys.postcodes),
        "reference_keys": list(keys.reference_keys),
        "search_words": customer_search_words(identity),
    }


class CustomerStore:
    """Customers and match reviews, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def candidates(self, party: LiableParty) -> list[StoredCustomer]:
        """Customers not merged away who share a reference, a surname with a date of birth or postcode, or an
        organisation name with a postcode (at most 50)."""
        identity = customer_identity(party)
        keys = matching_keys(identity)
        rows = await self.session.execute(
            _CANDIDATES,
            {
                "reference_keys": list(keys.reference_keys),
                "surname_key": keys.surname_key,
                "date_of_birth": identity.date_of_birth,
                "postcodes": list(keys.postcodes),
                "organisation_key": keys.organisation_key,
            },
        )
        return [StoredCustomer(row.customer_id, stored_party(row.identity)) for row in rows]

    async def register(self, customer_id: UUID, party: LiableParty) -> None:
        """Write a new customer record with its matching keys."""
        await self.session.execute(_INSERT_CUSTOMER, {"customer_id": customer_id, **_columns(party)})

    async def amend(self, customer_id: UUID, party: LiableParty) -> None:
        """Replace the customer's identity (and matching keys) with the amended one."""
        await self.session.execute(_AMEND_CUSTOMER, {"customer_id": customer_id, **_columns(party)})

    async def flag_for_review(
        self, review_id: UUID, customer_id: UUID, possible: list[UUID], reasons: list[str]
    ) -> None:
        """Open a review of a provisional customer's possible matches."""
        await self.session.execute(
            _FLAG,
            {"review_id": review_id, "customer_id": customer_id, "possible": possible, "reasons": reasons},
        )

    async def review_for_decision(self, review_id: UUID) -> MatchReview | None:
        """The review, locked while an officer's decision is applied."""
        row = (await self.session.execute(_REVIEW_FOR_DECISION, {"review_id": review_id})).first()
        if row is None:
            return None
        return MatchReview(row.customer_id, tuple(row.possible_matches), row.status)

    async def reject_review(self, review_id: UUID, officer: str) -> None:
        """They stay two customers."""
        await self.session.execute(_REJECT, {"officer": officer, "review_id": review_id})

    async def confirm_review(self, review_id: UUID, confirmed: UUID, officer: str) -> None:
        """The review is closed as confirmed."""
        await self.session.execute(
            _CONFIRM, {"confirmed": confirmed, "officer": officer, "review_id": review_id}
        )

    async def identities(self, customer_ids: list[UUID]) -> dict[UUID, LiableParty]:
        """The stored identity of each customer."""
        rows = await self.session.execute(_IDENTITIES, {"ids": customer_ids})
        return {row.customer_id: stored_party(row.identity) for row in rows}

    async def move_debts(self, provisional: UUID, confirmed: UUID) -> list[UUID]:
        """The provisional customer's debts become the confirmed customer's; returns the debts moved."""
        rows = await self.session.execute(_MOVE_DEBTS, {"confirmed": confirmed, "provisional": provisional})
        return [row.debt_id for row in rows]

    async def mark_merged(self, provisional: UUID, confirmed: UUID) -> None:
        """The provisional record is kept, marked as merged into the confirmed one."""
        await self.session.execute(_MERGE, {"confirmed": confirmed, "provisional": provisional})

    async def record(self, customer_id: UUID) -> CustomerRecord | None:
        """The customer, if billing holds them."""
        row = (await self.session.execute(_CUSTOMER, {"id": customer_id})).first()
        return optional_row_as(CustomerRecord, row)

    async def open_reviews(self) -> list[OpenMatchReview]:
        """Flagged matches waiting for an officer, oldest first (at most 500)."""
        return [
            OpenMatchReview(
                row.review_id,
                row.customer_id,
                tuple(row.possible_matches),
                tuple(row.reasons),
                row.created_at,
            )
            for row in await self.session.execute(_OPEN_REVIEWS)
        ]
