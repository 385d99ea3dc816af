"""A taxpayer's refund request (`council_systems.refund.requested`): the council tax or rates credit the account
holds becomes a refund due (`domain.refund_request`), answered with `billing.refund_request.answered`; a senior
officer authorises it over HTTP (`refunds.py`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.billing.billing import Billing, BillingHandling
from services.billing.debt_accounts import Movement, balance_events, posting
from services.billing.domain.balances import PostingKind
from services.billing.domain.financial_year import FinancialYear
from services.billing.domain.overpayment import OverpaymentRule
from services.billing.domain.refund_request import (
    AccountDebt,
    RefundRequestDecision,
    RefundRequestOutcome,
    decide_refund_request,
)
from services.billing.stores import BillingStores
from shared.contracts.billing import RefundDue, RefundRequestAnswered
from shared.contracts.council_systems import RefundRequested
from shared.contracts.envelope import Contract
from shared.ids import new_id
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[BillingStores, Billing]()

REASON = "the taxpayer asked for the overpayment to be repaid (reg 31)"


@router.handles(RefundRequested)
async def answer_refund_request(request: RefundRequested, handling: BillingHandling) -> None:
    """Repay the account's credit as a refund due, or say there is none, or refuse, saying why."""
    stores = handling.stores
    today = handling.service.clock.today()
    accounts = await stores.debts.of_account(request.account_reference)
    if await stores.refunds.request_seen(request.requesting_system, request.request_reference):
        decision = RefundRequestDecision(
            RefundRequestOutcome.REFUSED,
            reasons=(
                f"request {request.request_reference!r} was already made by {request.requesting_system}",
            ),
        )
        await handling.outbox.add(_answer(request, decision, None, None, today))
        return
    decision = decide_refund_request(
        request.account_reference,
        [
            AccountDebt(a.debt_id, a.debt_type, FinancialYear.parse(a.financial_year), a.balance_pence)
            for a in accounts
        ],
        request.amount_pence,
    )
    customer_id = accounts[0].customer_ids[0] if accounts and accounts[0].customer_ids else None
    refund_id = new_id() if decision.outcome is RefundRequestOutcome.REFUND_DUE else None
    events: list[Contract] = []
    if refund_id is not None:
        by_id = {a.debt_id: a for a in accounts}
        movements = [
            Movement(posting(debt_id, PostingKind.REFUND, amount), today, request.request_reference)
            for debt_id, amount in decision.repaid
        ]
        balances = await stores.debts.post(movements)
        for debt_id, amount in decision.repaid:
            events += balance_events(by_id[debt_id], balances[debt_id], amount, "refund", today)
        await stores.refunds.add_refund(
            refund_id,
            customer_id,
            decision.amount_pence,
            REASON,
            today,
            request.request_reference,
            OverpaymentRule.LOCAL_TAX_REFUND,
        )
        events.append(
            RefundDue(
                refund_id=refund_id,
                customer_id=customer_id,
                payment_id=None,
                amount_pence=decision.amount_pence,
                due_on=today,
                rule=OverpaymentRule.LOCAL_TAX_REFUND,
            )
        )
    await stores.refunds.record_request(
        request.requesting_system,
        request.request_reference,
        request.account_reference,
        customer_id,
        request.requested_on,
        decision.outcome.value,
        refund_id,
        decision.amount_pence,
    )
    events.append(_answer(request, decision, customer_id, refund_id, today))
    await handling.outbox.add_all(events)


def _answer(
    request: RefundRequested,
    decision: RefundRequestDecision,
    customer_id: UUID | None,
    refund_id: UUID | None,
    today: date,
) -> RefundRequestAnswered:
    return RefundRequestAnswered(
        requesting_system=request.requesting_system,
        request_reference=request.request_reference,
        account_reference=request.account_reference,
        outcome=decision.outcome.value,
        customer_id=customer_id,
        refund_id=refund_id,
        amount_pence=decision.amount_pence,
        reasons=list(decision.reasons),
        answered_on=today,
    )
