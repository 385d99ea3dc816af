"""Who owes a debt: every liable party is matched against the customers billing already knows.

A single exact match is linked (and the record amended if the party brings a new address or reference);
nobody like them is a new customer; anything uncertain becomes a new, provisional customer and a review for an
officer, who confirms or rejects the match. Never merged silently (DESIGN.md, Money and identity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.customer_identity import (
    CustomerAction,
    CustomerIdentity,
    decide_customer,
    identity_adds_to,
    matching_keys,
)
from services.billing.parties import amended_party, customer_identity, stored_party
from shared.contracts.billing import (
    CustomerAmended,
    CustomerMatchFlagged,
    CustomerMatchResolved,
    CustomerRegistered,
)
from shared.contracts.council_systems import LiableParty
from shared.contracts.envelope import Contract
from shared.ids import new_id

# Three searches in a UNION, each on its own index (with OR between them PostgreSQL scans every customer).
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
                          reference_keys)
    VALUES (:customer_id, :kind, CAST(:identity AS json), :surname_key, :organisation_key,
            CAST(:date_of_birth AS date), CAST(:postcodes AS text[]), CAST(:reference_keys AS text[]))
    """
)

_AMEND_CUSTOMER = text(
    """
    UPDATE customer SET identity = CAST(:identity AS json), date_of_birth = CAST(:date_of_birth AS date),
        postcodes = CAST(:postcodes AS text[]), reference_keys = CAST(:reference_keys AS text[])
    WHERE customer_id = :customer_id
    """
)


@dataclass
class CustomerResolution:
    """The customers a charge's parties resolved to, and the events that announce new or changed records."""

    customer_ids: list[UUID] = field(default_factory=list)
    events: list[Contract] = field(default_factory=list)


def _columns(party: LiableParty, identity: CustomerIdentity) -> dict[str, object]:
    keys = matching_keys(identity)
    return {
        "kind": identity.kind.value,
        "identity": party.model_dump_json(),
        "surname_key": keys.surname_key,
        "organisation_key": keys.organisation_key,
        "date_of_birth": identity.date_of_birth,
        "postcodes": list(keys.postcodes),
        "reference_keys": list(keys.reference_keys),
    }


async def register_customer(session: AsyncSession, party: LiableParty) -> UUID:
    """Write a new customer record (the caller publishes CustomerRegistered)."""
    customer_id = new_id()
    await session.execute(
        _INSERT_CUSTOMER, {"customer_id": customer_id, **_columns(party, customer_identity(party))}
    )
    return customer_id


async def resolve_parties(session: AsyncSession, parties: list[LiableParty]) -> CustomerResolution:
    """Find or register the customer for each liable party (joint liability: several)."""
    resolution = CustomerResolution()
    for party in parties:
        identity = customer_identity(party)
        keys = matching_keys(identity)
        rows = (
            await session.execute(
                _CANDIDATES,
                {
                    "reference_keys": list(keys.reference_keys),
                    "surname_key": keys.surname_key,
                    "date_of_birth": identity.date_of_birth,
                    "postcodes": list(keys.postcodes),
                    "organisation_key": keys.organisation_key,
                },
            )
        ).all()
        known = {str(row.customer_id): stored_party(row.identity) for row in rows}
        decision = decide_customer(identity, [(cid, customer_identity(p)) for cid, p in known.items()])
        if decision.action is CustomerAction.LINK and decision.customer_id is not None:
            customer_id = UUID(decision.customer_id)
            existing = known[decision.customer_id]
            if identity_adds_to(identity, customer_identity(existing)):
                amended = amended_party(existing, party)
                columns = _columns(amended, customer_identity(amended))
                await session.execute(_AMEND_CUSTOMER, {"customer_id": customer_id, **columns})
                resolution.events.append(CustomerAmended(customer_id=customer_id, identity=amended))
        else:
            customer_id = await register_customer(session, party)
            resolution.events.append(CustomerRegistered(customer_id=customer_id, identity=party))
            if decision.action is CustomerAction.REVIEW:
                resolution.events.append(await _flag_for_review(session, customer_id, decision.matches))
        if customer_id not in resolution.customer_ids:
            resolution.customer_ids.append(customer_id)
    return resolution


async def _flag_for_review(session: AsyncSession, customer_id: UUID, matches: tuple) -> CustomerMatchFlagged:
    review_id = new_id()
    possible = [UUID(m.customer_id) for m in matches]
    reasons = [f"{m.customer_id}: {m.match.outcome.value}: {', '.join(m.match.reasons)}" for m in matches]
    await session.execute(
        text(
            "INSERT INTO customer_match_review (review_id, customer_id, possible_matches, reasons) "
            "VALUES (:review_id, :customer_id, CAST(:possible AS uuid[]), CAST(:reasons AS text[]))"
        ),
        {"review_id": review_id, "customer_id": customer_id, "possible": possible, "reasons": reasons},
    )
    return CustomerMatchFlagged(
        customer_id=customer_id, possible_matches=possible, reasons=reasons, review_id=review_id
    )


class ReviewNotOpen(Exception):
    """The review does not exist, was already decided, or the chosen customer was not one of its matches."""


async def decide_match_review(
    session: AsyncSession, review_id: UUID, *, confirmed_customer_id: UUID | None, officer: str
) -> list[Contract]:
    """An officer's decision on a flagged match.

    Confirmed: the provisional customer's debts move to the confirmed customer, whose record gains the
    provisional one's addresses and references; the provisional record is kept, marked as merged. Rejected
    (`confirmed_customer_id` None): they stay separate customers.
    """
    review = (
        await session.execute(
            text(
                "SELECT customer_id, possible_matches, status FROM customer_match_review "
                "WHERE review_id = :review_id FOR UPDATE"
            ),
            {"review_id": review_id},
        )
    ).first()
    if review is None or review.status != "open":
        raise ReviewNotOpen("no open review with that id")
    if confirmed_customer_id is None:
        await session.execute(
            text(
                "UPDATE customer_match_review SET status = 'rejected', decided_by = :officer, "
                "decided_at = now() WHERE review_id = :review_id"
            ),
            {"officer": officer, "review_id": review_id},
        )
        return [
            CustomerMatchResolved(
                review_id=review_id, customer_id=review.customer_id, outcome="rejected", decided_by=officer
            )
        ]
    if confirmed_customer_id not in review.possible_matches:
        raise ReviewNotOpen("the confirmed customer was not one of the review's possible matches")
    identities = {
        row.customer_id: stored_party(row.identity)
        for row in await session.execute(
            text("SELECT customer_id, identity FROM customer WHERE customer_id IN (:a, :b)"),
            {"a": review.customer_id, "b": confirmed_customer_id},
        )
    }
    merged = amended_party(identities[confirmed_customer_id], identities[review.customer_id])
    merged = merged.model_copy(update={"address": identities[confirmed_customer_id].address})
    await session.execute(
        _AMEND_CUSTOMER, {"customer_id": confirmed_customer_id, **_columns(merged, customer_identity(merged))}
    )
    moved = [
        row.debt_id
        for row in await session.execute(
            text(
                "UPDATE debt_party SET customer_id = :confirmed WHERE customer_id = :provisional "
                "AND debt_id NOT IN (SELECT debt_id FROM debt_party WHERE customer_id = :confirmed) "
                "RETURNING debt_id"
            ),
            {"confirmed": confirmed_customer_id, "provisional": review.customer_id},
        )
    ]
    await session.execute(
        text("UPDATE customer SET merged_into = :confirmed WHERE customer_id = :provisional"),
        {"confirmed": confirmed_customer_id, "provisional": review.customer_id},
    )
    await session.execute(
        text(
            "UPDATE customer_match_review SET status = 'confirmed', confirmed_customer_id = :confirmed, "
            "decided_by = :officer, decided_at = now() WHERE review_id = :review_id"
        ),
        {"confirmed": confirmed_customer_id, "officer": officer, "review_id": review_id},
    )
    return [
        CustomerAmended(customer_id=confirmed_customer_id, identity=merged),
        CustomerMatchResolved(
            review_id=review_id,
            customer_id=review.customer_id,
            outcome="confirmed",
            confirmed_customer_id=confirmed_customer_id,
            moved_debt_ids=moved,
            decided_by=officer,
        ),
    ]
