"""Write-off requests (`writeoff.write_off_request`), kept with their evidence whatever became of them; the
lines of a schedule are the requests on it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import (
    REQUEST_STATUSES_AWAITING_DECISION,
    Evidence,
    RequestChannel,
    RequestStatus,
    WriteOffRequest,
)


@dataclass(frozen=True, slots=True)
class RecordedRefusal:
    """Why a request was refused, as kept on the request and shown with it."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class StoredRequest:
    """A write-off request as the service keeps it."""

    request_id: UUID
    council: str
    debt_id: UUID
    case_id: UUID | None
    customer_id: str
    debt_type: str
    debt_area: str | None
    income_code: str
    financial_year: str
    originating_service: str
    amount_pence: int
    reason_code: str
    evidence: tuple[Evidence, ...]
    written_report: str | None
    requested_by: str
    channel: RequestChannel
    requested_on: date
    status: RequestStatus
    refusals: tuple[RecordedRefusal, ...] = ()
    schedule_id: UUID | None = None
    decided_on: date | None = None
    insolvency_order_date: date | None = None
    owed_at_order_date_pence: int | None = None

    def as_domain(self) -> WriteOffRequest:
        """The request as the domain's schedule line."""
        return WriteOffRequest(
            request_id=str(self.request_id),
            council=self.council,
            debt_id=str(self.debt_id),
            customer_id=self.customer_id,
            debt_type=self.debt_type,
            income_code=self.income_code,
            amount_pence=self.amount_pence,
            reason_code=self.reason_code,
            evidence=self.evidence,
            requested_by=self.requested_by,
            channel=self.channel,
            written_report=self.written_report,
            debt_area=self.debt_area,
            requested_on=self.requested_on,
            insolvency_order_date=self.insolvency_order_date,
            owed_at_order_date_pence=self.owed_at_order_date_pence,
        )


@dataclass(frozen=True, slots=True)
class SplitDebtSearch:
    """Where the rest of a debt split across requests would be for one schedule (domain.split_debts): the
    council's requests for any of these (customer, debt type, income code), asked for between `since` and
    `until`, that are not on the schedule."""

    schedule_id: UUID
    council: str
    debts: frozenset[tuple[str, str, str]]
    since: date
    until: date


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """A pending request as building a schedule needs it."""

    request_id: UUID
    debt_id: UUID
    debt_type: str


_COLUMNS = (
    "request_id, council, debt_id, case_id, customer_id, debt_type, debt_area, income_code, financial_year, "
    "originating_service, amount_pence, reason_code, evidence, written_report, requested_by, channel, "
    "requested_on, status, refusals, schedule_id, decided_on, insolvency_order_date, owed_at_order_date_pence"
)


def _evidence_json(evidence: Iterable[Evidence]) -> str:
    return json.dumps(
        [{"kind": e.kind, "reference": e.reference, "description": e.description} for e in evidence]
    )


def _refusals_json(refusals: Iterable[RecordedRefusal]) -> str:
    return json.dumps([{"code": r.code, "message": r.message} for r in refusals])


def _stored(row: Row[tuple[object, ...]]) -> StoredRequest:
    found = row._mapping
    return StoredRequest(
        request_id=found["request_id"],
        council=found["council"],
        debt_id=found["debt_id"],
        case_id=found["case_id"],
        customer_id=found["customer_id"],
        debt_type=found["debt_type"],
        debt_area=found["debt_area"],
        income_code=found["income_code"],
        financial_year=found["financial_year"],
        originating_service=found["originating_service"],
        amount_pence=found["amount_pence"],
        reason_code=found["reason_code"],
        evidence=tuple(
            Evidence(e.get("kind", ""), e.get("reference", ""), e.get("description", ""))
            for e in found["evidence"]
        ),
        written_report=found["written_report"],
        requested_by=found["requested_by"],
        channel=RequestChannel(found["channel"]),
        requested_on=found["requested_on"],
        status=RequestStatus(found["status"]),
        refusals=tuple(RecordedRefusal(r.get("code", ""), r.get("message", "")) for r in found["refusals"]),
        schedule_id=found["schedule_id"],
        decided_on=found["decided_on"],
        insolvency_order_date=found["insolvency_order_date"],
        owed_at_order_date_pence=found["owed_at_order_date_pence"],
    )


class RequestStore:
    """Write-off requests and the schedule lines they become."""

    _KNOWN = text(
        "SELECT request_id FROM writeoff.write_off_request WHERE request_id = ANY(CAST(:request_ids AS uuid[]))"
    )
    _GET = text(f"SELECT {_COLUMNS} FROM writeoff.write_off_request WHERE request_id = :request_id")
    _AWAITING_DEBT = text(
        f"SELECT {_COLUMNS} FROM writeoff.write_off_request "
        "WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])) AND status = :awaiting_debt "
        "ORDER BY created_at, request_id"
    )
    # The rule "a request awaits a decision" is `domain.request_awaits_decision`; here it is asked of many debts
    # at once, from the same statuses (tests/integration/writeoff/test_rules_agree.py shows the two agree).
    _AWAITING_DECISION_BY_DEBT = text(
        """
        SELECT request_id, debt_id FROM writeoff.write_off_request
        WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])) AND status = ANY(CAST(:awaiting_decision AS text[]))
        """
    )
    # Set-based: recovery asks for thousands of write-offs at once.
    _SAVE = text(
        """
        INSERT INTO writeoff.write_off_request (request_id, council, debt_id, case_id, customer_id, debt_type,
            debt_area, income_code, financial_year, originating_service, amount_pence, reason_code, evidence,
            written_report, requested_by, channel, requested_on, status, refusals, schedule_id, decided_on,
            insolvency_order_date, owed_at_order_date_pence)
        SELECT r, co, d, ca, cu, t, ar, i, y, o, a, rc, CAST(ev AS json), wr, rb, ch, ro, st, CAST(rf AS json),
               sc, dc, iod, owd
        FROM unnest(CAST(:request_ids AS uuid[]), CAST(:councils AS text[]), CAST(:debt_ids AS uuid[]),
                    CAST(:case_ids AS uuid[]), CAST(:customer_ids AS text[]), CAST(:debt_types AS text[]),
                    CAST(:debt_areas AS text[]), CAST(:income_codes AS text[]), CAST(:years AS text[]),
                    CAST(:services AS text[]), CAST(:amounts AS bigint[]), CAST(:reason_codes AS text[]),
                    CAST(:evidence AS text[]), CAST(:written_reports AS text[]), CAST(:requested_by AS text[]),
                    CAST(:channels AS text[]), CAST(:requested_on AS date[]), CAST(:statuses AS text[]),
                    CAST(:refusals AS text[]), CAST(:schedule_ids AS uuid[]), CAST(:decided_on AS date[]),
                    CAST(:order_dates AS date[]), CAST(:owed_at_order AS bigint[]))
             AS x(r, co, d, ca, cu, t, ar, i, y, o, a, rc, ev, wr, rb, ch, ro, st, rf, sc, dc, iod, owd)
        ON CONFLICT (request_id) DO UPDATE SET
            customer_id = EXCLUDED.customer_id, status = EXCLUDED.status, refusals = EXCLUDED.refusals,
            schedule_id = EXCLUDED.schedule_id, decided_on = EXCLUDED.decided_on
        """
    )
    _PENDING_OF_COUNCIL = text(
        "SELECT request_id, debt_id, debt_type FROM writeoff.write_off_request "
        "WHERE council = :council AND status = :pending "
        "AND (CAST(:chosen AS uuid[]) IS NULL OR request_id = ANY(CAST(:chosen AS uuid[]))) "
        "ORDER BY created_at, request_id FOR UPDATE"
    )
    _PUT_ON_SCHEDULE = text(
        "UPDATE writeoff.write_off_request SET status = :scheduled, schedule_id = :schedule_id "
        "WHERE request_id = ANY(CAST(:request_ids AS uuid[]))"
    )
    _TAKE_OFF_SCHEDULE = text(
        "UPDATE writeoff.write_off_request SET status = :pending, schedule_id = NULL "
        "WHERE request_id = :request_id AND schedule_id = :schedule_id AND status = :scheduled "
        "RETURNING amount_pence"
    )
    _LINES = text(
        f"SELECT {_COLUMNS} FROM writeoff.write_off_request "
        "WHERE schedule_id = ANY(CAST(:schedule_ids AS uuid[])) ORDER BY schedule_id, request_id"
    )
    # A debt split to stay under a band (domain.split_debts): for each schedule, the council's other
    # requests, not rejected, for the same debtor, debt type and income code as one of its lines, raised
    # within the window of its lines. One row of `wanted` per schedule and debt; a request related to two
    # schedules comes once for each.
    _RELATED = text(
        f"""
        SELECT wanted.for_schedule, {_COLUMNS}
        FROM unnest(CAST(:schedule_ids AS uuid[]), CAST(:councils AS text[]), CAST(:customers AS text[]),
                    CAST(:debt_types AS text[]), CAST(:income_codes AS text[]), CAST(:since AS date[]),
                    CAST(:until AS date[]))
             AS wanted(for_schedule, of_council, of_customer, of_debt_type, of_income_code, asked_since,
                       asked_until)
        JOIN writeoff.write_off_request r
          ON r.council = wanted.of_council AND r.customer_id = wanted.of_customer
         AND r.debt_type = wanted.of_debt_type AND r.income_code = wanted.of_income_code
         AND r.requested_on BETWEEN wanted.asked_since AND wanted.asked_until
         AND r.schedule_id IS DISTINCT FROM wanted.for_schedule
        WHERE r.status = ANY(CAST(:counted AS text[]))
        ORDER BY wanted.for_schedule, r.request_id
        """
    )
    _APPROVE = text(
        "UPDATE writeoff.write_off_request SET status = :approved, decided_on = :on "
        "WHERE request_id = ANY(CAST(:request_ids AS uuid[]))"
    )
    _REJECT = text(
        """
        UPDATE writeoff.write_off_request r SET status = :rejected, decided_on = :on, refusals = CAST(x.rf AS json)
        FROM unnest(CAST(:request_ids AS uuid[]), CAST(:refusals AS text[])) AS x(request_id, rf)
        WHERE r.request_id = x.request_id
        """
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def known_ids(self, request_ids: Iterable[UUID]) -> set[UUID]:
        """Which of these requests are already kept."""
        rows = await self.session.execute(self._KNOWN, {"request_ids": list(request_ids)})
        return {row.request_id for row in rows}

    async def get(self, request_id: UUID) -> StoredRequest | None:
        """The request, or None."""
        row = (await self.session.execute(self._GET, {"request_id": request_id})).first()
        return _stored(row) if row is not None else None

    async def awaiting_debt(self, debt_ids: Iterable[UUID]) -> list[StoredRequest]:
        """Requests heard before billing described their debt, oldest first."""
        rows = await self.session.execute(
            self._AWAITING_DEBT,
            {"debt_ids": list(debt_ids), "awaiting_debt": str(RequestStatus.AWAITING_DEBT)},
        )
        return [_stored(row) for row in rows]

    async def awaiting_decision_by_debt(self, debt_ids: Iterable[UUID]) -> dict[UUID, UUID]:
        """For each of these debts with a request awaiting a decision: that request's id."""
        rows = await self.session.execute(
            self._AWAITING_DECISION_BY_DEBT,
            {
                "debt_ids": list(debt_ids),
                "awaiting_decision": sorted(str(s) for s in REQUEST_STATUSES_AWAITING_DECISION),
            },
        )
        return {row.debt_id: row.request_id for row in rows}

    async def save(self, requests: Sequence[StoredRequest]) -> None:
        """Keep new requests and what became of known ones (status, customer, refusals, schedule, decision)."""
        if not requests:
            return
        await self.session.execute(
            self._SAVE,
            {
                "request_ids": [r.request_id for r in requests],
                "councils": [r.council for r in requests],
                "debt_ids": [r.debt_id for r in requests],
                "case_ids": [r.case_id for r in requests],
                "customer_ids": [r.customer_id for r in requests],
                "debt_types": [r.debt_type for r in requests],
                "debt_areas": [r.debt_area for r in requests],
                "income_codes": [r.income_code for r in requests],
                "years": [r.financial_year for r in requests],
                "services": [r.originating_service for r in requests],
                "amounts": [r.amount_pence for r in requests],
                "reason_codes": [r.reason_code for r in requests],
                "evidence": [_evidence_json(r.evidence) for r in requests],
                "written_reports": [r.written_report for r in requests],
                "requested_by": [r.requested_by for r in requests],
                "channels": [str(r.channel) for r in requests],
                "requested_on": [r.requested_on for r in requests],
                "statuses": [str(r.status) for r in requests],
                "refusals": [_refusals_json(r.refusals) for r in requests],
                "schedule_ids": [r.schedule_id for r in requests],
                "decided_on": [r.decided_on for r in requests],
                "order_dates": [r.insolvency_order_date for r in requests],
                "owed_at_order": [r.owed_at_order_date_pence for r in requests],
            },
        )

    async def pending_of_council(self, council: str, chosen: Sequence[UUID] | None) -> list[PendingRequest]:
        """The council's pending requests (or those chosen of them), oldest first, locked for scheduling."""
        rows = await self.session.execute(
            self._PENDING_OF_COUNCIL,
            {
                "council": council,
                "pending": str(RequestStatus.PENDING),
                "chosen": list(chosen) if chosen is not None else None,
            },
        )
        return [PendingRequest(row.request_id, row.debt_id, row.debt_type) for row in rows]

    async def put_on_schedule(self, schedule_id: UUID, request_ids: Sequence[UUID]) -> None:
        """These requests are now the lines of the schedule."""
        await self.session.execute(
            self._PUT_ON_SCHEDULE,
            {
                "scheduled": str(RequestStatus.SCHEDULED),
                "schedule_id": schedule_id,
                "request_ids": list(request_ids),
            },
        )

    async def take_off_schedule(self, schedule_id: UUID, request_id: UUID) -> int | None:
        """Return a scheduled request to the pending ones, giving the amount of the line taken off; None (and
        nothing changed) when it is not a line of the schedule."""
        taken = await self.session.execute(
            self._TAKE_OFF_SCHEDULE,
            {
                "pending": str(RequestStatus.PENDING),
                "scheduled": str(RequestStatus.SCHEDULED),
                "request_id": request_id,
                "schedule_id": schedule_id,
            },
        )
        return taken.scalar_one_or_none()

    async def lines_of(self, schedule_ids: Iterable[UUID]) -> dict[UUID, list[StoredRequest]]:
        """The requests on each of these schedules, in request id order, by schedule (one query for any
        number of schedules; a schedule with no lines is absent)."""
        rows = await self.session.execute(self._LINES, {"schedule_ids": list(schedule_ids)})
        lines: dict[UUID, list[StoredRequest]] = {}
        for row in rows:
            stored = _stored(row)
            assert stored.schedule_id is not None
            lines.setdefault(stored.schedule_id, []).append(stored)
        return lines

    async def related_to(self, searches: Sequence[SplitDebtSearch]) -> dict[UUID, list[StoredRequest]]:
        """For each search, by its schedule: the council's requests awaiting a decision or approved, not on
        that schedule, for any of its (customer, debt type, income code) and asked for between its `since` and
        `until`, in request id order (one query for any number of schedules)."""
        wanted = sorted(
            {
                (search.schedule_id, search.council, *debt, search.since, search.until)
                for search in searches
                for debt in search.debts
            }
        )
        if not wanted:
            return {}
        rows = await self.session.execute(
            self._RELATED,
            {
                "schedule_ids": [w[0] for w in wanted],
                "councils": [w[1] for w in wanted],
                "customers": [w[2] for w in wanted],
                "debt_types": [w[3] for w in wanted],
                "income_codes": [w[4] for w in wanted],
                "since": [w[5] for w in wanted],
                "until": [w[6] for w in wanted],
                "counted": sorted(
                    str(s) for s in (*REQUEST_STATUSES_AWAITING_DECISION, RequestStatus.APPROVED)
                ),
            },
        )
        related: dict[UUID, list[StoredRequest]] = {}
        for row in rows:
            related.setdefault(row.for_schedule, []).append(_stored(row))
        return related

    async def approve(self, request_ids: Sequence[UUID], on: date) -> None:
        """These requests were approved on this date."""
        if request_ids:
            await self.session.execute(
                self._APPROVE,
                {"approved": str(RequestStatus.APPROVED), "on": on, "request_ids": list(request_ids)},
            )

    async def reject(self, rejections: Sequence[tuple[UUID, RecordedRefusal]], on: date) -> None:
        """These requests were rejected on this date, each for its reason."""
        if rejections:
            await self.session.execute(
                self._REJECT,
                {
                    "rejected": str(RequestStatus.REJECTED),
                    "on": on,
                    "request_ids": [request_id for request_id, _ in rejections],
                    "refusals": [_refusals_json([refusal]) for _, refusal in rejections],
                },
            )
