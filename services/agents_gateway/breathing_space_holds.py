"""Breathing space: every agent holding a covered debt is told at once, in a file of its own.

The Debt Respite Scheme obliges the council to stop enforcement immediately, so a hold never waits for the next
batch. The gateway confirms the hold (quoting the moratorium reference and hold version) once every hold file
has been uploaded, or at once when no covered debt is with an agent. The periods are kept, so that a fee an agent
reports for a day inside a breathing space is flagged, and a placement is not sent while its debt is protected.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.records import Hold, HoldLifted, HoldReason
from services.agents_gateway.gateway import runtime
from services.agents_gateway.instructions import Instruction, add_instructions, placements_with_agents
from services.agents_gateway.tables import HoldConfirmationRow
from shared.clock import clock
from shared.contracts.agents_gateway import AgentsGatewayConfirmedHold
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
)
from shared.contracts.envelope import Envelope

_PERIOD = text(
    "INSERT INTO breathing_space_period (moratorium_reference, debt_id, kind, starts_on, ends_on) "
    "SELECT :reference, debt_id, :kind, :starts_on, :ends_on FROM unnest(CAST(:debt_ids AS uuid[])) AS debt_id "
    "ON CONFLICT (moratorium_reference, debt_id) DO UPDATE SET starts_on = EXCLUDED.starts_on"
)
_KIND = text("SELECT kind FROM breathing_space_period WHERE moratorium_reference = :reference LIMIT 1")
_END = text(
    "UPDATE breathing_space_period SET ends_on = :last_day WHERE moratorium_reference = :reference "
    "AND debt_id = ANY(:debt_ids)"
)
_HELD_BY_MORATORIUM = text(
    "SELECT DISTINCT i.referral_id FROM instruction i WHERE i.kind = 'hold' AND i.moratorium_reference = :reference"
)


async def _hold_placed_debts(
    session: AsyncSession,
    envelope: Envelope,
    reference: str,
    version: int,
    kind: str,
    starts_on,
    ends_on,
    debt_ids: list[UUID],
) -> None:
    reason = (
        HoldReason.MENTAL_HEALTH_CRISIS_BREATHING_SPACE
        if kind == "mental_health_crisis"
        else HoldReason.BREATHING_SPACE
    )
    placed = await placements_with_agents(session, debt_ids)
    await add_instructions(
        session,
        [
            Instruction(
                placement.agent_code,
                placement.referral_id,
                Hold(
                    case_reference=placement.case_reference,
                    reason=reason,
                    starts_on=starts_on,
                    ends_on=ends_on,
                ),
                urgent=True,
                moratorium_reference=reference,
                hold_version=version,
            )
            for placement in placed
        ],
    )
    await _confirm_when_sent(session, envelope, reference, version, debt_ids, bool(placed))


async def _confirm_when_sent(
    session: AsyncSession,
    envelope: Envelope,
    reference: str,
    version: int,
    debt_ids: list[UUID],
    files_to_send: bool,
) -> None:
    """Confirm this hold version now, or (when files must go first) leave it for the sender to confirm."""
    if files_to_send:
        await session.merge(
            HoldConfirmationRow(moratorium_reference=reference, hold_version=version, debt_ids=debt_ids)
        )
    else:
        await runtime.outbox.add(
            session,
            AgentsGatewayConfirmedHold(
                moratorium_reference=reference, hold_version=version, confirmed_debt_ids=debt_ids
            ),
            causation=envelope,
        )


@runtime.inbox.handles(BreathingSpaceHoldStarted)
async def hold_for_breathing_space(
    session: AsyncSession, hold: BreathingSpaceHoldStarted, envelope: Envelope
) -> None:
    """Keep the moratorium's period and send a hold at once to every agent holding a covered debt."""
    await session.execute(
        _PERIOD,
        {
            "reference": hold.moratorium_reference,
            "kind": hold.kind,
            "starts_on": hold.starts_on,
            "ends_on": None,
            "debt_ids": list(hold.debt_ids),
        },
    )
    await _hold_placed_debts(
        session,
        envelope,
        hold.moratorium_reference,
        hold.hold_version,
        hold.kind,
        hold.starts_on,
        hold.expected_end_on,
        list(hold.debt_ids),
    )


@runtime.inbox.handles(BreathingSpaceDebtsAdded)
async def hold_added_debts(
    session: AsyncSession, added: BreathingSpaceDebtsAdded, envelope: Envelope
) -> None:
    """More debts under an existing moratorium: the same, for those debts."""
    kind = (await session.execute(_KIND, {"reference": added.moratorium_reference})).scalar() or "standard"
    await session.execute(
        _PERIOD,
        {
            "reference": added.moratorium_reference,
            "kind": kind,
            "starts_on": added.starts_on,
            "ends_on": None,
            "debt_ids": list(added.debt_ids),
        },
    )
    await _hold_placed_debts(
        session,
        envelope,
        added.moratorium_reference,
        added.hold_version,
        kind,
        added.starts_on,
        None,
        list(added.debt_ids),
    )


@runtime.inbox.handles(BreathingSpaceHoldEnded)
async def lift_breathing_space_hold(
    session: AsyncSession, ended: BreathingSpaceHoldEnded, envelope: Envelope
) -> None:
    """The moratorium ended (or was cancelled): close its period, tell each agent still holding a case under it
    that the hold is lifted, and confirm this hold version like the others (once the files are uploaded, or at
    once when no agent holds a covered case; usually recovery recalled them all)."""
    await session.execute(
        _END,
        {
            "reference": ended.moratorium_reference,
            "last_day": ended.last_protected_day,
            "debt_ids": list(ended.debt_ids),
        },
    )
    held = {
        row.referral_id
        for row in await session.execute(_HELD_BY_MORATORIUM, {"reference": ended.moratorium_reference})
    }
    lifted = [p for p in await placements_with_agents(session, list(ended.debt_ids)) if p.referral_id in held]
    await add_instructions(
        session,
        [
            Instruction(
                placement.agent_code,
                placement.referral_id,
                HoldLifted(case_reference=placement.case_reference, lifted_on=clock.today()),
                urgent=True,
                moratorium_reference=ended.moratorium_reference,
                hold_version=ended.hold_version,
            )
            for placement in lifted
        ],
    )
    await _confirm_when_sent(
        session, envelope, ended.moratorium_reference, ended.hold_version, list(ended.debt_ids), bool(lifted)
    )
