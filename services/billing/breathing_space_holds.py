"""Breathing space (Debt Respite Scheme regulations 2020): interest, fees and charges on the covered debts are
frozen from the moratorium's start date, which may be in the past; anything already charged for a covered day
is reversed. Holds are kept by debt id whether or not billing knows the debt yet, so a hold that arrives before
its debt applies as soon as the debt exists. Every change is confirmed with `billing.breathing_space_hold.
confirmed`, quoting the moratorium reference and hold version.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.billing.billing import Billing, BillingHandling
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.late_payment import reverse_charges_in_hold
from services.billing.payments import settle_credit
from services.billing.stores import BillingStores
from shared.contracts.billing import BillingConfirmedHold
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
)
from shared.contracts.envelope import Contract
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[BillingStores, Billing]()


async def freeze_debts(
    handling: BillingHandling, reference: str, version: int, starts_on: date, debt_ids: list[UUID]
) -> None:
    """Keep the hold for each debt, reverse what was charged on or after its start, and confirm."""
    stores = handling.stores
    await stores.holds.keep(reference, version, starts_on, debt_ids)
    known = await stores.debts.named(debt_ids)
    hold = BreathingSpaceHold(starts_on)
    today = handling.service.clock.today()
    events: list[Contract] = []
    for account in known.values():
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
    """A moratorium began (perhaps days ago): freeze interest, fees and charges on its debts from its start."""
    await freeze_debts(handling, hold.moratorium_reference, hold.hold_version, hold.starts_on, hold.debt_ids)


@router.handles(BreathingSpaceDebtsAdded)
async def hold_debts_added(added: BreathingSpaceDebtsAdded, handling: BillingHandling) -> None:
    """More debts are covered by an existing moratorium, from its start date."""
    await freeze_debts(
        handling, added.moratorium_reference, added.hold_version, added.starts_on, added.debt_ids
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
