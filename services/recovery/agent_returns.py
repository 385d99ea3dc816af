"""What comes back from enforcement agents and collection agencies: a vulnerable debtor referred back (Derby
7.9), a case returned (nulla bona, gone away, untraceable, deceased, insolvent), a placement refused.

A vulnerable debtor's enforcement is held and agent referral barred until an officer reviews their
circumstances. A return for a reason that ends recovery (deceased, gone away, untraceable, insolvent) asks for the
write-off with that reason; any other return or a refused placement moves the case to its policy's next step (or,
with none left, to the write-off request the daily run makes for an exhausted timetable).
"""

from __future__ import annotations

import json
from datetime import timedelta
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.case_state import LoadedCase, StepRow, load_cases, record, reschedule
from services.recovery.domain.escalation import WriteOffReason
from services.recovery.domain.holds import vulnerability_hold
from services.recovery.holds import apply_hold, recall_referrals
from services.recovery.service import policies, runtime
from services.recovery.step_taking import StepsTaken
from shared.clock import clock
from shared.contracts.agents_gateway import CaseReturnedByAgent, PlacementRejected, VulnerabilityReferred
from shared.contracts.envelope import Envelope

# Returns that end recovery, and the write-off reason each gives (DOMAIN.md 9).
RETURNS_ENDING_RECOVERY: dict[str, WriteOffReason] = {
    "deceased": WriteOffReason.DECEASED_NO_ESTATE,
    "gone_away": WriteOffReason.ABSCONDED_UNTRACEABLE,
    "untraceable": WriteOffReason.ABSCONDED_UNTRACEABLE,
    "absconded": WriteOffReason.ABSCONDED_UNTRACEABLE,
    "insolvent": WriteOffReason.INSOLVENCY,
    "insolvency": WriteOffReason.INSOLVENCY,
    "bankrupt": WriteOffReason.INSOLVENCY,
    "outside_jurisdiction": WriteOffReason.OUTSIDE_JURISDICTION,
}
VULNERABILITY_REVIEW_DAYS = 28


def return_reason(reason: str) -> str:
    """An agent's return reason in one spelling: 'Gone Away' and 'gone-away' are both 'gone_away'."""
    return reason.strip().lower().replace("-", "_").replace(" ", "_")


async def _case(session: AsyncSession, debt_id: UUID) -> LoadedCase | None:
    case_id = (
        await session.execute(
            text("SELECT case_id FROM recovery.recovery_case WHERE debt_id = :id"), {"id": debt_id}
        )
    ).scalar_one_or_none()
    return None if case_id is None else (await load_cases(session, policies, [case_id]))[case_id]


def _referrals(case: LoadedCase, referral_id: UUID | None) -> list[StepRow]:
    """The referral named, or every agent referral still open on the case."""
    open_agent = [r for r in case.open_referrals() if r.agency_kind != "legal"]
    if referral_id is None:
        return open_agent
    return [r for r in open_agent if r.referral_id == referral_id]


@runtime.inbox.handles(VulnerabilityReferred)
async def vulnerability_referred(
    session: AsyncSession, referral: VulnerabilityReferred, envelope: Envelope
) -> None:
    """The agent found the debtor vulnerable: hold enforcement, bar agent referral until reviewed."""
    case = await _case(session, referral.debt_id)
    if case is None:
        return
    day = referral.referred_on
    indicators = ", ".join(referral.indicators) or "not stated"
    await session.execute(
        text(
            "UPDATE recovery.recovery_case SET vulnerable = true, circumstances_reviewed_on = NULL "
            "WHERE case_id = :case_id"
        ),
        {"case_id": case.case_id},
    )
    for customer_id in case.customer_ids:
        await session.execute(
            text(
                "INSERT INTO recovery.circumstances (entry_id, customer_id, recorded_on, vulnerable, cant_pay, "
                "wont_pay, indicators, large_print, reviewed, notes, recorded_by) VALUES (:id, :customer_id, "
                ":day, true, false, false, CAST(:indicators AS jsonb), false, false, :notes, :by)"
            ),
            {
                "id": uuid4(),
                "customer_id": customer_id,
                "day": day,
                "indicators": json.dumps(referral.indicators),
                "notes": referral.notes or "",
                "by": f"enforcement agent {referral.agent}",
            },
        )
    await recall_referrals(
        session,
        case,
        _referrals(case, None),
        day,
        f"vulnerable debtor referred back by {referral.agent} ({indicators})",
        immediate=False,
        how="referred_back",
        causation=envelope,
    )
    case = (await load_cases(session, policies, [case.case_id]))[case.case_id]
    await apply_hold(
        session,
        case,
        vulnerability_hold(
            day,
            f"referred back by enforcement agent {referral.agent}: {indicators}",
            f"enforcement agent {referral.agent}",
            review_on=day + timedelta(days=VULNERABILITY_REVIEW_DAYS),
        ),
        clock.today(),
        envelope,
    )


@runtime.inbox.handles(CaseReturnedByAgent)
async def case_returned(session: AsyncSession, returned: CaseReturnedByAgent, envelope: Envelope) -> None:
    """The agent gave the case back: write off when the reason ends recovery, else the policy's next step."""
    case = await _case(session, returned.debt_id)
    if case is None:
        return
    reason = return_reason(returned.reason)
    day = returned.returned_on
    await recall_referrals(
        session,
        case,
        _referrals(case, returned.referral_id),
        day,
        f"returned by {returned.agent}: {returned.reason}",
        immediate=False,
        how="returned",
        publish=False,
        causation=envelope,
    )
    write_off_reason = RETURNS_ENDING_RECOVERY.get(reason)
    case = (await load_cases(session, policies, [case.case_id]))[case.case_id]
    if (
        write_off_reason is not None
        and case.policy is not None
        and case.state.balance > 0
        and case.row["status"] == "open"
    ):
        work = StepsTaken(day)
        evidence = (f"agent {returned.agent} returned the case on {day.isoformat()}: {returned.reason}",)
        if returned.notes:
            evidence += (f"agent's notes: {returned.notes}",)
        work.request_write_off(case, write_off_reason, evidence, f"recovery on return from {returned.agent}")
        work.case_updates.append((case.case_id, case.state.balance, "write_off_requested", None, None))
        await work.write(session, runtime.outbox)
        return
    await reschedule(session, policies, [case.case_id], day)


@runtime.inbox.handles(PlacementRejected)
async def placement_rejected(session: AsyncSession, rejected: PlacementRejected, envelope: Envelope) -> None:
    """The agent would not take the case: it moves on to its policy's next step."""
    case = await _case(session, rejected.debt_id)
    if case is None:
        return
    await recall_referrals(
        session,
        case,
        _referrals(case, rejected.referral_id),
        rejected.rejected_on,
        f"placement refused by {rejected.agent}: {rejected.reason}",
        immediate=False,
        how="rejected",
        publish=False,
        causation=envelope,
    )
    await record(
        session,
        [(case.case_id, rejected.rejected_on, "placement_rejected", f"{rejected.agent}: {rejected.reason}")],
    )
    await reschedule(session, policies, [case.case_id], rejected.rejected_on)
