"""The annual council tax billing run: every account's bill for the year, raised in bulk.

Set-based: accounts are read in chunks; for each chunk one query finds the existing debts under the same
references (a rerun refuses them as duplicates), one query finds every existing customer that could match, the
domain validates each account and decides LINK / REVIEW / CREATE, and customers, debts, liable parties,
instalment lines and charge postings are written with COPY, the events with one outbox insert, in one
transaction per chunk. A chunk that fails leaves nothing behind; a rerun picks up where it stopped.

Input: CSV with a header row: account_reference, title, first_names, surname, date_of_birth (YYYY-MM-DD or
empty), address (lines separated by '|'), postcode, annual_charge (pounds, e.g. 1234.56), first_due_date,
instalments (10 or 12, empty for the council's default), income_code.
"""

from __future__ import annotations

import asyncio
import csv
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from uuid import UUID

import structlog

from services.billing.billing import Billing, BillingHandling
from services.billing.charges import refusal_reasons
from services.billing.domain.billing_rules import BillingRules
from services.billing.domain.customer_identity import (
    CustomerAction,
    CustomerIdentity,
    MatchingKeys,
    decide_customer,
    matching_keys,
)
from services.billing.domain.customer_search import customer_search_words
from services.billing.domain.instalments import Instalment, council_tax_instalments, split_into_instalments
from services.billing.parties import customer_identity
from services.billing.stores import BillingStores
from services.billing.stores.billing_run import (
    Candidate,
    ChunkRows,
    CustomerRow,
    DebtRow,
    LineRow,
    PartyRow,
    PostingRow,
    RefusalRow,
    ReviewRow,
)
from shared.contracts.billing import (
    ChargeRefused,
    CustomerMatchFlagged,
    CustomerRegistered,
    DebtRaised,
    InstalmentDue,
)
from shared.contracts.council_systems import (
    ChargeRequested,
    InstalmentPlanRequest,
    LiableParty,
    PostalAddress,
)
from shared.contracts.envelope import Contract
from shared.ids import new_id
from shared.messaging.outbox import PreparedEvents
from shared.money import pounds_to_pence

log = structlog.get_logger("billing.annual_billing_run")

REQUESTING_SYSTEM = "council_tax_billing_run"
ORIGINATING_SERVICE = "Revenues"


@dataclass
class BillingRunOutcome:
    """What a run did, for the officer and the benchmark."""

    financial_year: str
    raised: int = 0
    refused: int = 0
    customers_created: int = 0
    customers_linked: int = 0
    flagged_for_review: int = 0
    refusals: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class AccountRow:
    """One CSV row: the charge request it stands for, or why it could not even be read."""

    external_reference: str
    request: ChargeRequested | None
    unreadable: str | None = None


def read_accounts(
    rows: Iterable[dict[str, str]], financial_year: str, raised_on: date, rules: BillingRules
) -> Iterator[AccountRow]:
    """Each CSV row as the charge request it stands for (validation happens on the request, as for any); a
    row that cannot be read is refused on its own, never the whole run."""
    for number, row in enumerate(rows, start=2):
        account = (row.get("account_reference") or "").strip()
        reference = f"CT-{financial_year}-{account}" if account else f"CT-{financial_year}-line-{number}"
        try:
            yield AccountRow(
                reference, _charge_request(row, account, reference, financial_year, raised_on, rules)
            )
        except (ValueError, KeyError, ArithmeticError) as error:
            yield AccountRow(reference, None, f"line {number} cannot be read: {error}".splitlines()[0])


def _charge_request(
    row: dict[str, str],
    account: str,
    reference: str,
    financial_year: str,
    raised_on: date,
    rules: BillingRules,
) -> ChargeRequested:
    lines = [part.strip() for part in (row.get("address") or "").split("|") if part.strip()]
    dob = (row.get("date_of_birth") or "").strip()
    instalments = (row.get("instalments") or "").strip()
    return ChargeRequested(
        external_reference=reference,
        requesting_system=REQUESTING_SYSTEM,
        originating_service=ORIGINATING_SERVICE,
        debt_type="council_tax",
        amount_pence=pounds_to_pence((row.get("annual_charge") or "").strip() or "0"),
        liable_parties=[
            LiableParty(
                kind="person",
                title=(row.get("title") or "").strip() or None,
                first_names=(row.get("first_names") or "").strip() or None,
                surname=(row.get("surname") or "").strip() or None,
                date_of_birth=date.fromisoformat(dob) if dob else None,
                address=PostalAddress(
                    lines=lines or ["(no address given)"], postcode=row.get("postcode") or ""
                ),
                references={"council_tax_account": account} if account else {},
            )
        ],
        raised_on=raised_on,
        income_code=(row.get("income_code") or "CT").strip(),
        evidence_reference=f"annual council tax bill {financial_year}",
        financial_year=financial_year,
        instalment_plan=InstalmentPlanRequest(
            instalments=int(instalments) if instalments else rules.council_tax_instalments,
            first_due_date=date.fromisoformat((row.get("first_due_date") or "").strip()),
        ),
    )


def _chunks(requests: Iterator[AccountRow], size: int) -> Iterator[list[AccountRow]]:
    while chunk := list(islice(requests, size)):
        yield chunk


async def run_annual_billing(
    billing: Billing, csv_lines: Iterable[str], financial_year: str, *, chunk_size: int = 1500
) -> BillingRunOutcome:
    """Raise the year's council tax for every account in the CSV, a chunk per transaction.

    Pipelined: while PostgreSQL writes one chunk, the next is read, matched and prepared, so the database and
    the run's own work overlap instead of taking turns. Chunks are still written one after another, each in
    its own transaction."""
    outcome = BillingRunOutcome(financial_year)
    requests = read_accounts(csv.DictReader(csv_lines), financial_year, billing.clock.today(), billing.rules)
    run = RunCustomers()
    statistics = TableStatistics()
    writing: asyncio.Task[None] | None = None
    try:
        for chunk in _chunks(requests, chunk_size):
            async with billing.runtime.transaction(BillingStores.on, billing) as handling:
                writes = await _prepare_chunk(handling, chunk, outcome, run)
            if writing is not None:
                await writing
            writing = asyncio.create_task(_write_chunk(billing, writes, outcome, statistics))
        if writing is not None:
            await writing
    finally:
        if writing is not None and not writing.done():
            writing.cancel()
    return outcome


async def _write_chunk(
    billing: Billing, writes: ChunkWrites, outcome: BillingRunOutcome, statistics: TableStatistics
) -> None:
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        await writes.write(handling)
    log.info("billing run chunk committed", raised=outcome.raised, refused=outcome.refused)
    await statistics.refresh_as_tables_grow(billing, len(writes.rows.debts))


class TableStatistics:
    """Keeps the planner's picture of the customer and debt tables true while a run fills them.

    On a new system the first run starts with empty tables, and until autovacuum catches up the planner thinks
    they still are: the customer search then compares every account of a chunk with every customer (16 s for the
    third chunk of a first run instead of 0.2 s). Re-analysing each time the tables have doubled costs a few
    hundred milliseconds in all."""

    def __init__(self, first_after: int = 2500) -> None:
        self.written = 0
        self.next_analysis = first_after

    async def refresh_as_tables_grow(self, billing: Billing, written: int) -> None:
        """Count the rows written; analyse the tables once they have doubled since last time."""
        self.written += written
        if self.written >= self.next_analysis:
            async with billing.runtime.transaction(BillingStores.on, billing) as handling:
                await handling.stores.billing_run.refresh_statistics()
            self.next_analysis = 2 * self.written
            log.info("billing run refreshed table statistics", rows_written=self.written)


class RunCustomers:
    """The customers a run matches accounts against: those stored that the chunk's search found, and those the
    run itself created that may not be committed yet (the chunk being written while this one is prepared, and
    earlier accounts of this chunk), so two properties of one new person become one customer. Also every
    account reference the run has raised, so a repeated account is refused as a duplicate."""

    def __init__(self) -> None:
        self.references: set[str] = set()
        self._previous: list[Candidate] = []
        self._current: list[Candidate] = []
        self._by_reference: dict[str, dict[UUID, Candidate]] = {}
        self._by_surname: dict[str, dict[UUID, Candidate]] = {}

    def forget_committed(self) -> None:
        """A new chunk: the one before last has been committed, so the database's search finds its customers."""
        self._previous, self._current = self._current, []
        self._by_reference, self._by_surname = {}, {}
        for candidate in self._previous:
            self._index(candidate)

    def add(self, candidate: Candidate, *, stored: bool) -> None:
        """A customer to match against: found in the database, or just created by the run."""
        if not stored:
            self._current.append(candidate)
        self._index(candidate)

    def _index(self, candidate: Candidate) -> None:
        for reference in candidate.reference_keys:
            self._by_reference.setdefault(reference, {})[candidate.customer_id] = candidate
        if candidate.surname_key:
            self._by_surname.setdefault(candidate.surname_key, {})[candidate.customer_id] = candidate

    def candidates(self, identity: CustomerIdentity, key: MatchingKeys) -> list[Candidate]:
        """Anyone who could reach at least POSSIBLE: a shared reference, or the same surname with the same date
        of birth or a postcode in common."""
        found: dict[UUID, Candidate] = {}
        for reference in key.reference_keys:
            found.update(self._by_reference.get(reference, {}))
        postcodes = set(key.postcodes)
        for candidate in self._by_surname.get(key.surname_key or "", {}).values():
            if candidate.date_of_birth == identity.date_of_birth or postcodes.intersection(
                candidate.postcodes
            ):
                found[candidate.customer_id] = candidate
        return list(found.values())


@lru_cache(maxsize=64)
def _due_dates(first_due_date: date, count: int) -> tuple[date, ...]:
    # Every account in a run shares its instalment dates; only the amounts differ.
    return tuple(i.due_date for i in council_tax_instalments(count * 100, first_due_date, count))


def _schedule(amount_pence: int, first_due_date: date, count: int, rounding_pence: int) -> list[Instalment]:
    """The council tax plan (council_tax_instalments), its dates computed once per run."""
    amounts = split_into_instalments(amount_pence, count, rounding_pence)
    return [
        Instalment(n, due, amount)
        for n, (due, amount) in enumerate(
            zip(_due_dates(first_due_date, count), amounts, strict=True), start=1
        )
    ]


async def _prepare_chunk(
    handling: BillingHandling, rows: list[AccountRow], outcome: BillingRunOutcome, run: RunCustomers
) -> ChunkWrites:
    started = time.perf_counter()
    store, billing = handling.stores.billing_run, handling.service
    chunk = [row.request for row in rows if row.request is not None]
    unreadable = [
        (row.external_reference, [row.unreadable or "unreadable"]) for row in rows if row.request is None
    ]
    existing = await store.existing_references(REQUESTING_SYSTEM, [r.external_reference for r in chunk])
    identities = [customer_identity(r.liable_parties[0]) if r.liable_parties else None for r in chunk]
    keys = [matching_keys(i) if i else None for i in identities]
    candidates = await store.candidates(
        reference_keys=sorted({k for key in keys if key for k in key.reference_keys}),
        surnames=sorted({key.surname_key for key in keys if key and key.surname_key}),
        postcodes=sorted({p for key in keys if key for p in key.postcodes}),
        dates_of_birth=sorted({i.date_of_birth for i in identities if i and i.date_of_birth}),
    )
    run.forget_committed()
    for candidate in candidates:
        run.add(candidate, stored=True)

    today = billing.clock.today()
    rules = billing.rules
    customers: list[CustomerRow] = []
    debts: list[DebtRow] = []
    parties: list[PartyRow] = []
    lines: list[LineRow] = []
    postings: list[PostingRow] = []
    reviews: list[ReviewRow] = []
    events: list[Contract] = []
    refused: list[RefusalRow] = [
        (new_id(), "charge", REQUESTING_SYSTEM, reference, reasons, "{}", today)
        for reference, reasons in unreadable
    ]
    for position, (request, identity, key) in enumerate(zip(chunk, identities, keys, strict=True)):
        if position % 250 == 0:
            await asyncio.sleep(0)  # let the previous chunk's COPY stream on while this one is prepared
        reference = request.external_reference
        reasons = refusal_reasons(request, reference in existing or reference in run.references, rules)
        if reasons:
            refused.append(
                (
                    new_id(),
                    "charge",
                    REQUESTING_SYSTEM,
                    request.external_reference,
                    reasons,
                    request.model_dump_json(),
                    today,
                )
            )
            continue
        assert identity is not None and key is not None
        run.references.add(reference)  # the same account twice in one run: the second is a duplicate
        party = request.liable_parties[0]
        decision = decide_customer(
            identity, [(str(c.customer_id), c.identity) for c in run.candidates(identity, key)]
        )
        if decision.action is CustomerAction.LINK and decision.customer_id:
            customer_id = UUID(decision.customer_id)
            outcome.customers_linked += 1
        else:
            customer_id = new_id()
            outcome.customers_created += 1
            # Later accounts of this run (a second property of the same person) are matched against it too.
            run.add(
                Candidate(
                    customer_id,
                    identity,
                    tuple(key.reference_keys),
                    key.surname_key,
                    tuple(key.postcodes),
                    identity.date_of_birth,
                ),
                stored=False,
            )
            customers.append(
                (
                    customer_id,
                    identity.kind.value,
                    party.model_dump_json(),
                    key.surname_key,
                    key.organisation_key,
                    identity.date_of_birth,
                    list(key.postcodes),
                    list(key.reference_keys),
                    customer_search_words(identity),
                )
            )
            events.append(CustomerRegistered(customer_id=customer_id, identity=party))
            if decision.action is CustomerAction.REVIEW:
                outcome.flagged_for_review += 1
                review_id = new_id()
                possible = [UUID(m.customer_id) for m in decision.matches]
                reasons = [
                    f"{m.customer_id}: {m.match.outcome.value}: {', '.join(m.match.reasons)}"
                    for m in decision.matches
                ]
                reviews.append((review_id, customer_id, possible, reasons))
                events.append(
                    CustomerMatchFlagged(
                        customer_id=customer_id,
                        possible_matches=possible,
                        reasons=reasons,
                        review_id=review_id,
                    )
                )
        assert request.instalment_plan is not None
        schedule = _schedule(
            request.amount_pence,
            request.instalment_plan.first_due_date,
            request.instalment_plan.instalments,
            rules.instalment_rounding_pence,
        )
        debt_id = new_id()
        account = party.references["council_tax_account"]
        debts.append(
            (
                debt_id,
                REQUESTING_SYSTEM,
                request.external_reference,
                "council_tax",
                request.amount_pence,
                request.financial_year,
                schedule[0].due_date,
                request.raised_on,
                ORIGINATING_SERVICE,
                request.income_code,
                request.evidence_reference,
                account,
                request.amount_pence,
            )
        )
        parties.append((debt_id, customer_id))
        lines += [
            (debt_id, i.number, "instalment", i.due_date, i.amount_pence, i.amount_pence) for i in schedule
        ]
        postings.append(
            (debt_id, "charge", request.amount_pence, request.raised_on, request.external_reference)
        )
        events.append(
            DebtRaised(
                debt_id=debt_id,
                customer_ids=[customer_id],
                debt_type="council_tax",
                amount_pence=request.amount_pence,
                financial_year=request.financial_year or "",
                due_date=schedule[0].due_date,
                raised_on=request.raised_on,
                originating_service=ORIGINATING_SERVICE,
                income_code=request.income_code,
                external_reference=request.external_reference,
                evidence_reference=request.evidence_reference,
                # Built from the domain's schedule just above, so validating each instalment again is waste.
                instalments=[
                    InstalmentDue.model_construct(
                        number=i.number, due_date=i.due_date, amount_pence=i.amount_pence
                    )
                    for i in schedule
                ],
            )
        )
        outcome.raised += 1

    for _, _, _, reference, reasons, _, _ in refused:
        outcome.refused += 1
        outcome.refusals.append((reference, reasons))
        events.append(
            ChargeRefused(
                external_reference=reference,
                requesting_system=REQUESTING_SYSTEM,
                reasons=reasons,
                refused_on=today,
            )
        )
    log.info("billing run chunk prepared", prepare_seconds=round(time.perf_counter() - started, 2))
    # Serialised now: the chunk waits for the one before it to be written, and bytes are a tenth of the objects.
    return ChunkWrites(
        ChunkRows(customers, refused, reviews, debts, parties, lines, postings),
        billing.runtime.outbox.prepare(events),
    )


@dataclass
class ChunkWrites:
    """Everything one chunk writes, prepared before its transaction starts."""

    rows: ChunkRows
    events: PreparedEvents

    async def write(self, handling: BillingHandling) -> None:
        """COPY the rows, then the events through the outbox, in the handling's transaction."""
        started = time.perf_counter()
        await handling.stores.billing_run.copy(self.rows)
        copied = time.perf_counter()
        await handling.outbox.add_prepared(self.events)
        log.info(
            "billing run chunk written",
            copy_seconds=round(copied - started, 2),
            outbox_seconds=round(time.perf_counter() - copied, 2),
        )


def billing_run_outcome_json(outcome: BillingRunOutcome) -> str:
    """The outcome as JSON (the HTTP answer and the CLI's --json)."""
    return json.dumps(
        {
            "financial_year": outcome.financial_year,
            "raised": outcome.raised,
            "refused": outcome.refused,
            "customers_created": outcome.customers_created,
            "customers_linked": outcome.customers_linked,
            "flagged_for_review": outcome.flagged_for_review,
            "refusals": [
                {"external_reference": r, "reasons": reasons} for r, reasons in outcome.refusals[:100]
            ],
        }
    )
