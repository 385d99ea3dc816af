"""Breathing space (Debt Respite Scheme regulations 2020): interest, fees and charges on the covered debts are
frozen from the moratorium's start date, which may be in the past; anything already charged for a covered day
is reversed. Holds are kept by debt id whether or not billing knows the debt yet, so a hold that arrives before
its debt applies as soon as the debt exists. Every change is confirmed with `billing.breathing_space_hold.
confirmed`, quoting the moratorium reference and hold version.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import accounts
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.late_payment import reverse_charges_in_hold
from services.billing.payments import settle_credit
from services.billing.service import runtime
from shared.clock import clock
from shared.contracts.billing import BillingConfirmedHold
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
)
from shared.contracts.envelope import Contract, Envelope

_KEEP_HOLD = text(
    """
    INSERT INTO breathing_space_hold (moratorium_reference, debt_id, hold_version, starts_on, ends_on)
    SELECT :reference, debt_id, :version, :starts_on, NULL FROM unnest(CAST(:debt_ids AS uuid[])) AS d(debt_id)
    ON CONFLICT (moratorium_reference, debt_id) DO UPDATE
        SET hold_version = excluded.hold_version, starts_on = excluded.starts_on
        WHERE breathing_space_hold.hold_version <= excluded.hold_version
    """
)


async def freeze_debts(
    session: AsyncSession,
    reference: str,
    version: int,
    starts_on: date,
    debt_ids: list[UUID],
    envelope: Envelope,
) -> None:
    """Keep the hold for each debt, reverse what was charged on or after its start, and confirm."""
    await session.execute(
        _KEEP_HOLD, {"reference": reference, "version": version, "starts_on": starts_on, "debt_ids": debt_ids}
    )
    known = await accounts(session, debt_ids)
    hold = BreathingSpaceHold(starts_on)
    today = clock.today()
    events: list[Contract] = []
    for account in known.values():
        reversed_events, credit = await reverse_charges_in_hold(session, account, hold, today)
        events += reversed_events
        if credit:
            # Locked above in this transaction: read again after the reversal, without locking it twice.
            refreshed = (await accounts(session, [account.debt_id], lock=False))[account.debt_id]
            events += await settle_credit(session, refreshed, credit, today, f"breathing space {reference}")
    events.append(
        BillingConfirmedHold(
            moratorium_reference=reference,
            hold_version=version,
            confirmed_debt_ids=[d for d in debt_ids if d in known],
        )
    )
    await runtime.outbox.add_all(session, events, causation=envelope)


@runtime.inbox.handles(BreathingSpaceHoldStarted)
async def hold_started(session: AsyncSession, hold: BreathingSpaceHoldStarted, envelope: Envelope) -> None:
    """A moratorium began (perhaps days ago): freeze interest, fees and charges on its debts from its start."""
    await freeze_debts(
        session, hold.moratorium_reference, hold.hold_version, hold.starts_on, hold.debt_ids, envelope
    )


@runtime.inbox.handles(BreathingSpaceDebtsAdded)
async def hold_debts_added(
    session: AsyncSession, added: BreathingSpaceDebtsAdded, envelope: Envelope
) -> None:
    """More debts are covered by an existing moratorium, from its start date."""
    await freeze_debts(
        session, added.moratorium_reference, added.hold_version, added.starts_on, added.debt_ids, envelope
    )


@runtime.inbox.handles(BreathingSpaceHoldEnded)
async def hold_ended(session: AsyncSession, ended: BreathingSpaceHoldEnded, envelope: Envelope) -> None:
    """The moratorium ended: protection covers up to its last protected day; interest resumes after it."""
    rows = await session.execute(
        text(
            "UPDATE breathing_space_hold SET ends_on = :last_day, hold_version = :version "
            "WHERE moratorium_reference = :reference AND hold_version <= :version "
            "AND (cardinality(CAST(:debt_ids AS uuid[])) = 0 OR debt_id = ANY(CAST(:debt_ids AS uuid[]))) "
            "RETURNING debt_id"
        ),
        {
            "last_day": ended.last_protected_day,
            "version": ended.hold_version,
            "reference": ended.moratorium_reference,
            "debt_ids": ended.debt_ids,
        },
    )
    ended_debts = [row.debt_id for row in rows]
    known = await accounts(session, ended_debts)
    await runtime.outbox.add(
        session,
        BillingConfirmedHold(
            moratorium_reference=ended.moratorium_reference,
            hold_version=ended.hold_version,
            confirmed_debt_ids=[d for d in ended_debts if d in known],
        ),
        causation=envelope,
    )
