"""Taking recovery steps: the step on record, its letter, its referral or write-off request, the events, and the
case's new position, gathered for many cases and written in a few set-based statements.

The daily run collects a whole batch of cases into one `StepsTaken` and writes it once; a handler that takes a
single step (a reinstated debt referred back for enforcement) uses the same code with one case.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID, uuid4

from services.recovery.case_state import LoadedCase
from services.recovery.court_hearings import hearing_contract, hearing_text, summons_hearing_of
from services.recovery.domain.escalation import WriteOffReason, write_off_request
from services.recovery.domain.exhausted_timetable import (
    InsolvencyOrder,
    awaits_decision,
    due_for_decision_on,
    requests_write_off_by_itself,
)
from services.recovery.domain.policy import StepKind
from services.recovery.domain.proof_of_debt import ProofOfDebtRequest, reply_by
from services.recovery.domain.regulated_case import case_position
from services.recovery.domain.regulated_path import granted_order
from services.recovery.domain.step_engine import NextStep, StepStatus, take_step
from services.recovery.letter_facts import letter_facts_of
from services.recovery.letters import BUSINESS, INDIVIDUAL, has_letter, letter_for_step, letter_record
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.cases import CaseUpdate
from services.recovery.stores.customers import Debtor
from services.recovery.stores.exhausted_cases import BecameDue
from services.recovery.stores.letters import LetterRecord
from services.recovery.stores.proof_of_debt import ProofOfDebtRequestRecord
from services.recovery.stores.steps import NoticeRecord, ReferralRecord, StepRecord, WriteOffRequestRecord
from shared.contracts.envelope import Contract
from shared.contracts.proof_of_debt import ASKED, ProofOfDebtRequested
from shared.contracts.recovery import (
    CaseReferred,
    NoticeIssued,
    StageAdvanced,
    WriteOffRequested,
)
from shared.messaging.event_writer import EventWriter
from shared.money import format_pounds

__all__ = ["AGENCY_KIND", "REQUESTED_BY_TIMETABLE", "Debtor", "StepsTaken"]

AGENCY_KIND = {
    StepKind.ENFORCEMENT_AGENT_REFERRAL: "enforcement_agent",
    StepKind.COLLECTION_AGENCY_REFERRAL: "collection_agency",
    StepKind.LEGAL_REFERRAL: "legal",
}
REQUESTED_BY_TIMETABLE = "recovery timetable"


@dataclass
class StepsTaken:
    """Everything a batch of recovery work writes, gathered so it can be written in a handful of statements."""

    business_date: date
    steps: list[StepRecord] = field(default_factory=list)
    referrals: list[ReferralRecord] = field(default_factory=list)
    notices: list[NoticeRecord] = field(default_factory=list)
    write_off_requests: list[WriteOffRequestRecord] = field(default_factory=list)
    entries: list[CaseEntry] = field(default_factory=list)
    case_updates: list[CaseUpdate] = field(default_factory=list)
    messages: list[Contract] = field(default_factory=list)
    letters: list[LetterRecord] = field(default_factory=list)  # what each letter's PDF shows (issue 16)
    proofs_of_debt: list[ProofOfDebtRequestRecord] = field(default_factory=list)  # NELC 5.10 (issue 20)
    # Exhausted timetables waiting for an officer's decision, from the day each became due (issue 19).
    awaiting_decision: list[BecameDue] = field(default_factory=list)

    def take(
        self,
        case: LoadedCase,
        step_name: str,
        amount_pursued: int,
        debtor: Debtor,
        advice_referral: bool,
        referral_note: str = "",
        costs: int | None = None,
        *,
        outside_the_timetable: bool = False,
    ) -> None:
        """Take the named step of the case's policy today: record it, write its letter, make its referral or
        write-off request, publish what happened, and work out the case's next position. `costs`, when given,
        replaces the policy's (a liability order carries the costs the court awarded). A step an officer decided
        `outside_the_timetable` (legal action on an exhausted timetable, issue 19) leaves the case no date of its
        own: the timetable has nothing left, and when the referral ends the case is looked at again."""
        policy = case.policy
        assert policy is not None, "a case without a policy takes no step"
        step = policy.step_named(step_name)
        if costs is not None:
            step = replace(step, costs=costs)
        day = self.business_date
        step_id = uuid4()
        self.steps.append(StepRecord(step_id, case.case_id, step.name, step.kind.value, day, step.costs))
        costs_text = f", costs of {format_pounds(step.costs)} added" if step.costs else ""
        hearing = summons_hearing_of(policy, step, day)
        self.entries.append(
            CaseEntry(
                case.case_id,
                day,
                "step",
                f"{step.name} ({step.kind.value}){costs_text}{hearing_text(hearing)}",
            )
        )
        joint = next(
            (
                h
                for h in case.state.holds
                if h.is_breathing_space and h.other_parties_why and h.is_active_on(day)
            ),
            None,
        )
        if joint is not None:  # every action on a joint debt in a breathing space is recorded with why
            self.entries.append(
                CaseEntry(
                    case.case_id,
                    day,
                    "joint_debt",
                    f"{step.name} during breathing space {joint.reference}: "
                    f"{joint.other_parties_policy or 'council policy'} ({joint.other_parties_why})",
                )
            )
        self.messages.append(
            StageAdvanced(
                case_id=case.case_id,
                debt_id=case.debt_id,
                step_name=step.name,
                step_kind=step.kind.value,
                taken_on=day,
                costs_added_pence=step.costs,
                enforcement_options_opened=[o.value for o in step.opens],
                hearing=hearing_contract(hearing),
            )
        )
        amount_owed = amount_pursued + step.costs
        if has_letter(step):
            notice_id = uuid4()
            issued = letter_for_step(
                policy,
                step,
                debtor_name=debtor.name,
                reference=case.row.external_reference or str(case.debt_id),
                debt_type=case.row.debt_type,
                financial_year=case.row.financial_year,
                amount_owed=amount_owed,
                issued_on=day,
                due_date=case.row.due_date,
                advice_referral=advice_referral,
                large_print=debtor.large_print,
                recipient_kind=INDIVIDUAL if case.row.debtor_is_individual else BUSINESS,
                originating_service=case.row.originating_service,
                **letter_facts_of(case, step, day, hearing),
            )
            letter = issued.text
            self.letters.append(letter_record(issued, notice_id, case.case_id, day))
            self.notices.append(
                NoticeRecord(
                    notice_id, case.case_id, step_id, step.name, day, amount_owed, debtor.large_print, letter
                )
            )
            self.entries.append(
                CaseEntry(
                    case.case_id, day, "notice", f"{step.name} letter issued for {format_pounds(amount_owed)}"
                )
            )
            self.messages.append(
                NoticeIssued(
                    notice_id=notice_id,
                    case_id=case.case_id,
                    debt_id=case.debt_id,
                    customer_ids=case.customer_ids,
                    step_name=step.name,
                    issued_on=day,
                    amount_pence=amount_owed,
                    large_print=debtor.large_print,
                    letter_text=letter,
                )
            )
        status = "open"
        if step.is_referral:
            referral_id = uuid4()
            agency = AGENCY_KIND[step.kind]
            self.referrals.append(
                ReferralRecord(referral_id, case.case_id, step_id, agency, day, amount_owed)
            )
            self.entries.append(
                CaseEntry(
                    case.case_id,
                    day,
                    "referral",
                    f"referred to {agency.replace('_', ' ')}. {referral_note}".strip(),
                )
            )
            if step.is_agent_referral:
                liability_order = next(
                    (
                        s.taken
                        for s in case.steps
                        if s.taken.kind is StepKind.LIABILITY_ORDER and not s.taken.void
                    ),
                    None,
                )
                # The court's own reference for the order it granted; never one made up here.
                granted = granted_order(case.court_results)
                self.messages.append(
                    CaseReferred(
                        referral_id=referral_id,
                        case_id=case.case_id,
                        debt_id=case.debt_id,
                        customer_ids=case.customer_ids,
                        debt_type=case.row.debt_type,
                        balance_pence=amount_owed,
                        referred_on=day,
                        agency_kind=agency,
                        liability_order_reference=granted.court_reference if granted else None,
                        liability_order_date=(
                            granted.heard_on
                            if granted
                            else liability_order.taken_on
                            if liability_order
                            else None
                        ),
                        vulnerability_flags=["vulnerable"] if case.row.vulnerable else [],
                        contact_notes=referral_note or None,
                    )
                )
        taken_state = take_step(case.state, step, day)
        if step.kind is StepKind.PROOF_OF_DEBT_REQUEST:
            asked = self._ask_for_proof_of_debt(case, step_id, step.name, step.reply_within_working_days)
            taken_state = replace(taken_state, proof_of_debt=asked)
        if step.kind is StepKind.WRITE_OFF_REQUEST:
            if requests_write_off_by_itself(policy, taken_state.balance):  # the council's explicit opt-in
                self.request_write_off(
                    replace(case, state=taken_state),
                    WriteOffReason.UNECONOMIC_TO_PURSUE,
                    (),
                    REQUESTED_BY_TIMETABLE,
                )
                status = "write_off_requested"
            else:  # issue 19: the timetable's end is an officer's decision, from the day of this step
                self._await_decision(case, taken_state.balance, day)
            self.case_updates.append(CaseUpdate(case.case_id, taken_state.balance, status, None, None))
            return
        name, when = (
            (None, None)
            if outside_the_timetable
            else case_position(policy, taken_state, case.ledger, case.court_results, day)
        )
        self.case_updates.append(CaseUpdate(case.case_id, taken_state.balance, status, name, when))

    def _ask_for_proof_of_debt(
        self, case: LoadedCase, step_id: UUID, step_name: str, reply_within_working_days: int | None
    ) -> ProofOfDebtRequest:
        """Ask the service that raised the debt to prove it by the reply-by date (NELC 5.10,
        `domain/proof_of_debt.py`): the request on record, on the case record and to the service."""
        assert case.policy is not None
        day = self.business_date
        request_id = uuid4()
        last_day = reply_by(day, reply_within_working_days)
        service = case.row.originating_service
        self.proofs_of_debt.append(
            ProofOfDebtRequestRecord(
                request_id, case.case_id, step_id, step_name, service, ASKED, day, last_day
            )
        )
        self.entries.append(
            CaseEntry(
                case.case_id,
                day,
                "proof_of_debt_requested",
                f"proof of the debt asked of {service}, to be provided by {last_day}; no proof by then and the "
                "debt goes to write-off (NELC 5.10)",
            )
        )
        self.messages.append(
            ProofOfDebtRequested(
                request_id=request_id,
                case_id=case.case_id,
                debt_id=case.debt_id,
                council=case.policy.council,
                originating_service=service,
                external_reference=case.row.external_reference or None,
                income_code=case.row.income_code,
                debt_type=case.row.debt_type,
                amount_pence=case.state.balance,
                evidence_reference=case.row.evidence_reference or None,
                asked=ASKED,
                requested_on=day,
                reply_by=last_day,
            )
        )
        return ProofOfDebtRequest(step_name, day, last_day)

    def no_proof_of_debt(self, case: LoadedCase, why: str) -> None:
        """No proof of the debt (not provided, or no answer by the reply-by date): ask for the write-off with
        reason `no_proof_of_debt` (NELC 5.10), the rule's reason on the case record and as evidence."""
        self.entries.append(CaseEntry(case.case_id, self.business_date, "no_proof_of_debt", why))
        evidence = [why]
        proof = case.proof_of_debt
        if proof is not None:
            evidence.append(
                f"proof asked of {proof.request.originating_service} on {proof.request.requested_on}, "
                f"reply by {proof.request.reply_by} (request {proof.request.request_id})"
            )
        self.ask_write_off(case, WriteOffReason.NO_PROOF_OF_DEBT, tuple(evidence), REQUESTED_BY_TIMETABLE)

    def at_write_off_point(self, case: LoadedCase, decision: NextStep) -> bool:
        """Where the timetable reaches the point of a write-off by itself: no proof of the debt (not provided, or no
        answer by the reply-by date: the `no_proof_of_debt` write-off is asked, NELC 5.10) or every step taken
        (`exhausted`: the officers' decision tray, or the council's opted-in request). True when that was done;
        False for any other decision, or when a write-off was refused already: an officer decides then, not the
        timetable, and nothing is gathered here."""
        if decision.status not in (StepStatus.NO_PROOF_OF_DEBT, StepStatus.EXHAUSTED):
            return False
        if case.row.write_off_rejected_reason:
            return False
        if decision.status is StepStatus.NO_PROOF_OF_DEBT:
            self.no_proof_of_debt(case, decision.reason)
        else:
            self.exhausted(case)
        return True

    def request_write_off(
        self,
        case: LoadedCase,
        reason: WriteOffReason,
        evidence: tuple[str, ...],
        requested_by: str,
        insolvency: InsolvencyOrder | None = None,
    ) -> None:
        """Ask the write-off service to write the case's balance off, with the reason and the evidence; for an
        insolvency, only what was owed on the date of the order, with the order's date (Derby App.1 §7)."""
        assert case.policy is not None
        request = write_off_request(
            case.policy,
            case.state,
            reason,
            evidence or (f"recovery exhausted under the {case.policy.council} {case.row.debt_type} policy",),
            self.business_date,
        )
        if insolvency is not None:
            request = replace(
                request,
                amount=min(request.amount, insolvency.owed_at_order_date_pence),
                evidence=(
                    f"insolvency order dated {insolvency.order_date.isoformat()}: "
                    f"{format_pounds(insolvency.owed_at_order_date_pence)} owed on that date",
                    *request.evidence,
                ),
            )
        request_id = uuid4()
        self.write_off_requests.append(
            WriteOffRequestRecord(
                request_id,
                case.case_id,
                case.debt_id,
                reason.value,
                request.amount,
                tuple(request.evidence),
                requested_by,
                self.business_date,
            )
        )
        self.entries.append(
            CaseEntry(
                case.case_id,
                self.business_date,
                "write_off_request",
                f"write-off of {format_pounds(request.amount)} requested: {reason.value}",
            )
        )
        customer_ids = case.customer_ids
        self.messages.append(
            WriteOffRequested(
                request_id=request_id,
                case_id=case.case_id,
                debt_id=case.debt_id,
                customer_id=customer_ids[0] if customer_ids else None,
                debt_type=case.row.debt_type,
                income_code=case.row.income_code,
                originating_service=case.row.originating_service,
                financial_year=case.row.financial_year,
                amount_pence=request.amount,
                reason_code=reason.value,
                evidence=list(request.evidence),
                requested_by=requested_by,
                requested_on=self.business_date,
                council=case.policy.council if case.policy else None,
                insolvency_order_date=insolvency.order_date if insolvency else None,
                owed_at_order_date_pence=insolvency.owed_at_order_date_pence if insolvency else None,
            )
        )

    def exhausted(self, case: LoadedCase) -> None:
        """Every step is taken and money is still owed: the case waits for an officer's decision (write off with
        a reason, legal action, arrangement, cancel: `domain/exhausted_timetable.py`, issue 19), from the day
        after its last step. Only a council that opted in (`write_off_when_exhausted: true`) has recovery ask
        for an `uneconomic_to_pursue` write-off by itself (here, and at a timetable's `write_off_request` step)."""
        assert case.policy is not None
        balance = case.state.balance
        if requests_write_off_by_itself(case.policy, balance):
            self.request_write_off(case, WriteOffReason.UNECONOMIC_TO_PURSUE, (), REQUESTED_BY_TIMETABLE)
            self.case_updates.append(CaseUpdate(case.case_id, balance, "write_off_requested", None, None))
            return
        if awaits_decision(case.policy, balance):
            last = case.state.last_step
            self._await_decision(
                case, balance, due_for_decision_on(last.taken_on if last else None, self.business_date)
            )
        self.case_updates.append(CaseUpdate(case.case_id, balance, "open", None, None))

    def _await_decision(self, case: LoadedCase, balance: int, due_on: date) -> None:
        """The case waits for an officer's decision from `due_on` (issue 19), on the case record."""
        self.await_officer(
            case,
            due_on,
            f"timetable exhausted with {format_pounds(balance)} owed",
            f"timetable exhausted with {format_pounds(balance)} owed: due from {due_on} for an officer's "
            "decision (write off with a reason, legal action, arrangement or cancel)",
        )

    def await_officer(self, case: LoadedCase, due_on: date, why: str, entry: str | None = None) -> None:
        """The case waits in the officers' decision tray from `due_on`, for `why` (shown in the tray), with a
        line on the case record; its timetable takes no step by itself meanwhile."""
        self.awaiting_decision.append(BecameDue(case.case_id, due_on, why))
        self.entries.append(
            CaseEntry(
                case.case_id,
                self.business_date,
                "awaiting_decision",
                entry or f"due from {due_on} for an officer's decision: {why}",
            )
        )

    def move(self, case: LoadedCase, name: str | None, when: date | None) -> None:
        """No step today: only the case's stored position changes."""
        self.case_updates.append(CaseUpdate(case.case_id, case.state.balance, case.row.status, name, when))

    def ask_write_off(
        self,
        case: LoadedCase,
        reason: WriteOffReason,
        evidence: tuple[str, ...],
        requested_by: str,
        insolvency: InsolvencyOrder | None = None,
    ) -> None:
        """Ask for the write-off and mark the case as waiting for the answer."""
        self.request_write_off(case, reason, evidence, requested_by, insolvency)
        self.case_updates.append(
            CaseUpdate(case.case_id, case.state.balance, "write_off_requested", None, None)
        )

    async def write(self, stores: RecoveryStores, outbox: EventWriter) -> None:
        """Write everything gathered: history rows with unnest, the case rows in one UPDATE, events in one go."""
        await stores.steps.add_steps(self.steps)
        await stores.steps.add_referrals(self.referrals)
        await stores.steps.add_notices(self.notices)
        await stores.letters.add_letters(self.letters)
        await stores.steps.add_write_off_requests(self.write_off_requests)
        await stores.proofs_of_debt.add_requests(self.proofs_of_debt)
        await stores.record.append(self.entries)
        await stores.cases.update(self.case_updates)
        if self.awaiting_decision:
            await stores.exhausted_cases.became_due(self.awaiting_decision)
        await outbox.add_all(self.messages)
