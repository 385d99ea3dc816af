"""Breathing space (Debt Respite Scheme regulations 2020): interest, fees and charges on the covered debts are
frozen from the moratorium's start date, which may be in the past; anything already charged for a covered day
is reversed. Only the moratorium debt is frozen (reg 7): what the hold's scope names as ongoing liabilities
(sums falling due after `protected_up_to`) stays billed, collectable and charged as usual
(`domain/breathing_space_scope.py`); a debt without a scope is held whole. Holds are kept by debt id whether or not billing knows the debt yet, so a hold that arrives before
its debt applies as soon as the debt exists. Every change is confirmed with `billing.breathing_space_hold.
confirmed`, quoting the moratorium reference and hold version.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.billing.billing import Billing, BillingHandling
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.breathing_space_scope import has_ongoing_liabilities
from services.billing.late_payment import reverse_charges_in_hold
from services.billing.payments import settle_credit
from services.billing.stores import BillingStores
from shared.contracts.billing import BillingConfirmedHold
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
    HeldDebtScope,
)
from shared.contracts.envelope import Contract
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[BillingStores, Billing]()


def ongoing_liabilities(scope: list[HeldDebtScope]) -> dict[UUID, tuple[date, int]]:
    """Per debt with ongoing liabilities, the day after which its sums are ongoing liabilities (not frozen) and
    what they come to; a debt not named here (no scope, or none) is held whole."""
    return {
        s.debt_id: (s.protected_up_to, s.ongoing_liabilities_pence)
        for s in scope
        if has_ongoing_liabilities(s.ongoing_liabilities_pence)
    }


async def freeze_debts(
    handling: BillingHandling,
    reference: str,
    version: int,
    starts_on: date,
    debt_ids: list[UUID],
    scope: list[HeldDebtScope],
) -> None:
    """Keep the hold for each debt with its scope, reverse what was charged on the moratorium debt on or after
    its start (never what was charged on an ongoing liability), and confirm."""
    stores = handling.stores
    ongoing = ongoing_liabilities(scope)
    await stores.holds.keep(reference, version, starts_on, debt_ids, ongoing)
    known = await stores.debts.named(debt_ids)
    today = handling.service.clock.today()
    events: list[Contract] = []
    for account in known.values():
        after = ongoing.get(account.debt_id)
        hold = BreathingSpaceHold(starts_on, ongoing_after=after[0] if after else None)
        reversed_events, credit = await reverse_charges_in_hold(handling, account, hold, today)
        events += reversed_events
        if credit:
            # Locked above in this transaction: read again after the reversal, without locking it twice.
            refreshed = (await stores.debts.named([account.debt_id], lock=False))[account.debt_id]
            events += await settle_credit(handling, refreshed, credit, today, f"breathing space {reference}")
    events.append(
        BillingConfirmedHold(
            moratorium_reference=reference,
            hold_version=version,
            confirmed_debt_ids=[d for d in debt_ids if d in known],
        )
    )
    await handling.outbox.add_all(events)


@router.handles(BreathingSpaceHoldStarted)
async def hold_started(hold: BreathingSpaceHoldStarted, handling: BillingHandling) -> None:
    """A moratorium began (perhaps days ago): freeze interest, fees and charges on its debts from its start, on
    the moratorium debt only: ongoing liabilities in its scope stay collectable and unfrozen (reg 7)."""
    await freeze_debts(
        handling, hold.moratorium_reference, hold.hold_version, hold.starts_on, hold.debt_ids, hold.scope
    )


@router.handles(BreathingSpaceDebtsAdded)
async def hold_debts_added(added: BreathingSpaceDebtsAdded, handling: BillingHandling) -> None:
    """More debts are covered by an existing moratorium, from its start date."""
    await freeze_debts(
        handling, added.moratorium_reference, added.hold_version, added.starts_on, added.debt_ids, added.scope
    )


@router.handles(BreathingSpaceHoldEnded)
async def hold_ended(ended: BreathingSpaceHoldEnded, handling: BillingHandling) -> None:
    """The moratorium ended: protection covers up to its last protected day; interest resumes after it."""
    stores = handling.stores
    ended_debts = await stores.holds.end(
        ended.moratorium_reference, ended.hold_version, ended.last_protected_day, ended.debt_ids
    )
    known = await stores.debts.named(ended_debts)
    await handling.outbox.add(
        BillingConfirmedHold(
            moratorium_reference=ended.moratorium_reference,
            hold_version=ended.hold_version,
            confirmed_debt_ids=[d for d in ended_debts if d in known],
        )
    )
