"""Cancelling an invoice (Sundry 8.5, NELC 5.7): only the originating service may, and only an unpaid one.

A refused cancellation is kept for audit and answered with `billing.cancellation.refused`.
"""

from __future__ import annotations

from services.billing.billing import Billing, BillingHandling
from services.billing.debt_accounts import Movement, balance_events, posting
from services.billing.domain.balances import PostingKind
from services.billing.domain.cancellation import cancellation_refusals
from services.billing.domain.debt_position import reductions_latest_first
from services.billing.domain.debt_status import CANCELLED, WRITTEN_OFF
from services.billing.refused_requests import refuse
from services.billing.stores import BillingStores
from shared.contracts.billing import CancellationRefused, DebtCancelled
from shared.contracts.council_systems import ChargeCancellationRequested
from shared.contracts.envelope import Contract
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[BillingStores, Billing]()

PAID_INTO_THE_DEBT = (PostingKind.PAYMENT, PostingKind.OFFSET_IN)
"""The postings that mean the debt has been (part-)paid, so it can no longer be cancelled."""


@router.handles(ChargeCancellationRequested)
async def cancel_or_refuse(request: ChargeCancellationRequested, handling: BillingHandling) -> None:
    """Cancel the debt (its whole outstanding balance comes off) or refuse, saying why."""
    stores = handling.stores
    today = handling.service.clock.today()
    account = await stores.debts.by_reference(request.requesting_system, request.external_reference)
    if account is None:
        reasons = [f"no debt was raised under external reference {request.external_reference!r}"]
    else:
        reasons = cancellation_refusals(
            account.originating_service,
            request.requested_by_service,
            paid_pence=await stores.debts.paid_pence(account.debt_id, PAID_INTO_THE_DEBT),
            written_off=account.written_off_pence > 0 or account.status == WRITTEN_OFF,
            already_cancelled=account.status == CANCELLED,
        )
    if reasons:
        await refuse(
            handling,
            "cancellation",
            request,
            CancellationRefused(
                requesting_system=request.requesting_system,
                external_reference=request.external_reference,
                requested_by_service=request.requested_by_service,
                reasons=reasons,
                refused_on=today,
            ),
        )
        return
    assert account is not None
    outstanding = account.position.outstanding_pence
    events: list[Contract] = [
        DebtCancelled(debt_id=account.debt_id, cancelled_on=today, reason=request.reason)
    ]
    if outstanding > 0:
        reductions = reductions_latest_first(account.position, outstanding)
        balances = await stores.debts.post(
            [
                Movement(
                    posting(account.debt_id, PostingKind.CANCELLATION, outstanding),
                    today,
                    request.reason[:200],
                    tuple((r.number, -r.amount_pence) for r in reductions),
                )
            ]
        )
        events += balance_events(account, balances[account.debt_id], -outstanding, "cancellation", today)
    await stores.debts.mark_cancelled(account.debt_id, today, request.reason)
    await handling.outbox.add_all(events)
