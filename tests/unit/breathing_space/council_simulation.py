"""One person's debts at one council, day by day, through the pure domain layers of every service, joined the way
the wiring joins them through the bus:

- breathing space (`Moratorium`) takes in notifications as they arrive; once it has a start it broadcasts
  HoldStarted (start, expected end), and HoldEnded (last protected day) once the business date is past that day
  (its daily run / expiry check). Its search covers every debt the person owes, from the moratorium's start;
- recovery (`step_engine.advance`, `holds`, `breathing_space.apply_breathing_space`) holds each case from the
  start: on HoldStarted it voids the steps already taken inside the period and recalls open referrals; on
  HoldEnded the hold gets its last day and the timetable resumes after it;
- billing (`late_payment_charges`, `breathing_space_reversal`) charges sundry interest and the late fee on each
  run, never for a day a known hold covers, and reverses what it charged inside a hold that arrived late;
- the agents gateway (`enforcement_fees.check_reported_fee`) checks each fee an agent reports against the
  periods it knows, and checks again the fees it accepted when a hold arrives (an agent may have charged, and
  reported, inside the period before anyone knew of it). Agents charge only while they hold the placement:
  from the referral until the recall.

`Simulation.violations()` lists every enforcement step, contact, fee, interest day or late fee recorded as
effective on a day inside the moratorium (as finally notified): the property test says it is always empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from services.agents_gateway.domain.enforcement_fees import BreathingSpacePeriod, check_reported_fee
from services.agents_gateway.domain.records import FeeStage
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.breathing_space_reversal import reversals_for_late_hold
from services.billing.domain.late_payment_charges import (
    LatePaymentCharge,
    LatePaymentChargeKind,
    interest_charges,
    late_fee_charge,
)
from services.billing.domain.late_payment_terms import LatePaymentTerms
from services.breathing_space.domain.moratorium import Moratorium, MoratoriumKind
from services.breathing_space.domain.notifications import BreathingSpaceNotification
from services.recovery.domain.breathing_space import apply_breathing_space
from services.recovery.domain.case import RecoveryCaseState
from services.recovery.domain.holds import Hold, HoldKind
from services.recovery.domain.policy import PolicyBook, RecoveryPolicy
from services.recovery.domain.policy_loader import load_policy_directory
from services.recovery.domain.step_engine import advance
from shared.debt_types import DebtType

POLICIES = Path(__file__).resolve().parents[3] / "services" / "recovery" / "policies"
SUNDRY_TERMS = LatePaymentTerms(annual_interest_percent=Decimal("8"), late_fee_pence=25_00, fee_after_days=30)


@cache
def derby() -> PolicyBook:
    """Derby's shipped recovery policies."""
    return load_policy_directory(POLICIES)["derby"]


@dataclass
class Debt:
    """One of the person's debts and what every service has recorded on it."""

    reference: str
    policy: RecoveryPolicy
    case: RecoveryCaseState
    late_payment_terms: LatePaymentTerms | None = None
    interest_charged_to: date | None = None
    charges: list[LatePaymentCharge] = field(default_factory=list)
    reversed_days: dict[int, set[date]] = field(default_factory=dict)  # index of charge -> days reversed
    late_fee_charged: bool = False
    fees: list[tuple[FeeStage, date, bool]] = field(default_factory=list)  # stage, charged on, accepted

    def open_referral_since(self) -> date | None:
        """The day the debt was placed with an agent, while the placement is open."""
        open_ = [s for s in self.case.steps_taken if s.is_open_referral]
        return open_[-1].taken_on if open_ else None


@dataclass(frozen=True)
class FeeReport:
    """An agent charges a fee `charge_lag` days after placement and reports it `report_lag` days later."""

    reference: str
    stage: FeeStage
    charge_lag: int
    report_lag: int


class Simulation:
    """The council on one business day after another."""

    def __init__(self, base: date, moratorium: Moratorium, debts: list[Debt]) -> None:
        self.base = base
        self.moratorium = moratorium
        self.debts = {d.reference: d for d in debts}
        self.broadcast_start: tuple[date, date | None] | None = None  # (starts_on, expected_end_on)
        self.broadcast_end: date | None = None
        self.pending_fees: list[tuple[date, str, FeeStage, date]] = []  # report day, debt, stage, charged on

    # -- breathing space --

    def notification_arrives(self, notification: BreathingSpaceNotification, today: date) -> None:
        """Breathing space takes in a notification and brings the hold up to date."""
        self.moratorium.apply(notification)
        self._bring_hold_up_to_date(today)

    def _bring_hold_up_to_date(self, today: date) -> None:
        start, end = self.moratorium.start_date, self.moratorium.end_date
        if start is None or (end is not None and end < start):
            return  # not started, or never active: nothing to hold
        if self.broadcast_start is None:
            self.broadcast_start = (start, end)
            for debt in self.debts.values():
                self._hold_started(debt, start, end, today)
        if self.broadcast_end is None and end is not None and today > end:
            self.broadcast_end = end
            for debt in self.debts.values():
                self._hold_ended(debt, end)

    # -- what each service does with the broadcasts --

    def _recovery_hold(self, start: date, end: date | None) -> Hold:
        crisis = self.moratorium.kind is MoratoriumKind.MENTAL_HEALTH_CRISIS
        return Hold(
            kind=HoldKind.MENTAL_HEALTH_CRISIS_BREATHING_SPACE if crisis else HoldKind.BREATHING_SPACE,
            reason="breathing space",
            authorised_by="Insolvency Service",
            start=start,
            end=end,
            review_on=None if end else start + timedelta(days=30),
            reference=self.moratorium.moratorium_reference,
        )

    def _hold_started(self, debt: Debt, start: date, expected_end: date | None, today: date) -> None:
        hold = self._recovery_hold(start, expected_end)
        steps = apply_breathing_space(debt.case.steps_taken, hold, today)
        debt.case = replace(debt.case, steps_taken=steps, holds=(*debt.case.holds, hold))
        billing_hold = BreathingSpaceHold(start, expected_end)
        unreversed = [(i, c) for i, c in enumerate(debt.charges) if i not in debt.reversed_days]
        for reversal in reversals_for_late_hold([c for _, c in unreversed], billing_hold):
            index = next(i for i, c in unreversed if c is reversal.charge)
            covered = {d for d in _days_of(reversal.charge) if billing_hold.covers(d)}
            assert reversal.days_covered == len(covered)
            debt.reversed_days[index] = covered
        period = BreathingSpacePeriod(start, expected_end)
        debt.fees = [
            (stage, on, accepted and check_reported_fee(stage, 75_00, on, 100_000, [period]).accepted)
            for stage, on, accepted in debt.fees
        ]

    def _hold_ended(self, debt: Debt, last_day: date) -> None:
        holds = tuple(
            self._recovery_hold(h.start, last_day)
            if h.reference == self.moratorium.moratorium_reference
            else h
            for h in debt.case.holds
        )
        debt.case = replace(debt.case, holds=holds)

    def _billing_holds(self) -> list[BreathingSpaceHold]:
        if self.broadcast_start is None:
            return []
        start, expected = self.broadcast_start
        return [BreathingSpaceHold(start, self.broadcast_end or expected)]

    def _agent_periods(self) -> list[BreathingSpacePeriod]:
        return [BreathingSpacePeriod(h.starts, h.ends) for h in self._billing_holds()]

    # -- the daily run --

    def daily_run(self, today: date, fee_reports: list[FeeReport]) -> None:
        """Breathing space's expiry check, recovery's steps, billing's interest and fees, agents' charges."""
        self._bring_hold_up_to_date(today)
        for debt in self.debts.values():
            debt.case, _ = advance(debt.policy, debt.case, today)
            if debt.late_payment_terms is not None:
                self._charge_interest_and_fee(debt, today)
        for report in fee_reports:
            debt = self.debts[report.reference]
            placed = debt.open_referral_since()
            if placed is not None and placed + timedelta(days=report.charge_lag) == today:
                self.pending_fees.append(
                    (today + timedelta(days=report.report_lag), debt.reference, report.stage, today)
                )

    def _charge_interest_and_fee(self, debt: Debt, today: date) -> None:
        terms = debt.late_payment_terms
        assert terms is not None
        start = (debt.interest_charged_to or debt.case.due_date) + timedelta(days=1)
        holds = self._billing_holds()
        debt.charges += interest_charges(
            debt.reference, debt.case.balance, terms, debt.case.due_date, start, today, holds
        )
        debt.interest_charged_to = today
        fee = late_fee_charge(
            debt.reference, terms, debt.case.due_date, today, debt.case.balance, debt.late_fee_charged, holds
        )
        if fee is not None:
            debt.charges.append(fee)
            debt.late_fee_charged = True

    def agents_report(self, today: date) -> None:
        """Fees reported today are checked against the breathing spaces the gateway knows."""
        due = [p for p in self.pending_fees if p[0] == today]
        self.pending_fees = [p for p in self.pending_fees if p[0] != today]
        for _, reference, stage, charged_on in due:
            debt = self.debts[reference]
            decision = check_reported_fee(stage, 75_00, charged_on, 100_000, self._agent_periods())
            debt.fees.append((stage, charged_on, decision.accepted))

    # -- the property --

    def violations(self) -> list[str]:
        """Everything recorded as effective on a held debt on a day inside the moratorium."""
        inside = self.moratorium.is_active_on
        found = []
        for debt in self.debts.values():
            for step in debt.case.effective_steps:
                rule = debt.policy.steps[debt.policy.index_of(step.name)]
                if (rule.enforcement or rule.contact) and inside(step.taken_on):
                    found.append(f"{debt.reference}: step {step.name} effective on {step.taken_on}")
            for stage, on, accepted in debt.fees:
                if accepted and inside(on):
                    found.append(f"{debt.reference}: {stage.value} fee accepted for {on}")
            for index, charge in enumerate(debt.charges):
                effective = set(_days_of(charge)) - debt.reversed_days.get(index, set())
                for day in sorted(effective):
                    if inside(day):
                        what = "interest" if charge.kind is LatePaymentChargeKind.INTEREST else "late fee"
                        found.append(f"{debt.reference}: {what} effective for {day}")
                        break
        return found


def _days_of(charge: LatePaymentCharge) -> list[date]:
    return [charge.period_start + timedelta(days=n) for n in range(charge.days)]


def a_persons_debts(base: date, due_days: tuple[int, int, int]) -> list[Debt]:
    """Council tax, a sundry invoice (with interest and a late fee) and a benefit overpayment, all Derby's."""
    book = derby()
    made = []
    for (reference, debt_type, balance, terms), due in zip(
        [
            ("CT-1", DebtType.COUNCIL_TAX, 120_000, None),
            ("INV-1", DebtType.SUNDRY, 50_000, SUNDRY_TERMS),
            ("HB-1", DebtType.HOUSING_BENEFIT_OVERPAYMENT, 80_000, None),
        ],
        due_days,
        strict=True,
    ):
        case = RecoveryCaseState(
            case_id=reference, debt_type=debt_type, due_date=base + timedelta(days=due), balance=balance
        )
        made.append(Debt(reference, book.policy_for(debt_type), case, terms))
    return made
