"""What comes back from enforcement agents and collection agencies: a vulnerable debtor referred back (Derby
7.9), a case returned (nulla bona, gone away, untraceable, deceased, insolvent), a placement refused.

A vulnerable debtor's enforcement is held and agent referral barred until an officer reviews their
circumstances. A return for a reason that ends recovery (deceased, gone away, untraceable) asks for the write-off
with that reason. A return reporting an insolvency (insolvent, bankrupt) does not: an insolvency write-off reaches
only the debt owed up to the date of the order (Derby App.1 §7), which the agent does not give, so the case waits
in the officers' decision tray for an officer to record the order's date and what was owed on it
(`domain/exhausted_timetable.py`). Any other return or a refused placement moves the case to its policy's next step
(or, with none left, to the officers' decision tray the daily run puts an exhausted timetable in).
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from services.recovery.case_state import LoadedCase, case_for_debt, load_case, reschedule
from services.recovery.domain.escalation import WriteOffReason
from services.recovery.domain.exhausted_timetable import AGENT_REPORTS_INSOLVENCY
from services.recovery.domain.holds import vulnerability_hold
from services.recovery.holds import apply_hold, recall_referrals
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.step_taking import StepsTaken
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.cases import CaseUpdate, StoredStep
from services.recovery.stores.customers import CircumstancesEntry
from shared.contracts.agents_gateway import (
    CaseReturnedByAgent,
    PlacementRedirected,
    PlacementRefused,
    PlacementRejected,
    VulnerabilityReferred,
)
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[RecoveryStores, Recovery]()

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


def _referrals(case: LoadedCase, referral_id: UUID | None) -> list[StoredStep]:
    """The referral named, or every agent referral still open on the case."""
    open_agent = [r for r in case.open_referrals() if r.agency_kind != "legal"]
    if referral_id is None:
        return open_agent
    return [r for r in open_agent if r.referral_id == referral_id]


@router.handles(VulnerabilityReferred)
async def vulnerability_referred(referral: VulnerabilityReferred, handling: RecoveryHandling) -> None:
    """The agent found the debtor vulnerable: hold enforcement, bar agent referral until reviewed."""
    stores, service = handling.stores, handling.service
    case = await case_for_debt(stores.cases, service.policies, referral.debt_id)
    if case is None:
        return
    day = referral.referred_on
    indicators = ", ".join(referral.indicators) or "not stated"
    await stores.cases.mark_vulnerable(case.case_id)
    for customer_id in case.customer_ids:
        await stores.customers.record_circumstances(
            CircumstancesEntry(
                entry_id=uuid4(),
                customer_id=customer_id,
                recorded_on=day,
                vulnerable=True,
                cant_pay=False,
                wont_pay=False,
                indicators=tuple(referral.indicators),
                large_print=False,
                reviewed=False,
                notes=referral.notes or "",
                recorded_by=f"enforcement agent {referral.agent}",
            )
        )
    await recall_referrals(
        handling,
        case,
        _referrals(case, None),
        day,
        f"vulnerable debtor referred back by {referral.agent} ({indicators})",
        immediate=False,
        how="referred_back",
    )
    held = await load_case(stores.cases, service.policies, case.case_id)
    assert held is not None
    await apply_hold(
        handling,
        held,
        vulnerability_hold(
            day,
            f"referred back by enforcement agent {referral.agent}: {indicators}",
            f"enforcement agent {referral.agent}",
            review_on=day + timedelta(days=VULNERABILITY_REVIEW_DAYS),
        ),
        service.clock.today(),
    )


@router.handles(CaseReturnedByAgent)
async def case_returned(returned: CaseReturnedByAgent, handling: RecoveryHandling) -> None:
    """The agent gave the case back: write off when the reason ends recovery (an insolvency: to the officers'
    decision tray, for the order's date and what was owed on it), else the policy's next step."""
    stores, service = handling.stores, handling.service
    case = await case_for_debt(stores.cases, service.policies, returned.debt_id)
    if case is None:
        return
    reason = return_reason(returned.reason)
    day = returned.returned_on
    await recall_referrals(
        handling,
        case,
        _referrals(case, returned.referral_id),
        day,
        f"returned by {returned.agent}: {returned.reason}",
        immediate=False,
        how="returned",
        publish=False,
    )
    write_off_reason = RETURNS_ENDING_RECOVERY.get(reason)
    returned_case = await load_case(stores.cases, service.policies, case.case_id)
    assert returned_case is not None
    if (
        write_off_reason is not None
        and returned_case.policy is not None
        and returned_case.state.balance > 0
        and returned_case.row.status == "open"
    ):
        work = StepsTaken(day)
        evidence: tuple[str, ...] = (
            f"agent {returned.agent} returned the case on {day.isoformat()}: {returned.reason}",
        )
        if returned.notes:
            evidence += (f"agent's notes: {returned.notes}",)
        if write_off_reason is WriteOffReason.INSOLVENCY:
            work.await_officer(
                returned_case,
                day,
                AGENT_REPORTS_INSOLVENCY,
                f"{'; '.join(evidence)}. Due for an officer's decision: {AGENT_REPORTS_INSOLVENCY}",
            )
            work.case_updates.append(
                CaseUpdate(returned_case.case_id, returned_case.state.balance, "open", None, None)
            )
            await work.write(stores, handling.outbox)
            return
        work.ask_write_off(
            returned_case, write_off_reason, evidence, f"recovery on return from {returned.agent}"
        )
        await work.write(stores, handling.outbox)
        return
    await reschedule(stores, service.policies, [case.case_id], day)


@router.handles(PlacementRefused)
async def placement_refused(refused: PlacementRefused, handling: RecoveryHandling) -> None:
    """The gateway would not send the referral (no agent may lawfully take it): the case record says it waits
    for an officer in the gateway's tray, why, and which collection agencies could take it. The referral stays
    open: the officer redirects it or returns it (then `placement.rejected` moves the case on)."""
    case = await case_for_debt(handling.stores.cases, handling.service.policies, refused.debt_id)
    if case is None:
        return
    alternatives = ", ".join(refused.lawful_alternatives) or "none"
    await handling.stores.record.append(
        [
            CaseEntry(
                case.case_id,
                refused.refused_on,
                "placement_refused",
                f"not sent to {refused.agent} ({refused.agency_kind}): {'; '.join(refused.reasons)}. Waiting for "
                f"an agents officer; collection agencies that may lawfully take it: {alternatives}",
            )
        ]
    )


@router.handles(PlacementRedirected)
async def placement_redirected(redirected: PlacementRedirected, handling: RecoveryHandling) -> None:
    """An officer sent a refused referral to an agent that may lawfully take it: the case record says so."""
    case = await case_for_debt(handling.stores.cases, handling.service.policies, redirected.debt_id)
    if case is None:
        return
    await handling.stores.record.append(
        [
            CaseEntry(
                case.case_id,
                redirected.redirected_on,
                "placement_redirected",
                f"sent to {redirected.agent} ({redirected.agency_kind}) by {redirected.redirected_by}",
            )
        ]
    )


@router.handles(PlacementRejected)
async def placement_rejected(rejected: PlacementRejected, handling: RecoveryHandling) -> None:
    """The agent would not take the case: it moves on to its policy's next step."""
    stores, service = handling.stores, handling.service
    case = await case_for_debt(stores.cases, service.policies, rejected.debt_id)
    if case is None:
        return
    await recall_referrals(
        handling,
        case,
        _referrals(case, rejected.referral_id),
        rejected.rejected_on,
        f"placement refused by {rejected.agent}: {rejected.reason}",
        immediate=False,
        how="rejected",
        publish=False,
    )
    await stores.record.append(
        [
            CaseEntry(
                case.case_id,
                rejected.rejected_on,
                "placement_rejected",
                f"{rejected.agent}: {rejected.reason}",
            )
        ]
    )
    await reschedule(stores, service.policies, [case.case_id], rejected.rejected_on)
