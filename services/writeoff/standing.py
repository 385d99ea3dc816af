"""What the write-off service knows of each debt from the other services' events: its balance (billing), its
holds (recovery), breathing space (breathing space) and open agent placements (recovery and the agents gateway).

A debt on hold, in breathing space or placed with an agent cannot be written off until that is resolved.
Events may arrive in any order across queues, so every projection converges: balances keep the latest as-of
date, a hold lifted before it was heard applied stays lifted, a moratorium keeps its highest hold version, and a
placement closed before its acknowledgement stays closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff import intake
from services.writeoff.domain import DebtStanding
from services.writeoff.service import runtime
from shared.contracts.agents_gateway import CaseReturnedByAgent, PlacementAcknowledged, PlacementRejected
from shared.contracts.billing import BalanceChanged, DebtRaised, DebtSettled
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
)
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import CaseReferred, HoldApplied, HoldLifted, RecallRequested

# -- balances (billing) -------------------------------------------------------------------------------------

_DEBT_RAISED = text(
    """
    INSERT INTO writeoff.debt_standing (debt_id, customer_ids, debt_type, income_code, financial_year,
                                        originating_service, balance_pence, balance_as_of)
    SELECT d, CAST(c AS json), t, i, y, o, a, r
    FROM unnest(CAST(:debt_ids AS uuid[]), CAST(:customer_ids AS text[]), CAST(:debt_types AS text[]),
                CAST(:income_codes AS text[]), CAST(:years AS text[]), CAST(:services AS text[]),
                CAST(:amounts AS bigint[]), CAST(:raised_on AS date[])) AS x(d, c, t, i, y, o, a, r)
    ON CONFLICT (debt_id) DO UPDATE SET
        customer_ids = EXCLUDED.customer_ids, debt_type = EXCLUDED.debt_type,
        income_code = EXCLUDED.income_code, financial_year = EXCLUDED.financial_year,
        originating_service = EXCLUDED.originating_service,
        -- a balance heard before the debt itself is newer than the amount raised
        balance_pence = COALESCE(debt_standing.balance_pence, EXCLUDED.balance_pence),
        balance_as_of = COALESCE(debt_standing.balance_as_of, EXCLUDED.balance_as_of)
    """
)

_BALANCES = text(
    """
    INSERT INTO writeoff.debt_standing (debt_id, customer_ids, debt_type, balance_pence, balance_as_of, settled)
    SELECT d, CAST(c AS json), t, b, a, s
    FROM unnest(CAST(:debt_ids AS uuid[]), CAST(:customer_ids AS text[]), CAST(:debt_types AS text[]),
                CAST(:balances AS bigint[]), CAST(:as_of AS date[]), CAST(:settled AS boolean[]))
         AS x(d, c, t, b, a, s)
    ON CONFLICT (debt_id) DO UPDATE SET
        balance_pence = EXCLUDED.balance_pence, balance_as_of = EXCLUDED.balance_as_of,
        settled = EXCLUDED.settled
    WHERE debt_standing.balance_as_of IS NULL OR debt_standing.balance_as_of <= EXCLUDED.balance_as_of
    """
)


def _json_ids(ids: Iterable[UUID]) -> str:
    return "[" + ",".join(f'"{i}"' for i in ids) + "]"


@dataclass(frozen=True, slots=True)
class _Balance:
    debt_id: UUID
    customer_ids: str
    debt_type: str | None
    balance_pence: int
    as_of: date
    settled: bool


async def _record_balances(session: AsyncSession, balances: list[_Balance]) -> None:
    # One row per debt per statement: the latest as-of date of the batch wins (later messages on a tie).
    latest: dict[UUID, _Balance] = {}
    for balance in balances:
        known = latest.get(balance.debt_id)
        if known is None or known.as_of <= balance.as_of:
            latest[balance.debt_id] = balance
    rows = list(latest.values())
    await session.execute(
        _BALANCES,
        {
            "debt_ids": [b.debt_id for b in rows],
            "customer_ids": [b.customer_ids for b in rows],
            "debt_types": [b.debt_type for b in rows],
            "balances": [b.balance_pence for b in rows],
            "as_of": [b.as_of for b in rows],
            "settled": [b.settled for b in rows],
        },
    )


@runtime.inbox.handles_batch(DebtRaised)
async def debts_raised(session: AsyncSession, messages: list[tuple[DebtRaised, Envelope]]) -> None:
    """Remember each debt and its amount (set-based: billing runs raise thousands at once); requests that
    arrived before their debt are considered now."""
    debts = list({debt.debt_id: debt for debt, _ in messages}.values())
    await session.execute(
        _DEBT_RAISED,
        {
            "debt_ids": [d.debt_id for d in debts],
            "customer_ids": [_json_ids(d.customer_ids) for d in debts],
            "debt_types": [d.debt_type for d in debts],
            "income_codes": [d.income_code for d in debts],
            "years": [d.financial_year for d in debts],
            "services": [d.originating_service for d in debts],
            "amounts": [d.amount_pence for d in debts],
            "raised_on": [d.raised_on for d in debts],
        },
    )
    await intake.consider_requests_awaiting_debts(session, {d.debt_id: e for d, e in messages})


@runtime.inbox.handles_batch(BalanceChanged)
async def balances_changed(session: AsyncSession, messages: list[tuple[BalanceChanged, Envelope]]) -> None:
    """Keep each debt's latest balance."""
    await _record_balances(
        session,
        [
            _Balance(
                c.debt_id,
                _json_ids(c.customer_ids),
                c.debt_type,
                c.balance_pence,
                c.as_of,
                c.balance_pence == 0,
            )
            for c, _ in messages
        ],
    )
    await intake.consider_requests_awaiting_debts(session, {c.debt_id: e for c, e in messages})


@runtime.inbox.handles_batch(DebtSettled)
async def debts_settled(session: AsyncSession, messages: list[tuple[DebtSettled, Envelope]]) -> None:
    """A settled debt has nothing left to write off."""
    await _record_balances(
        session, [_Balance(s.debt_id, "[]", None, 0, s.settled_on, True) for s, _ in messages]
    )
    await intake.consider_requests_awaiting_debts(session, {s.debt_id: e for s, e in messages})


# -- holds (recovery) ----------------------------------------------------------------------------------------

_HOLD = text(
    """
    INSERT INTO writeoff.debt_hold (hold_id, debt_id, reason, lifted) VALUES (:hold_id, :debt_id, :reason, :lifted)
    ON CONFLICT (hold_id) DO UPDATE SET lifted = debt_hold.lifted OR EXCLUDED.lifted
    """
)


@runtime.inbox.handles(HoldApplied)
async def hold_applied(session: AsyncSession, hold: HoldApplied, envelope: Envelope) -> None:
    """Recovery paused the debt: it cannot be written off while the hold lasts."""
    await session.execute(
        _HOLD, {"hold_id": hold.hold_id, "debt_id": hold.debt_id, "reason": hold.reason, "lifted": False}
    )


@runtime.inbox.handles(HoldLifted)
async def hold_lifted(session: AsyncSession, hold: HoldLifted, envelope: Envelope) -> None:
    """The hold ended (even if its start has not been heard yet)."""
    await session.execute(
        _HOLD, {"hold_id": hold.hold_id, "debt_id": hold.debt_id, "reason": hold.reason, "lifted": True}
    )


# -- breathing space -------------------------------------------------------------------------------------------

_MORATORIUM_COVERS = text(
    """
    INSERT INTO writeoff.moratorium_debt (moratorium_reference, debt_id, hold_version, active)
    SELECT :reference, debt_id, :version, true FROM unnest(CAST(:debt_ids AS uuid[])) AS debt_id
    ON CONFLICT (moratorium_reference, debt_id) DO UPDATE SET hold_version = EXCLUDED.hold_version, active = true
    WHERE moratorium_debt.hold_version < EXCLUDED.hold_version
    """
)
_MORATORIUM_ENDS = text(
    """
    INSERT INTO writeoff.moratorium_debt (moratorium_reference, debt_id, hold_version, active)
    SELECT :reference, debt_id, :version, false FROM unnest(CAST(:debt_ids AS uuid[])) AS debt_id
    ON CONFLICT (moratorium_reference, debt_id) DO UPDATE SET hold_version = EXCLUDED.hold_version, active = false
    WHERE moratorium_debt.hold_version <= EXCLUDED.hold_version
    """
)
_MORATORIUM_ENDS_FOR_EVERY_DEBT = text(
    """
    UPDATE writeoff.moratorium_debt SET hold_version = :version, active = false
    WHERE moratorium_reference = :reference AND hold_version <= :version
    """
)


@runtime.inbox.handles(BreathingSpaceHoldStarted)
async def breathing_space_started(
    session: AsyncSession, hold: BreathingSpaceHoldStarted, envelope: Envelope
) -> None:
    """The debts are protected by a moratorium: none may be written off while it lasts."""
    await session.execute(
        _MORATORIUM_COVERS,
        {"reference": hold.moratorium_reference, "version": hold.hold_version, "debt_ids": hold.debt_ids},
    )


@runtime.inbox.handles(BreathingSpaceDebtsAdded)
async def breathing_space_debts_added(
    session: AsyncSession, added: BreathingSpaceDebtsAdded, envelope: Envelope
) -> None:
    """More debts are protected by the moratorium."""
    await session.execute(
        _MORATORIUM_COVERS,
        {"reference": added.moratorium_reference, "version": added.hold_version, "debt_ids": added.debt_ids},
    )


@runtime.inbox.handles(BreathingSpaceHoldEnded)
async def breathing_space_ended(
    session: AsyncSession, ended: BreathingSpaceHoldEnded, envelope: Envelope
) -> None:
    """The moratorium ended for its debts (every debt it covered, when none is listed)."""
    params = {"reference": ended.moratorium_reference, "version": ended.hold_version}
    await session.execute(_MORATORIUM_ENDS, {**params, "debt_ids": ended.debt_ids})
    await session.execute(_MORATORIUM_ENDS_FOR_EVERY_DEBT, params)


# -- agent placements ------------------------------------------------------------------------------------------

_PLACEMENT_OPENS = text(
    """
    INSERT INTO writeoff.agent_placement (referral_id, debt_id, open) VALUES (:referral_id, :debt_id, true)
    ON CONFLICT (referral_id) DO NOTHING
    """
)
_PLACEMENT_CLOSES = text(
    """
    INSERT INTO writeoff.agent_placement (referral_id, debt_id, open) VALUES (:referral_id, :debt_id, false)
    ON CONFLICT (referral_id) DO UPDATE SET open = false
    """
)
_EVERY_PLACEMENT_OF_DEBT_CLOSES = text(
    "UPDATE writeoff.agent_placement SET open = false WHERE debt_id = :debt_id"
)


async def _close_placement(session: AsyncSession, referral_id: UUID | None, debt_id: UUID) -> None:
    if referral_id is None:
        await session.execute(_EVERY_PLACEMENT_OF_DEBT_CLOSES, {"debt_id": debt_id})
    else:
        await session.execute(_PLACEMENT_CLOSES, {"referral_id": referral_id, "debt_id": debt_id})


@runtime.inbox.handles(CaseReferred)
async def case_referred(session: AsyncSession, referral: CaseReferred, envelope: Envelope) -> None:
    """The debt went to an agent: it must be recalled before it is written off."""
    await session.execute(
        _PLACEMENT_OPENS, {"referral_id": referral.referral_id, "debt_id": referral.debt_id}
    )


@runtime.inbox.handles(PlacementAcknowledged)
async def placement_acknowledged(
    session: AsyncSession, placement: PlacementAcknowledged, envelope: Envelope
) -> None:
    """The agent holds the debt (unless the placement already ended)."""
    await session.execute(
        _PLACEMENT_OPENS, {"referral_id": placement.referral_id, "debt_id": placement.debt_id}
    )


@runtime.inbox.handles(PlacementRejected)
async def placement_rejected(session: AsyncSession, placement: PlacementRejected, envelope: Envelope) -> None:
    """The agent refused the case: no placement is open."""
    await _close_placement(session, placement.referral_id, placement.debt_id)


@runtime.inbox.handles(CaseReturnedByAgent)
async def case_returned(session: AsyncSession, returned: CaseReturnedByAgent, envelope: Envelope) -> None:
    """The agent returned the case (nulla bona, gone away, untraceable...)."""
    await _close_placement(session, returned.referral_id, returned.debt_id)


@runtime.inbox.handles(RecallRequested)
async def recall_requested(session: AsyncSession, recall: RecallRequested, envelope: Envelope) -> None:
    """Recovery took the case back from its agent."""
    await _close_placement(session, recall.referral_id, recall.debt_id)


# -- reading the standing --------------------------------------------------------------------------------------

_STANDING = text(
    """
    SELECT s.debt_id, s.balance_pence, s.customer_ids,
        (SELECT string_agg(h.reason, ', ' ORDER BY h.reason) FROM writeoff.debt_hold h
          WHERE h.debt_id = s.debt_id AND NOT h.lifted) AS holds,
        EXISTS (SELECT 1 FROM writeoff.moratorium_debt m WHERE m.debt_id = s.debt_id AND m.active)
            AS in_breathing_space,
        EXISTS (SELECT 1 FROM writeoff.agent_placement p WHERE p.debt_id = s.debt_id AND p.open)
            AS open_agent_placement
    FROM writeoff.debt_standing s
    WHERE s.debt_id = ANY(CAST(:debt_ids AS uuid[])) AND s.balance_pence IS NOT NULL
    """
)


@dataclass(frozen=True, slots=True)
class KnownDebt:
    """A debt's standing and its liable customers."""

    standing: DebtStanding
    customer_ids: tuple[str, ...]


async def standings_of(session: AsyncSession, debt_ids: Iterable[UUID]) -> dict[UUID, KnownDebt]:
    """The standing of each debt whose balance is known (one query for any number of debts)."""
    rows = await session.execute(_STANDING, {"debt_ids": list(debt_ids)})
    return {
        row.debt_id: KnownDebt(
            DebtStanding(
                balance_pence=row.balance_pence,
                on_hold=row.holds is not None,
                hold_reason=row.holds,
                in_breathing_space=row.in_breathing_space,
                open_agent_placement=row.open_agent_placement,
            ),
            tuple(row.customer_ids or ()),
        )
        for row in rows
    }
