"""Receiving write-off requests: from recovery (recovery exhausted) and from officers of the originating service.

Every request is kept with its evidence. One whose debt is not yet known waits for billing's word; one that
fails the checks (reason, evidence, amount, hold, breathing space, agent placement) is refused at once and
recovery is told why (`writeoff.write_off.rejected`), so it resumes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from uuid import UUID, uuid4

import structlog

from services.writeoff.approvers import Person
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import (
    Evidence,
    Refusal,
    RequestChannel,
    RequestStatus,
    canonical_reason_code,
    consider_request,
    council_named,
)
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.requests import RecordedRefusal, StoredRequest
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import WriteOffRequested
from shared.contracts.writeoff import WriteOffRejected
from shared.messaging.inbox_router import Handling, InboxRouter

log = structlog.get_logger("writeoff.intake")

router = InboxRouter[WriteOffStores, WriteOff]()

Handled = Handling[WriteOffStores, WriteOff]


def rejected(request: StoredRequest, refusals: Sequence[Refusal], handling: Handled) -> StoredRequest:
    """The request as refused today, with every reason."""
    return replace(
        request,
        status=RequestStatus.REJECTED,
        decided_on=handling.service.clock.today(),
        refusals=tuple(RecordedRefusal(str(r.code), r.message) for r in refusals),
    )


def rejection_message(request: StoredRequest, refusals: Sequence[Refusal]) -> WriteOffRejected:
    """What recovery is told of a refused request, so it resumes."""
    return WriteOffRejected(
        request_id=request.request_id,
        debt_id=request.debt_id,
        case_id=request.case_id,
        reason="; ".join(r.message for r in refusals),
        refusal_codes=[str(r.code) for r in refusals],
        rejected_on=request.decided_on,
    )


async def consider(
    handling: Handled, considered: Sequence[tuple[StoredRequest, Envelope | None]]
) -> dict[UUID, tuple[StoredRequest, list[Refusal]]]:
    """Check requests against the council's reasons and each debt's standing now (a few queries for any
    number of requests, in the order given), keep what became of each and tell recovery of each refusal.

    Returns each request as now kept with its refusals (none: it is pending, ready for a schedule). A request
    whose debt is not known yet stays awaiting it. Only one request per debt may await a decision at a time.
    """
    stores, service = handling.stores, handling.service
    debt_ids = {request.debt_id for request, _ in considered}
    standings = await stores.standing.standings_of(debt_ids)
    awaiting = await stores.requests.awaiting_decision_by_debt(debt_ids)
    outcome: dict[UUID, tuple[StoredRequest, list[Refusal]]] = {}
    kept: list[StoredRequest] = []
    rejections: list[tuple[WriteOffRejected, Envelope | None]] = []
    for request, causation in considered:
        known = standings.get(request.debt_id)
        if known is None:
            request = replace(request, status=RequestStatus.AWAITING_DEBT)
            outcome[request.request_id] = (request, [])
            kept.append(request)
            continue
        if not request.customer_id and known.customer_ids:
            request = replace(request, customer_id=known.customer_ids[0])
        other = awaiting.get(request.debt_id)
        refusals = consider_request(
            request.as_domain(),
            known.standing,
            service.policy(request.council),
            str(other) if other is not None else None,
        )
        if refusals:
            request = rejected(request, refusals, handling)
            rejections.append((rejection_message(request, refusals), causation))
        else:
            request = replace(request, status=RequestStatus.PENDING)
            awaiting[request.debt_id] = request.request_id
        outcome[request.request_id] = (request, refusals)
        kept.append(request)
    await stores.requests.save(kept)
    for message, causation in rejections:
        await handling.outbox.add(message, causation=causation)
    return outcome


async def receive(handling: Handled, request: StoredRequest) -> tuple[StoredRequest, list[Refusal]]:
    """Keep a new request and consider it (see `consider`)."""
    return (await consider(handling, [(request, None)]))[request.request_id]


async def consider_requests_awaiting_debts(handling: Handled, causes: Mapping[UUID, Envelope]) -> None:
    """Billing has now described these debts (debt id -> the event that did): consider the requests that were
    waiting for them (one query whatever the number of debts; usually none is waiting)."""
    waiting = await handling.stores.requests.awaiting_debt(causes)
    if waiting:
        await consider(handling, [(request, causes[request.debt_id]) for request in waiting])


def request_from_recovery(requested: WriteOffRequested, service: WriteOff) -> StoredRequest:
    """A request recovery made, under the council it names (or the configured council when it names none
    known here)."""
    council = council_named(service.policies, requested.council)
    if requested.council and council is None:
        # Kept and decided under the configured council rather than lost; the operator sees why.
        log.warning("write-off request names a council with no bands here", council=requested.council)
    return StoredRequest(
        request_id=requested.request_id,
        council=council or service.settings.council,
        debt_id=requested.debt_id,
        case_id=requested.case_id,
        customer_id=str(requested.customer_id) if requested.customer_id else "",
        debt_type=requested.debt_type,
        debt_area=None,
        income_code=requested.income_code,
        financial_year=requested.financial_year,
        originating_service=requested.originating_service,
        amount_pence=requested.amount_pence,
        reason_code=canonical_reason_code(requested.reason_code),
        evidence=tuple(Evidence("reference", item, "") for item in requested.evidence),
        written_report=requested.written_report,
        requested_by=requested.requested_by,
        channel=RequestChannel.RECOVERY_EXHAUSTED,
        requested_on=requested.requested_on,
        status=RequestStatus.AWAITING_DEBT,
        insolvency_order_date=requested.insolvency_order_date,
        owed_at_order_date_pence=requested.owed_at_order_date_pence,
    )


async def receive_from_officer(
    handling: Handled,
    person: Person,
    debt_id: UUID,
    *,
    amount_pence: int,
    reason_code: str,
    evidence: Sequence[Evidence],
    written_report: str | None,
    debt_area: str | None,
    insolvency_order_date: date | None,
    owed_at_order_date_pence: int | None,
) -> tuple[StoredRequest, list[Refusal]] | None:
    """An officer of the originating service asks for a debt billing has described to be written off: the
    request is made under their council, for the debt's first liable customer, asked for today, and kept and
    considered (see `consider`). None, and nothing kept, when billing has not described the debt (its type and
    income code)."""
    debt = await handling.stores.standing.described(debt_id)
    if debt is None or debt.income_code is None or debt.debt_type is None:
        return None
    request = StoredRequest(
        request_id=uuid4(),
        council=person.council,
        debt_id=debt_id,
        case_id=None,
        customer_id=debt.customer_ids[0] if debt.customer_ids else "",
        debt_type=debt.debt_type,
        debt_area=debt_area,
        income_code=debt.income_code,
        financial_year=debt.financial_year or "",
        originating_service=debt.originating_service or "",
        amount_pence=amount_pence,
        reason_code=canonical_reason_code(reason_code),
        evidence=tuple(evidence),
        written_report=written_report,
        requested_by=person.person_id,
        channel=RequestChannel.ORIGINATING_SERVICE,
        requested_on=handling.service.clock.today(),
        status=RequestStatus.AWAITING_DEBT,
        insolvency_order_date=insolvency_order_date,
        owed_at_order_date_pence=owed_at_order_date_pence,
    )
    return await receive(handling, request)


@router.handles_batch(WriteOffRequested)
async def write_off_requested(messages: list[tuple[WriteOffRequested, Envelope]], handling: Handled) -> None:
    """Recovery is exhausted (or an officer asked through recovery): keep each request and check it."""
    first: dict[UUID, tuple[WriteOffRequested, Envelope]] = {}
    for requested, envelope in messages:
        first.setdefault(requested.request_id, (requested, envelope))
    known = await handling.stores.requests.known_ids(first)
    # The same request published twice under different event ids is kept once.
    fresh = [
        (request_from_recovery(requested, handling.service), envelope)
        for requested, envelope in first.values()
        if requested.request_id not in known
    ]
    if fresh:
        await consider(handling, fresh)
