"""Recovery's stores kept in memory, for handler tests with no database: each is the real store class with the
methods those handlers use answered from lists (a method not answered here would reach for a session there is
not, and fail loudly)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from uuid import UUID

from services.recovery.domain.hb_order_of_recovery import BenefitAnswer, BenefitRequestMade, RecoveryMethod
from services.recovery.domain.instalments import Instalment, InstalmentLedger, InstalmentPayment
from services.recovery.domain.regulated_path import CourtResult
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.stores import RecoveryStores
from services.recovery.stores.arrangements import ArrangementStore
from services.recovery.stores.benefit_deductions import (
    BenefitDeductionAnswerRecord,
    BenefitDeductionRequestRecord,
    BenefitDeductionStore,
)
from services.recovery.stores.case_record import CaseEntry, CaseRecordStore
from services.recovery.stores.cases import (
    CaseClosing,
    CaseRow,
    CaseStore,
    CaseUpdate,
    DebtCase,
    DebtOpened,
    Position,
    StoredHold,
    StoredStep,
    WrittenOff,
)
from services.recovery.stores.court_results import CourtResultRecord, CourtResultStore
from services.recovery.stores.court_results_files import CourtResultsFileStore
from services.recovery.stores.customers import CustomerStore, Debtor
from services.recovery.stores.daily_runs import CustomerDebt, DailyRunStore
from services.recovery.stores.exhausted_cases import ExhaustedCaseStore
from services.recovery.stores.holds import HoldStore, NewHold
from services.recovery.stores.instalments import InstalmentStore, StoredInstalment, StoredInstalmentPayment
from services.recovery.stores.letters import LetterRecord, LetterStore
from services.recovery.stores.moratoria import BreathingSpaceNotice, BreathingSpaceNoticeStore
from services.recovery.stores.proof_of_debt import (
    ProofOfDebtAnswerRecord,
    ProofOfDebtRequestRecord,
    ProofOfDebtStore,
    StoredProofOfDebt,
)
from services.recovery.stores.steps import (
    NoticeRecord,
    ReferralRecord,
    StepRecord,
    StepStore,
    WriteOffOutcome,
    WriteOffRequestRecord,
)
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling


class InMemoryCases(CaseStore):
    """Case rows, steps and holds in dictionaries and lists."""

    def __init__(self) -> None:
        self.by_id: dict[UUID, CaseRow] = {}
        self.stored_steps: list[StoredStep] = []
        self.stored_holds: list[StoredHold] = []
        self.ledgers: dict[UUID, InstalmentLedger] = {}
        self.court: dict[UUID, tuple[CourtResult, ...]] = {}
        self.proof_requests: list[ProofOfDebtRequestRecord] = []
        self.proof_answers: list[ProofOfDebtAnswerRecord] = []
        self.benefit_asked: list[BenefitDeductionRequestRecord] = []
        self.benefit_answers: list[BenefitDeductionAnswerRecord] = []
        self.write_off_outcomes: list[WriteOffOutcome] = []
        self.awaiting_decision_why: dict[UUID, str | None] = {}

    async def benefit_requests(self, case_ids: list[UUID]) -> dict[UUID, list[BenefitRequestMade]]:
        found: dict[UUID, list[BenefitRequestMade]] = {}
        for r in self.benefit_asked:
            if r.case_id in case_ids:
                answers = [a for a in self.benefit_answers if a.request_id == r.request_id]
                last = answers[-1] if answers else None
                found.setdefault(r.case_id, []).append(
                    BenefitRequestMade(
                        RecoveryMethod(r.method),
                        r.requested_on,
                        BenefitAnswer(last.outcome) if last else None,
                        last.answered_on if last else None,
                    )
                )
        return found

    def stored_proof(self, request: ProofOfDebtRequestRecord) -> StoredProofOfDebt:
        answers = [a for a in self.proof_answers if a.request_id == request.request_id]
        return StoredProofOfDebt(request, answers[0] if answers else None)

    async def proofs_of_debt(self, case_ids: list[UUID]) -> dict[UUID, list[StoredProofOfDebt]]:
        found: dict[UUID, list[StoredProofOfDebt]] = {}
        for r in self.proof_requests:
            if r.case_id in case_ids:
                found.setdefault(r.case_id, []).append(self.stored_proof(r))
        return found

    async def instalment_ledgers(self, debt_ids: list[UUID]) -> dict[UUID, InstalmentLedger]:
        return {d: self.ledgers[d] for d in debt_ids if d in self.ledgers}

    async def court_results(self, case_ids: list[UUID]) -> dict[UUID, tuple[CourtResult, ...]]:
        return {c: self.court[c] for c in case_ids if c in self.court}

    async def debt_cases(self, debt_ids: list[UUID]) -> list[DebtCase]:
        return [
            DebtCase(row.case_id, row.debt_id, row.arrangement_id, row.arrangement_status)
            for row in self.by_id.values()
            if row.debt_id in debt_ids
        ]

    async def rows(self, case_ids: list[UUID]) -> list[CaseRow]:
        return [self.by_id[c] for c in case_ids if c in self.by_id]

    async def steps(self, case_ids: list[UUID]) -> list[StoredStep]:
        return [s for s in self.stored_steps if s.case_id in case_ids]

    async def holds(self, case_ids: list[UUID]) -> list[StoredHold]:
        return [h for h in self.stored_holds if h.case_id in case_ids]

    async def case_ids_held_by(self, reference: str) -> list[UUID]:
        return list(dict.fromkeys(h.case_id for h in self.stored_holds if h.hold.reference == reference))

    async def case_ids_for_debts(self, debt_ids: list[UUID]) -> dict[UUID, UUID]:
        return {row.debt_id: row.case_id for row in self.by_id.values() if row.debt_id in debt_ids}

    async def open(self, case: DebtOpened) -> bool:
        if any(row.debt_id == case.debt_id for row in self.by_id.values()):
            return False
        self.by_id[case.case_id] = CaseRow(
            case_id=case.case_id,
            debt_id=case.debt_id,
            customer_ids=list(case.customer_ids),
            debt_type=case.debt_type,
            balance_pence=case.amount_pence,
            due_date=case.due_date,
            status="open",
            opened_at=None,
            financial_year=case.financial_year,
            income_code=case.income_code,
            originating_service=case.originating_service,
            external_reference=case.external_reference,
            evidence_reference=case.evidence_reference,
            raised_on=case.raised_on,
            policy_group=case.policy_group,
            awaiting_default=case.awaiting_default,
            defaults_count=1,
            defaulted_instalments=[],
            arrangement_id=None,
            arrangement_status=None,
            vulnerable=False,
            cant_pay=False,
            circumstances_reviewed_on=None,
            debtor_is_individual=True,
            next_step_name=None,
            next_step_eligible_from=None,
            write_off_rejected_reason=None,
            closed_reason=None,
            closed_on=None,
        )
        return True

    def _change(self, case_id: UUID, **changes: Any) -> None:
        self.by_id[case_id] = dataclasses.replace(self.by_id[case_id], **changes)

    async def instalment_defaulted(self, case_id: UUID, number: int, due_date: date, count: int) -> None:
        row = self.by_id[case_id]
        self._change(
            case_id,
            defaults_count=count,
            awaiting_default=False,
            due_date=due_date,
            defaulted_instalments=[*row.defaulted_instalments, number],
        )

    async def store_positions(self, positions: list[Position]) -> None:
        for p in positions:
            self._change(p.case_id, next_step_name=p.next_step_name, next_step_eligible_from=p.eligible_from)

    async def reduce_balance(self, case_id: UUID, by_pence: int) -> None:
        self._change(case_id, balance_pence=self.by_id[case_id].balance_pence - by_pence)

    async def close(self, closings: list[CaseClosing]) -> None:
        for c in closings:
            self._change(c.case_id, status="closed", next_step_name=None, next_step_eligible_from=None)

    async def set_balances(self, balances: dict[UUID, int]) -> None:
        for case_id, balance in balances.items():
            self._change(case_id, balance_pence=balance)

    async def approvals_heard(self, request_ids: list[UUID]) -> set[UUID]:
        return {o.request_id for o in self.write_off_outcomes if o.outcome == "approved"} & set(request_ids)

    async def write_offs_stated(self, written_off: dict[UUID, int]) -> None:
        for case_id, pence in written_off.items():
            ahead = self.by_id[case_id].billing_write_off_ahead_pence
            self._change(case_id, billing_write_off_ahead_pence=ahead + pence)

    async def written_off(self, cases: list[WrittenOff]) -> None:
        for w in cases:
            self._change(w.case_id, balance_pence=w.balance_pence)
            self._change(w.case_id, billing_write_off_ahead_pence=w.billing_write_off_ahead_pence)
            if w.stays_open:
                self._change(
                    w.case_id,
                    status="open",
                    write_off_rejected_reason=None,
                    next_step_name=w.next_step_name,
                    next_step_eligible_from=w.eligible_from,
                )
                if w.awaiting_decision_why is not None:
                    self._change(w.case_id, awaiting_decision_since=w.awaiting_decision_since)
                    self.awaiting_decision_why[w.case_id] = w.awaiting_decision_why

    async def update(self, updates: list[CaseUpdate]) -> None:
        for u in updates:
            self._change(
                u.case_id,
                balance_pence=u.balance_pence,
                status=u.status,
                next_step_name=u.next_step_name,
                next_step_eligible_from=u.eligible_from,
            )


class InMemoryRecord(CaseRecordStore):
    """The case record as a list of entries."""

    def __init__(self) -> None:
        self.entries: list[CaseEntry] = []

    async def append(self, entries: list[CaseEntry]) -> None:
        self.entries.extend(entries)


class InMemorySteps(StepStore):
    """Steps, referrals, letters and write-off requests as lists."""

    def __init__(self, cases: InMemoryCases) -> None:
        self.cases = cases
        self.taken: list[StepRecord] = []
        self.referrals: list[ReferralRecord] = []
        self.notices: list[NoticeRecord] = []
        self.write_off_requests: list[WriteOffRequestRecord] = []

    async def add_steps(self, steps: list[StepRecord]) -> None:
        from services.recovery.domain.case import StepTaken
        from services.recovery.domain.policy import StepKind

        self.taken.extend(steps)
        self.cases.stored_steps.extend(
            StoredStep(
                s.case_id,
                s.step_id,
                None,
                None,
                StepTaken(s.step_name, StepKind(s.kind), s.taken_on, s.costs_pence),
            )
            for s in steps
        )

    async def add_referrals(self, referrals: list[ReferralRecord]) -> None:
        self.referrals.extend(referrals)
        by_step = {r.step_id: r for r in referrals}
        self.cases.stored_steps = [
            dataclasses.replace(
                s, referral_id=by_step[s.step_id].referral_id, agency_kind=by_step[s.step_id].agency_kind
            )
            if s.step_id in by_step
            else s
            for s in self.cases.stored_steps
        ]

    async def void(self, step_ids: list[UUID], day: date, reason: str) -> None:
        self.cases.stored_steps = [
            dataclasses.replace(s, taken=s.taken.voided()) if s.step_id in step_ids else s
            for s in self.cases.stored_steps
        ]

    async def end_referral(self, referral_id: UUID, day: date, how: str, reason: str) -> bool:
        step = next(s for s in self.cases.stored_steps if s.referral_id == referral_id)
        if step.taken.recalled_on is not None:
            return False
        self.cases.stored_steps = [
            dataclasses.replace(s, taken=s.taken.recalled(day)) if s is step else s
            for s in self.cases.stored_steps
        ]
        return True

    async def add_notices(self, notices: list[NoticeRecord]) -> None:
        self.notices.extend(notices)

    async def add_write_off_requests(self, requests: list[WriteOffRequestRecord]) -> None:
        self.write_off_requests.extend(requests)

    async def add_write_off_outcomes(self, outcomes: list[WriteOffOutcome]) -> None:
        heard = {o.request_id for o in self.cases.write_off_outcomes}
        self.cases.write_off_outcomes.extend(o for o in outcomes if o.request_id not in heard)


class InMemoryHolds(HoldStore):
    """Holds kept on the in-memory cases (one hold per moratorium reference on a case, as the unique index says)."""

    def __init__(self, cases: InMemoryCases) -> None:
        self.cases = cases

    async def put(self, holds: list[NewHold]) -> set[UUID]:
        inserted: set[UUID] = set()
        for new in holds:
            if new.hold.reference and any(
                h.case_id == new.case_id and h.hold.reference == new.hold.reference
                for h in self.cases.stored_holds
            ):
                continue
            self.cases.stored_holds.append(StoredHold(new.case_id, new.hold_id, new.hold))
            inserted.add(new.hold_id)
        return inserted

    async def lift(self, hold_id: UUID, lifted_on: date, lifted_by: str, reason: str) -> bool:
        held = next(h for h in self.cases.stored_holds if h.hold_id == hold_id)
        if held.hold.lifted_on is not None:
            return False
        self.cases.stored_holds = [
            dataclasses.replace(h, hold=h.hold.lifted(lifted_on)) if h is held else h
            for h in self.cases.stored_holds
        ]
        return True


class InMemoryCustomers(CustomerStore):
    """Debtors by case (everyone is 'the account holder' unless named here)."""

    def __init__(self) -> None:
        self.debtors: dict[UUID, Debtor] = {}

    async def debtor(self, customer_ids: list[UUID]) -> Debtor:
        return Debtor()

    async def debtors_of_cases(self, case_ids: list[UUID]) -> dict[UUID, Debtor]:
        return {c: d for c, d in self.debtors.items() if c in case_ids}


class InMemoryMoratoria(BreathingSpaceNoticeStore):
    """No breathing space heard of, unless a test adds one."""

    def __init__(self) -> None:
        self.notices: list[BreathingSpaceNotice] = []

    async def remember(
        self,
        reference: str,
        debt_ids: list[UUID],
        kind: str,
        starts_on: date,
        expected_end_on: date | None,
        version: int,
    ) -> None:
        known = {(n.moratorium_reference, n.debt_id) for n in self.notices}
        self.notices.extend(
            BreathingSpaceNotice(reference, d, kind, starts_on, expected_end_on, None, version)
            for d in debt_ids
            if (reference, d) not in known
        )

    async def for_debt(self, debt_id: UUID) -> list[BreathingSpaceNotice]:
        return [n for n in self.notices if n.debt_id == debt_id]

    async def ended(self, reference: str, last_protected_day: date, version: int) -> None:
        self.notices = [
            dataclasses.replace(
                n, last_protected_day=last_protected_day, hold_version=max(n.hold_version, version)
            )
            if n.moratorium_reference == reference
            else n
            for n in self.notices
        ]


class InMemoryDailyRuns(DailyRunStore):
    """The due cases, read from the in-memory case rows."""

    def __init__(self, cases: InMemoryCases) -> None:
        self.cases = cases

    async def due_cases(self, business_date: date, batch: int, *, wait: bool = False) -> list[UUID]:
        due = [
            row
            for row in self.cases.by_id.values()
            if row.status == "open"
            and row.next_step_eligible_from is not None
            and row.next_step_eligible_from <= business_date
        ]
        due.sort(key=lambda row: row.next_step_eligible_from or business_date)
        return [row.case_id for row in due[:batch]]

    async def customer_debts(self, customers: list[UUID], business_date: date) -> list[CustomerDebt]:
        return []


class InMemoryInstalments(InstalmentStore):
    """Instalments and payments kept as ledgers on the in-memory cases (what the engine reads)."""

    def __init__(self, cases: InMemoryCases) -> None:
        self.cases = cases

    async def add_instalments(self, instalments: list[StoredInstalment]) -> None:
        for i in instalments:
            ledger = self.cases.ledgers.get(i.debt_id, InstalmentLedger(i.financial_year))
            self.cases.ledgers[i.debt_id] = ledger.with_instalments(
                [Instalment(i.instalment_number, i.due_date, i.amount_pence)]
            )

    async def add_payments(self, payments: list[StoredInstalmentPayment]) -> None:
        for p in payments:
            if p.debt_id in self.cases.ledgers:
                self.cases.ledgers[p.debt_id] = self.cases.ledgers[p.debt_id].with_payment(
                    InstalmentPayment(p.payment_reference, p.paid_on, p.amount_pence, p.instalment_number)
                )

    async def ledgers(self, debt_ids: list[UUID]) -> dict[UUID, InstalmentLedger]:
        return await self.cases.instalment_ledgers(debt_ids)


class InMemoryCourtResults(CourtResultStore):
    """The court's outcomes kept on the in-memory cases."""

    def __init__(self, cases: InMemoryCases) -> None:
        self.cases = cases
        self.records: list[CourtResultRecord] = []

    async def add(self, record: CourtResultRecord) -> None:
        self.records.append(record)
        self.cases.court[record.case_id] = (*self.cases.court.get(record.case_id, ()), record.result)

    async def for_cases(self, case_ids: list[UUID]) -> dict[UUID, list[CourtResultRecord]]:
        found: dict[UUID, list[CourtResultRecord]] = {}
        for r in self.records:
            if r.case_id in case_ids:
                found.setdefault(r.case_id, []).append(r)
        return found


class InMemoryProofsOfDebt(ProofOfDebtStore):
    """Proof of debt requests and answers kept on the in-memory cases."""

    def __init__(self, cases: InMemoryCases) -> None:
        self.cases = cases

    async def add_requests(self, requests: list[ProofOfDebtRequestRecord]) -> None:
        self.cases.proof_requests.extend(requests)

    async def add_answer(self, answer: ProofOfDebtAnswerRecord) -> None:
        if all(a.answer_id != answer.answer_id for a in self.cases.proof_answers):
            self.cases.proof_answers.append(answer)

    async def request(self, request_id: UUID) -> StoredProofOfDebt | None:
        found = next((r for r in self.cases.proof_requests if r.request_id == request_id), None)
        return None if found is None else self.cases.stored_proof(found)


class InMemoryBenefitDeductions(BenefitDeductionStore):
    """Requests to the benefits system and its answers kept on the in-memory cases."""

    def __init__(self, cases: InMemoryCases) -> None:
        self.cases = cases

    async def add_request(self, request: BenefitDeductionRequestRecord) -> None:
        self.cases.benefit_asked.append(request)

    async def add_answer(self, answer: BenefitDeductionAnswerRecord) -> None:
        if all(a.answer_id != answer.answer_id for a in self.cases.benefit_answers):
            self.cases.benefit_answers.append(answer)

    async def request(self, request_id: UUID) -> BenefitDeductionRequestRecord | None:
        return next((r for r in self.cases.benefit_asked if r.request_id == request_id), None)

    async def latest_request(self, case_id: UUID) -> BenefitDeductionRequestRecord | None:
        return next((r for r in reversed(self.cases.benefit_asked) if r.case_id == case_id), None)


class InMemoryLetters(LetterStore):
    """Letters issued and addresses, as lists (issue 16)."""

    def __init__(self) -> None:
        self.issued: list[LetterRecord] = []
        self.addresses: dict[UUID, tuple[list[str], str]] = {}

    async def add_letters(self, letters: list[LetterRecord]) -> None:
        self.issued.extend(letters)

    async def remember_address(self, customer_id: UUID, lines: list[str], postcode: str) -> None:
        self.addresses[customer_id] = (lines, postcode)


@dataclasses.dataclass
class InMemoryRecovery:
    """One service's stores in memory, and what its handlers published."""

    service: Recovery
    cases: InMemoryCases = dataclasses.field(default_factory=InMemoryCases)
    record: InMemoryRecord = dataclasses.field(default_factory=InMemoryRecord)
    customers: InMemoryCustomers = dataclasses.field(default_factory=InMemoryCustomers)
    moratoria: InMemoryMoratoria = dataclasses.field(default_factory=InMemoryMoratoria)
    published: CollectedEvents = dataclasses.field(
        default_factory=lambda: CollectedEvents(producer="recovery")
    )

    def __post_init__(self) -> None:
        self.steps = InMemorySteps(self.cases)
        self.daily_runs = InMemoryDailyRuns(self.cases)
        self.holds = InMemoryHolds(self.cases)
        self.instalments = InMemoryInstalments(self.cases)
        self.court_results = InMemoryCourtResults(self.cases)
        self.letters = InMemoryLetters()
        self.proofs_of_debt = InMemoryProofsOfDebt(self.cases)
        self.benefit_deductions = InMemoryBenefitDeductions(self.cases)

    def handling(self) -> RecoveryHandling:
        """What a handler is given: these stores, the collected outbox, the service."""
        stores = RecoveryStores(
            cases=self.cases,
            record=self.record,
            holds=self.holds,
            steps=self.steps,
            customers=self.customers,
            moratoria=self.moratoria,
            arrangements=ArrangementStore(None),  # type: ignore[arg-type]  # not used by these handlers
            daily_runs=self.daily_runs,
            instalments=self.instalments,
            court_results=self.court_results,
            court_results_files=CourtResultsFileStore(None),  # type: ignore[arg-type]  # not used here
            letters=self.letters,
            proofs_of_debt=self.proofs_of_debt,
            benefit_deductions=self.benefit_deductions,
            exhausted_cases=ExhaustedCaseStore(None),  # type: ignore[arg-type]  # not used by these handlers
        )
        return Handling(stores=stores, outbox=self.published, service=self.service)

    def case_of(self, debt_id: UUID) -> CaseRow:
        """The case row of a debt."""
        return next(row for row in self.cases.by_id.values() if row.debt_id == debt_id)
