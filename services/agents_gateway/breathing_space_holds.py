"""Breathing space: every agent holding a covered debt is told at once, in a file of its own.

The Debt Respite Scheme obliges the council to stop enforcement immediately, so a hold never waits for the next
batch. Each hold follows the debt's scope (`domain/breathing_space_scope.py`): enforcement of the placed debt stops
entirely, and the record says how much of the placed balance is the moratorium debt, any ongoing liabilities in it,
and what the council lets the agent do about those. The gateway confirms the hold (quoting the moratorium reference and hold version) once every hold file
has been uploaded, or at once when no covered debt is with an agent. The periods are kept, so that a fee an agent
reports for a day inside a breathing space is flagged, and a placement is not sent while its debt is protected.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from services.agents_gateway.domain.breathing_space_scope import (
    DebtScope,
    PlacementHoldScope,
    placement_hold_scope,
)
from services.agents_gateway.domain.records import Hold, HoldLifted, HoldReason
from services.agents_gateway.gateway_service import GatewayHandling, gateway_router
from services.agents_gateway.stores.instructions import Instruction
from shared.contracts.agents_gateway import AgentsGatewayConfirmedHold
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
    HeldDebtScope,
)

router = gateway_router()

STANDARD = "standard"
MENTAL_HEALTH_CRISIS = "mental_health_crisis"


def hold_reason(kind: str) -> HoldReason:
    """The reason an agent is told for a hold under a moratorium of this kind."""
    if kind == MENTAL_HEALTH_CRISIS:
        return HoldReason.MENTAL_HEALTH_CRISIS_BREATHING_SPACE
    return HoldReason.BREATHING_SPACE


def debt_scope(scope: HeldDebtScope | None) -> DebtScope | None:
    """What the gateway needs of a held debt's scope (None: the message gave none, the whole debt is held)."""
    if scope is None:
        return None
    return DebtScope(scope.protected_up_to, scope.ongoing_liabilities_pence, scope.ongoing_from)


def scoped_hold(
    case_reference: str, kind: str, starts_on: date, ends_on: date | None, scope: PlacementHoldScope
) -> Hold:
    """The hold record for one placed case: stop, with the moratorium amount and any ongoing liabilities."""
    return Hold(
        case_reference=case_reference,
        reason=hold_reason(kind),
        starts_on=starts_on,
        ends_on=ends_on,
        protected_up_to=scope.protected_up_to,
        moratorium_pence=scope.moratorium_pence,
        ongoing_liabilities_pence=scope.ongoing_liabilities_pence,
        ongoing_liabilities_from=scope.ongoing_liabilities_from,
        ongoing_liabilities_action=scope.ongoing_liabilities_action,
    )


async def _hold_placed_debts(
    handling: GatewayHandling,
    reference: str,
    version: int,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    debt_ids: list[UUID],
    scope: Sequence[HeldDebtScope] = (),
) -> None:
    stores = handling.stores
    placed = await stores.placements.with_agents(debt_ids)
    scoped = {s.debt_id: s for s in scope}
    policy = handling.service.agents.registry.ongoing_liabilities_in_breathing_space
    await stores.instructions.add(
        [
            Instruction(
                placement.agent_code,
                placement.referral_id,
                scoped_hold(
                    placement.case_reference,
                    kind,
                    starts_on,
                    ends_on,
                    placement_hold_scope(
                        placement.balance_pence, debt_scope(scoped.get(placement.debt_id)), policy
                    ),
                ),
                urgent=True,
                moratorium_reference=reference,
                hold_version=version,
            )
            for placement in placed
        ]
    )
    await _confirm_when_sent(handling, reference, version, debt_ids, files_to_send=bool(placed))


async def _confirm_when_sent(
    handling: GatewayHandling, reference: str, version: int, debt_ids: list[UUID], *, files_to_send: bool
) -> None:
    """Confirm this hold version now, or (when files must go first) leave it for the sender to confirm."""
    if files_to_send:
        await handling.stores.breathing_spaces.await_confirmation(reference, version, debt_ids)
    else:
        await handling.outbox.add(
            AgentsGatewayConfirmedHold(
                moratorium_reference=reference, hold_version=version, confirmed_debt_ids=debt_ids
            )
        )


@router.handles(BreathingSpaceHoldStarted)
async def hold_for_breathing_space(hold: BreathingSpaceHoldStarted, handling: GatewayHandling) -> None:
    """Keep the moratorium's period and send a hold at once to every agent holding a covered debt."""
    debt_ids = list(hold.debt_ids)
    await handling.stores.breathing_spaces.protect(
        hold.moratorium_reference, hold.kind, hold.starts_on, debt_ids
    )
    await _hold_placed_debts(
        handling,
        hold.moratorium_reference,
        hold.hold_version,
        hold.kind,
        hold.starts_on,
        hold.expected_end_on,
        debt_ids,
        hold.scope,
    )


@router.handles(BreathingSpaceDebtsAdded)
async def hold_added_debts(added: BreathingSpaceDebtsAdded, handling: GatewayHandling) -> None:
    """More debts under an existing moratorium: the same, for those debts."""
    spaces = handling.stores.breathing_spaces
    kind = await spaces.kind_of(added.moratorium_reference) or STANDARD
    debt_ids = list(added.debt_ids)
    await spaces.protect(added.moratorium_reference, kind, added.starts_on, debt_ids)
    await _hold_placed_debts(
        handling,
        added.moratorium_reference,
        added.hold_version,
        kind,
        added.starts_on,
        None,
        debt_ids,
        added.scope,
    )


@router.handles(BreathingSpaceHoldEnded)
async def lift_breathing_space_hold(ended: BreathingSpaceHoldEnded, handling: GatewayHandling) -> None:
    """The moratorium ended (or was cancelled): close its period, tell each agent still holding a case under it
    that the hold is lifted, and confirm this hold version like the others (once the files are uploaded, or at
    once when no agent holds a covered case; usually recovery recalled them all)."""
    stores = handling.stores
    debt_ids = list(ended.debt_ids)
    await stores.breathing_spaces.end(ended.moratorium_reference, ended.last_protected_day, debt_ids)
    held = await stores.instructions.held_under(ended.moratorium_reference)
    lifted = [p for p in await stores.placements.with_agents(debt_ids) if p.referral_id in held]
    await stores.instructions.add(
        [
            Instruction(
                placement.agent_code,
                placement.referral_id,
                HoldLifted(case_reference=placement.case_reference, lifted_on=handling.service.clock.today()),
                urgent=True,
                moratorium_reference=ended.moratorium_reference,
                hold_version=ended.hold_version,
            )
            for placement in lifted
        ]
    )
    await _confirm_when_sent(
        handling, ended.moratorium_reference, ended.hold_version, debt_ids, files_to_send=bool(lifted)
    )
