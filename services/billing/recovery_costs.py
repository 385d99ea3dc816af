"""Costs recovery adds to a debt as it takes a step (summons costs, liability order costs), and takes off again
when a late breathing space makes the step void."""

from __future__ import annotations

from services.billing.billing import Billing, BillingHandling
from services.billing.debt_accounts import Movement, balance_events, posting
from services.billing.domain.balances import PostingKind
from services.billing.domain.debt_position import reductions_latest_first
from services.billing.stores import BillingStores
from services.billing.write_offs import UnknownDebt
from shared.contracts.billing import CostsAdded
from shared.contracts.recovery import CostsReversed, StageAdvanced
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[BillingStores, Billing]()


@router.handles(StageAdvanced)
async def add_recovery_costs(stage: StageAdvanced, handling: BillingHandling) -> None:
    """A step with costs (e.g. a summons) adds them to the debt as a line due on the day the step was taken."""
    if stage.costs_added_pence <= 0:
        return  # reminders and notices cost the customer nothing
    account = (await handling.stores.debts.named([stage.debt_id])).get(stage.debt_id)
    if account is None:
        raise UnknownDebt(f"recovery step {stage.step_name} is for unknown debt {stage.debt_id}")
    await handling.stores.debts.add_line(account.debt_id, "costs", stage.taken_on, stage.costs_added_pence)
    balances = await handling.stores.debts.post(
        [
            Movement(
                posting(account.debt_id, PostingKind.COSTS, stage.costs_added_pence),
                stage.taken_on,
                f"{stage.step_name} ({stage.case_id})",
            )
        ]
    )
    await handling.outbox.add_all(
        [
            CostsAdded(
                debt_id=account.debt_id,
                kind=f"{stage.step_kind}_costs",
                amount_pence=stage.costs_added_pence,
                added_on=stage.taken_on,
            ),
            *balance_events(
                account, balances[account.debt_id], stage.costs_added_pence, "costs", stage.taken_on
            ),
        ],
    )


@router.handles(CostsReversed)
async def reverse_recovery_costs(reversal: CostsReversed, handling: BillingHandling) -> None:
    """Costs of steps a late breathing space made void come off the debt: fees and charges are frozen from the
    moratorium's start (Debt Respite Scheme Regulations 2020), so the customer never owes them."""
    if reversal.amount_pence <= 0:
        return
    account = (await handling.stores.debts.named([reversal.debt_id])).get(reversal.debt_id)
    if account is None:
        raise UnknownDebt(f"costs reversal for unknown debt {reversal.debt_id}")
    # Never take off more than is owed: costs already paid stay as the customer's credit through the ledger.
    amount = min(reversal.amount_pence, max(account.position.outstanding_pence, 0))
    if amount <= 0:
        return
    reductions = reductions_latest_first(account.position, amount)
    balances = await handling.stores.debts.post(
        [
            Movement(
                posting(account.debt_id, PostingKind.CHARGE_REVERSAL, amount),
                reversal.reversed_on,
                f"costs of void steps reversed ({', '.join(reversal.void_steps) or reversal.reason})",
                tuple((r.number, -r.amount_pence) for r in reductions),
            )
        ]
    )
    await handling.outbox.add_all(
        balance_events(account, balances[account.debt_id], -amount, "costs_reversal", reversal.reversed_on),
    )
