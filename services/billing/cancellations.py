"""Cancelling an invoice (Sundry 8.5, NELC 5.7): only the originating service may, and only an unpaid one.

A refused cancellation is kept for audit and answered with `billing.cancellation.refused`.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import (
    Movement,
    account_by_reference,
    balance_events,
    post_movements,
    posting,
)
from services.billing.domain.balances import PostingKind
from services.billing.domain.cancellation import cancellation_refusals
from services.billing.domain.debt_position import reductions_latest_first
from services.billing.refused_requests import keep_refusal
from services.billing.service import runtime
from shared.clock import clock
from shared.contracts.billing import CancellationRefused, DebtCancelled
from shared.contracts.council_systems import ChargeCancellationRequested
from shared.contracts.envelope import Contract, Envelope


async def _paid_pence(session: AsyncSession, debt_id) -> int:  # type: ignore[no-untyped-def]
    return (
        await session.execute(
            text(
                "SELECT coalesce(sum(amount_pence), 0) FROM posting "
                "WHERE debt_id = :debt_id AND kind IN ('payment', 'offset_in')"
            ),
            {"debt_id": debt_id},
        )
    ).scalar_one()


@runtime.inbox.handles(ChargeCancellationRequested)
async def cancel_or_refuse(
    session: AsyncSession, request: ChargeCancellationRequested, envelope: Envelope
) -> None:
    """Cancel the debt (its whole outstanding balance comes off) or refuse, saying why."""
    today = clock.today()
    account = await account_by_reference(session, request.requesting_system, request.external_reference)
    if account is None:
        reasons = [f"no debt was raised under external reference {request.external_reference!r}"]
    else:
        reasons = cancellation_refusals(
            account.originating_service,
            request.requested_by_service,
            paid_pence=await _paid_pence(session, account.debt_id),
            written_off=account.written_off_pence > 0 or account.status == "written_off",
            already_cancelled=account.status == "cancelled",
        )
    if reasons:
        await keep_refusal(
            session,
            "cancellation",
            request.requesting_system,
            request.external_reference,
            reasons,
            request.model_dump_json(),
            envelope,
        )
        await runtime.outbox.add(
            session,
            CancellationRefused(
                requesting_system=request.requesting_system,
                external_reference=request.external_reference,
                requested_by_service=request.requested_by_service,
                reasons=reasons,
                refused_on=today,
            ),
            causation=envelope,
        )
        return
    assert account is not None
    outstanding = account.position.outstanding_pence
    events: list[Contract] = [
        DebtCancelled(debt_id=account.debt_id, cancelled_on=today, reason=request.reason)
    ]
    if outstanding > 0:
        reductions = reductions_latest_first(account.position, outstanding)
        balances = await post_movements(
            session,
            [
                Movement(
                    posting(account.debt_id, PostingKind.CANCELLATION, outstanding),
                    today,
                    request.reason[:200],
                    tuple((r.number, -r.amount_pence) for r in reductions),
                )
            ],
        )
        events += balance_events(account, balances[account.debt_id], -outstanding, "cancellation", today)
    await session.execute(
        text(
            "UPDATE debt SET status = 'cancelled', cancelled_on = :on, cancellation_reason = :reason "
            "WHERE debt_id = :debt_id"
        ),
        {"on": today, "reason": request.reason, "debt_id": account.debt_id},
    )
    await runtime.outbox.add_all(session, events, causation=envelope)
