"""Receiving write-off requests: from recovery (recovery exhausted) and from officers of the originating service.

Every request is kept with its evidence. One whose debt is not yet known waits for billing's word; one that
fails the checks (reason, evidence, amount, hold, breathing space, agent placement) is refused at once and
recovery is told why (`writeoff.write_off.rejected`), so it resumes.
"""

from __future__ import annotations

from uuid import UUID

import structlog
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import (
    Evidence,
    NoBandTableForDebtType,
    Refusal,
    RefusalCode,
    RequestChannel,
    WriteOffRequest,
    canonical_reason_code,
    council_named,
    validate_request,
)
from services.writeoff.service import policies, runtime, settings
from services.writeoff.tables import WriteOffRequestRow
from shared.clock import clock
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import WriteOffRequested
from shared.contracts.writeoff import WriteOffRejected

log = structlog.get_logger("writeoff.intake")

AWAITING_DEBT = "awaiting_debt"
PENDING = "pending"
SCHEDULED = "scheduled"
APPROVED = "approved"
REJECTED = "rejected"


def as_domain(row: WriteOffRequestRow) -> WriteOffRequest:
    """The stored request as the domain's schedule line."""
    return WriteOffRequest(
        request_id=str(row.request_id),
        council=row.council,
        debt_id=str(row.debt_id),
        customer_id=row.customer_id,
        debt_type=row.debt_type,
        income_code=row.income_code,
        amount_pence=row.amount_pence,
        reason_code=row.reason_code,
        evidence=tuple(
            Evidence(e.get("kind", ""), e.get("reference", ""), e.get("description", ""))
            for e in row.evidence
        ),
        requested_by=row.requested_by,
        channel=RequestChannel(row.channel),
        written_report=row.written_report,
        debt_area=row.debt_area,
    )


async def publish_rejection(
    session: AsyncSession, row: WriteOffRequestRow, refusals: list[Refusal], causation: Envelope | None
) -> None:
    """Mark the request rejected and tell recovery why, in the same transaction."""
    row.status = REJECTED
    row.decided_on = clock.today()
    row.refusals = [{"code": str(r.code), "message": r.message} for r in refusals]
    await runtime.outbox.add(
        session,
        WriteOffRejected(
            request_id=row.request_id,
            debt_id=row.debt_id,
            case_id=row.case_id,
            reason="; ".join(r.message for r in refusals),
            refusal_codes=[str(r.code) for r in refusals],
            rejected_on=row.decided_on,
        ),
        causation=causation,
    )


_LIVE_REQUESTS = text(
    """
    SELECT request_id, debt_id FROM writeoff.write_off_request
    WHERE debt_id = ANY(CAST(:debt_ids AS uuid[])) AND status IN ('pending', 'scheduled')
    """
)


async def consider(
    session: AsyncSession, considered: list[tuple[WriteOffRequestRow, Envelope | None]]
) -> dict[UUID, list[Refusal]]:
    """Check requests against the council's reasons and each debt's standing now (a few queries for any
    number of requests, in the order given).

    Returns each request's refusals (already published), or none: the request is then pending, ready for a
    schedule. A request whose debt is not known yet stays awaiting it. Only one request per debt may await a
    decision at a time.
    """
    from services.writeoff.standing import standings_of  # standing imports this module for its handlers

    debt_ids = {row.debt_id for row, _ in considered}
    standings = await standings_of(session, debt_ids)
    live: dict[UUID, UUID] = {
        found.debt_id: found.request_id
        for found in await session.execute(_LIVE_REQUESTS, {"debt_ids": list(debt_ids)})
    }
    outcome: dict[UUID, list[Refusal]] = {}
    for row, causation in considered:
        known = standings.get(row.debt_id)
        if known is None:
            row.status = AWAITING_DEBT
            outcome[row.request_id] = []
            continue
        if not row.customer_id and known.customer_ids:
            row.customer_id = known.customer_ids[0]
        policy = policies[row.council]
        request = as_domain(row)
        refusals = validate_request(request, known.standing, policy.reasons)
        try:
            policy.table_for(row.debt_type)
        except NoBandTableForDebtType as error:
            refusals.append(Refusal(RefusalCode.NO_BAND_TABLE_FOR_DEBT_TYPE, str(error), request.request_id))
        other = live.get(row.debt_id)
        if other is not None and other != row.request_id:
            refusals.append(
                Refusal(
                    RefusalCode.ALREADY_REQUESTED,
                    f"request {other} to write off this debt is already awaiting a decision",
                    request.request_id,
                )
            )
        if refusals:
            await publish_rejection(session, row, refusals, causation)
        else:
            row.status = PENDING
            live[row.debt_id] = row.request_id
        outcome[row.request_id] = refusals
    await session.flush()
    return outcome


async def receive(
    session: AsyncSession, row: WriteOffRequestRow, causation: Envelope | None
) -> list[Refusal]:
    """Keep a new request and consider it (see `consider`)."""
    session.add(row)
    await session.flush()
    return (await consider(session, [(row, causation)]))[row.request_id]


async def consider_requests_awaiting_debts(session: AsyncSession, causes: dict[UUID, Envelope]) -> None:
    """Billing has now described these debts (debt id -> the event that did): consider the requests that were
    waiting for them (one query whatever the number of debts; usually none is waiting)."""
    waiting = await session.scalars(
        select(WriteOffRequestRow).where(
            WriteOffRequestRow.debt_id.in_(list(causes)), WriteOffRequestRow.status == AWAITING_DEBT
        )
    )
    rows = waiting.all()
    if rows:
        await consider(session, [(row, causes[row.debt_id]) for row in rows])


def _request_row(requested: WriteOffRequested) -> WriteOffRequestRow:
    council = council_named(policies, requested.council)
    if requested.council and council is None:
        # Kept and decided under the configured council rather than lost; the operator sees why.
        log.warning("write-off request names a council with no bands here", council=requested.council)
    return WriteOffRequestRow(
        request_id=requested.request_id,
        council=council or settings.council,
        debt_id=requested.debt_id,
        case_id=requested.case_id,
        customer_id=str(requested.customer_id) if requested.customer_id else "",
        debt_type=requested.debt_type,
        income_code=requested.income_code,
        financial_year=requested.financial_year,
        originating_service=requested.originating_service,
        amount_pence=requested.amount_pence,
        reason_code=canonical_reason_code(requested.reason_code),
        evidence=[{"kind": "reference", "reference": item, "description": ""} for item in requested.evidence],
        requested_by=requested.requested_by,
        channel=str(RequestChannel.RECOVERY_EXHAUSTED),
        requested_on=requested.requested_on,
        status=AWAITING_DEBT,
        written_report=requested.written_report,
    )


@runtime.inbox.handles_batch(WriteOffRequested)
async def write_off_requested(
    session: AsyncSession, messages: list[tuple[WriteOffRequested, Envelope]]
) -> None:
    """Recovery is exhausted (or an officer asked through recovery): keep each request and check it."""
    first: dict[UUID, tuple[WriteOffRequested, Envelope]] = {}
    for requested, envelope in messages:
        first.setdefault(requested.request_id, (requested, envelope))
    known = set(
        await session.scalars(
            select(WriteOffRequestRow.request_id).where(WriteOffRequestRow.request_id.in_(list(first)))
        )
    )
    # The same request published twice under different event ids is kept once.
    fresh = [
        (_request_row(requested), envelope)
        for requested, envelope in first.values()
        if requested.request_id not in known
    ]
    if fresh:
        session.add_all([row for row, _ in fresh])
        await session.flush()
        await consider(session, fresh)
