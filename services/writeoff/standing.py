"""What the write-off service knows of each debt from the other services' events: its balance (billing), its
holds (recovery), breathing space (breathing space) and open agent placements (recovery and the agents gateway).

A debt on hold, in breathing space or placed with an agent cannot be written off until that is resolved.
Events may arrive in any order across queues, so every projection converges (see `stores/standing.py`).
"""

from __future__ import annotations

from services.writeoff import intake
from services.writeoff.dependencies import WriteOff
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.standing import Balance, RaisedDebt
from shared.contracts.agents_gateway import CaseReturnedByAgent, PlacementAcknowledged, PlacementRejected
from shared.contracts.billing import BalancesChanged, DebtRaised, DebtSettled, each_balance_change
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
)
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import CaseReferred, HoldApplied, HoldLifted, RecallRequested
from shared.messaging.inbox_router import Handling, InboxRouter

router = InboxRouter[WriteOffStores, WriteOff]()

Handled = Handling[WriteOffStores, WriteOff]

# -- balances (billing) -------------------------------------------------------------------------------------


@router.handles_batch(DebtRaised)
async def debts_raised(messages: list[tuple[DebtRaised, Envelope]], handling: Handled) -> None:
    """Remember each debt and its amount (set-based: billing runs raise thousands at once); requests that
    arrived before their debt are considered now."""
    debts = list({debt.debt_id: debt for debt, _ in messages}.values())
    await handling.stores.standing.debts_raised(
        [
            RaisedDebt(
                debt_id=d.debt_id,
                customer_ids=tuple(d.customer_ids),
                debt_type=d.debt_type,
                income_code=d.income_code,
                financial_year=d.financial_year,
                originating_service=d.originating_service,
                amount_pence=d.amount_pence,
                raised_on=d.raised_on,
                external_reference=d.external_reference,
                due_date=d.due_date,
            )
            for d in debts
        ]
    )
    await intake.consider_requests_awaiting_debts(handling, {d.debt_id: e for d, e in messages})


@router.handles_batch(BalancesChanged)
async def balances_changed(statements: list[tuple[BalancesChanged, Envelope]], handling: Handled) -> None:
    """Keep each debt's latest balance (billing states its balance changes many to a message)."""
    messages = each_balance_change(statements)
    await handling.stores.standing.record_balances(
        [
            Balance(
                c.debt_id,
                tuple(c.customer_ids),
                c.debt_type,
                c.balance_pence,
                c.as_of,
                settled=c.balance_pence == 0,
            )
            for c, _ in messages
        ]
    )
    await intake.consider_requests_awaiting_debts(handling, {c.debt_id: e for c, e in messages})


@router.handles_batch(DebtSettled)
async def debts_settled(messages: list[tuple[DebtSettled, Envelope]], handling: Handled) -> None:
    """A settled debt has nothing left to write off."""
    await handling.stores.standing.record_balances(
        [Balance(s.debt_id, (), None, 0, s.settled_on, settled=True) for s, _ in messages]
    )
    await intake.consider_requests_awaiting_debts(handling, {s.debt_id: e for s, e in messages})


# -- holds (recovery) ----------------------------------------------------------------------------------------


@router.handles(HoldApplied)
async def hold_applied(hold: HoldApplied, handling: Handled) -> None:
    """Recovery paused the debt: it cannot be written off while the hold lasts."""
    await handling.stores.standing.record_hold(hold.hold_id, hold.debt_id, hold.reason, lifted=False)


@router.handles(HoldLifted)
async def hold_lifted(hold: HoldLifted, handling: Handled) -> None:
    """The hold ended (even if its start has not been heard yet)."""
    await handling.stores.standing.record_hold(hold.hold_id, hold.debt_id, hold.reason, lifted=True)


# -- breathing space -------------------------------------------------------------------------------------------


@router.handles(BreathingSpaceHoldStarted)
async def breathing_space_started(hold: BreathingSpaceHoldStarted, handling: Handled) -> None:
    """The debts are protected by a moratorium: none may be written off while it lasts."""
    await handling.stores.standing.moratorium_covers(
        hold.moratorium_reference, hold.hold_version, hold.debt_ids
    )


@router.handles(BreathingSpaceDebtsAdded)
async def breathing_space_debts_added(added: BreathingSpaceDebtsAdded, handling: Handled) -> None:
    """More debts are protected by the moratorium."""
    await handling.stores.standing.moratorium_covers(
        added.moratorium_reference, added.hold_version, added.debt_ids
    )


@router.handles(BreathingSpaceHoldEnded)
async def breathing_space_ended(ended: BreathingSpaceHoldEnded, handling: Handled) -> None:
    """The moratorium ended for its debts (every debt it covered, when none is listed)."""
    await handling.stores.standing.moratorium_ends(
        ended.moratorium_reference, ended.hold_version, ended.debt_ids
    )


# -- agent placements ------------------------------------------------------------------------------------------


@router.handles(CaseReferred)
async def case_referred(referral: CaseReferred, handling: Handled) -> None:
    """The debt went to an agent: it must be recalled before it is written off."""
    await handling.stores.standing.placement_opens(referral.referral_id, referral.debt_id)


@router.handles(PlacementAcknowledged)
async def placement_acknowledged(placement: PlacementAcknowledged, handling: Handled) -> None:
    """The agent holds the debt (unless the placement already ended)."""
    await handling.stores.standing.placement_opens(placement.referral_id, placement.debt_id)


@router.handles(PlacementRejected)
async def placement_rejected(placement: PlacementRejected, handling: Handled) -> None:
    """The agent refused the case: no placement is open."""
    await handling.stores.standing.placement_closes(placement.referral_id, placement.debt_id)


@router.handles(CaseReturnedByAgent)
async def case_returned(returned: CaseReturnedByAgent, handling: Handled) -> None:
    """The agent returned the case (nulla bona, gone away, untraceable...)."""
    await handling.stores.standing.placement_closes(returned.referral_id, returned.debt_id)


@router.handles(RecallRequested)
async def recall_requested(recall: RecallRequested, handling: Handled) -> None:
    """Recovery took the case back from its agent."""
    await handling.stores.standing.placement_closes(recall.referral_id, recall.debt_id)
