"""The annual billing run's store: the chunk's duplicates and matching candidates found set-based, and the
chunk's rows written with COPY (customers, refusals, reviews, debts, parties, lines, charge postings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.customer_identity import CustomerIdentity
from services.billing.parties import customer_identity, stored_party
from shared.money import Pence

CustomerRow = tuple[UUID, str, str, str | None, str | None, date | None, list[str], list[str], list[str]]
"""customer_id, kind, identity (JSON), surname_key, organisation_key, date_of_birth, postcodes, reference_keys,
search_words"""
RefusalRow = tuple[UUID, str, str, str, list[str], str, date]
"""refusal_id, request_kind, requesting_system, external_reference, reasons, request (JSON), refused_on"""
ReviewRow = tuple[UUID, UUID, list[UUID], list[str]]
"""review_id, customer_id, possible_matches, reasons"""
DebtRow = tuple[UUID, str, str, str, Pence, str | None, date, date, str, str, str, str | None, Pence]
"""debt_id, requesting_system, external_reference, debt_type, amount_pence, financial_year, due_date, raised_on,
originating_service, income_code, evidence_reference, account_reference, balance_pence"""
PartyRow = tuple[UUID, UUID]
"""debt_id, customer_id"""
LineRow = tuple[UUID, int, str, date, Pence, Pence]
"""debt_id, number, kind, due_date, amount_pence, outstanding_pence"""
PostingRow = tuple[UUID, str, Pence, date, str]
"""debt_id, kind, amount_pence, posted_on, cause_reference"""

_EXISTING = text(
    "SELECT external_reference FROM debt WHERE requesting_system = :system "
    "AND external_reference = ANY(CAST(:references AS text[]))"
)
_CANDIDATE_COLUMNS = (
    "c.customer_id, c.identity, c.reference_keys, c.surname_key, c.postcodes, c.date_of_birth"
)
_CANDIDATES = text(
    f"""
    SELECT {_CANDIDATE_COLUMNS} FROM unnest(CAST(:reference_keys AS text[])) AS k(key)
    CROSS JOIN LATERAL (
        SELECT * FROM customer WHERE reference_keys @> ARRAY[k.key] AND merged_into IS NULL) AS c
    UNION ALL
    SELECT {_CANDIDATE_COLUMNS} FROM customer c WHERE c.surname_key = ANY(CAST(:surnames AS text[]))
        AND (c.postcodes && CAST(:postcodes AS text[]) OR c.date_of_birth = ANY(CAST(:dates_of_birth AS date[])))
        AND c.merged_into IS NULL
    """
)
"""Anyone who could reach at least POSSIBLE: a shared reference, or the same surname with a postcode or date of
birth in common (the pairing is checked per account in Python; SQL narrows it to the chunk's). Two queries, each
on its own index, and no join back to the customer table: with OR between them, or one overlap test against
thousands of references, PostgreSQL compares every customer with every reference; a lateral lookup per
reference uses the index. A customer found both ways comes twice; the caller keys them by id."""

_ANALYZE = text("ANALYZE customer, debt, debt_party")
_BEGIN = text("SELECT 1")
"""Any statement through the session, so its transaction has begun on the server before the raw COPY."""


@dataclass(frozen=True)
class Candidate:
    """A customer an account could be matched to, with the keys it is found by."""

    customer_id: UUID
    identity: CustomerIdentity
    reference_keys: tuple[str, ...]
    surname_key: str | None
    postcodes: tuple[str, ...]
    date_of_birth: date | None


@dataclass
class ChunkRows:
    """Every row one chunk of the run writes, prepared before its transaction starts."""

    customers: list[CustomerRow]
    refused: list[RefusalRow]
    reviews: list[ReviewRow]
    debts: list[DebtRow]
    parties: list[PartyRow]
    lines: list[LineRow]
    postings: list[PostingRow]


class BillingRunStore:
    """The run's reads and COPY writes, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def existing_references(self, requesting_system: str, references: list[str]) -> set[str]:
        """Which of these external references the system already raised a debt under."""
        rows = await self.session.execute(_EXISTING, {"system": requesting_system, "references": references})
        return {row.external_reference for row in rows}

    async def candidates(
        self,
        reference_keys: list[str],
        surnames: list[str],
        postcodes: list[str],
        dates_of_birth: list[date],
    ) -> list[Candidate]:
        """Every stored customer any account of the chunk could match (see `_CANDIDATES`)."""
        rows = await self.session.execute(
            _CANDIDATES,
            {
                "reference_keys": reference_keys,
                "surnames": surnames,
                "postcodes": postcodes,
                "dates_of_birth": dates_of_birth,
            },
        )
        return [
            Candidate(
                row.customer_id,
                customer_identity(stored_party(row.identity)),
                tuple(row.reference_keys),
                row.surname_key,
                tuple(row.postcodes),
                row.date_of_birth,
            )
            for row in rows
        ]

    async def copy(self, rows: ChunkRows) -> None:
        """COPY the chunk's rows into their tables, inside the session's transaction.

        SQLAlchemy's asyncpg adapter sends BEGIN only with the first statement it executes itself; a COPY on the
        raw connection before that runs in autocommit, each table committed on its own (a run killed between
        two COPYs left debts without instalments or events, and its rerun refused them as already raised). So
        a statement goes through the session first, and the COPY checks it is inside the transaction."""
        await self.session.execute(_BEGIN)
        connection = await (await self.session.connection()).get_raw_connection()
        raw = connection.driver_connection
        assert raw is not None
        if not raw.is_in_transaction():
            raise RuntimeError(
                "the billing run's COPY would commit on its own, outside the chunk's transaction"
            )
        if rows.customers:
            await raw.copy_records_to_table(
                "customer",
                schema_name="billing",
                records=rows.customers,
                columns=[
                    "customer_id",
                    "kind",
                    "identity",
                    "surname_key",
                    "organisation_key",
                    "date_of_birth",
                    "postcodes",
                    "reference_keys",
                    "search_words",
                ],
            )
        if rows.refused:
            await raw.copy_records_to_table(
                "refused_request",
                schema_name="billing",
                records=rows.refused,
                columns=[
                    "refusal_id",
                    "request_kind",
                    "requesting_system",
                    "external_reference",
                    "reasons",
                    "request",
                    "refused_on",
                ],
            )
        if rows.reviews:
            await raw.copy_records_to_table(
                "customer_match_review",
                schema_name="billing",
                records=rows.reviews,
                columns=["review_id", "customer_id", "possible_matches", "reasons"],
            )
        if rows.debts:
            await raw.copy_records_to_table(
                "debt",
                schema_name="billing",
                records=rows.debts,
                columns=[
                    "debt_id",
                    "requesting_system",
                    "external_reference",
                    "debt_type",
                    "amount_pence",
                    "financial_year",
                    "due_date",
                    "raised_on",
                    "originating_service",
                    "income_code",
                    "evidence_reference",
                    "account_reference",
                    "balance_pence",
                ],
            )
            await raw.copy_records_to_table(
                "debt_party", schema_name="billing", records=rows.parties, columns=["debt_id", "customer_id"]
            )
            await raw.copy_records_to_table(
                "debt_line",
                schema_name="billing",
                records=rows.lines,
                columns=["debt_id", "number", "kind", "due_date", "amount_pence", "outstanding_pence"],
            )
            await raw.copy_records_to_table(
                "posting",
                schema_name="billing",
                records=rows.postings,
                columns=["debt_id", "kind", "amount_pence", "posted_on", "cause_reference"],
            )

    async def refresh_statistics(self) -> None:
        """Let the planner see how far the run has filled the customer and debt tables."""
        await self.session.execute(_ANALYZE)
