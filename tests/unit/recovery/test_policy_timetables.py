"""The shipped timetables of DOMAIN.md 4, walked day by day through the daily run."""

from __future__ import annotations

from datetime import date, timedelta

from services.recovery.domain.case import RecoveryCaseState, StepTaken
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.policy import StepKind
from services.recovery.domain.step_engine import StepStatus, advance, next_step
from shared.working_days import add_working_days

from .timetable_walk import shipped_policy, walk

DUE = date(2025, 5, 1)


def _case(debt_type: DebtType, due: date = DUE, balance: int = 25_000, **kwargs: object) -> RecoveryCaseState:
    return RecoveryCaseState(case_id="case-1", debt_type=debt_type, due_date=due, balance=balance, **kwargs)  # type: ignore[arg-type]


def test_a_derby_sundry_invoice_unpaid_gets_reminders_at_due_plus_1_and_31_and_a_final_notice_at_due_plus_61():
    policy = shipped_policy("derby", "sundry")
    _, taken = walk(policy, _case(DebtType.SUNDRY), DUE, DUE + timedelta(days=70))
    assert taken[:3] == [
        ("first_reminder", DUE + timedelta(days=1)),
        ("second_reminder", DUE + timedelta(days=31)),
        ("final_notice", DUE + timedelta(days=61)),
    ]


def test_a_derby_sundry_invoice_goes_to_legal_options_after_the_final_notice_and_then_write_off():
    policy = shipped_policy("derby", "sundry")
    case, taken = walk(policy, _case(DebtType.SUNDRY), DUE, DUE + timedelta(days=400))
    names = [name for name, _ in taken]
    assert names == [
        "first_reminder",
        "second_reminder",
        "final_notice",
        "legal_options",
        "write_off_request",
    ]
    assert next_step(policy, case, DUE + timedelta(days=401)).status is StepStatus.EXHAUSTED


def test_a_paid_sundry_invoice_gets_no_reminder():
    policy = shipped_policy("derby", "sundry")
    _, taken = walk(policy, _case(DebtType.SUNDRY, balance=0), DUE, DUE + timedelta(days=100))
    assert taken == []


def test_the_sundry_policy_council_sends_letters_at_14_then_every_7_days_then_legal():
    policy = shipped_policy("sundry_policy_council", "sundry")
    _, taken = walk(policy, _case(DebtType.SUNDRY), DUE, DUE + timedelta(days=40))
    assert taken == [
        ("first_reminder", DUE + timedelta(days=14)),
        ("second_reminder", DUE + timedelta(days=21)),
        ("final_letter", DUE + timedelta(days=28)),
        ("legal_services", DUE + timedelta(days=35)),
    ]


def test_a_council_tax_account_paying_the_first_and_second_reminders_gets_a_final_notice_only_on_its_third_default():
    policy = shipped_policy("derby", "council_tax")
    kinds_by_default: list[list[StepKind]] = []
    case = _case(DebtType.COUNCIL_TAX, due=date(2025, 4, 1), defaults_count=1)
    for default, due in enumerate([date(2025, 4, 1), date(2025, 6, 1), date(2025, 8, 1)], start=1):
        # A new default on this instalment: recovery restarts on it.
        case = RecoveryCaseState(
            case_id=case.case_id,
            debt_type=case.debt_type,
            due_date=due,
            balance=15_000,
            steps_taken=case.steps_taken,
            defaults_count=default,
        )
        before = len(case.steps_taken)
        day = due
        while len(case.steps_taken) == before and day <= due + timedelta(days=60):
            case, _ = advance(policy, case, day)
            day += timedelta(days=1)
        kinds_by_default.append([step.kind for step in case.steps_taken[before:]])
        # The customer pays the letter's sum: nothing further on this default.
        case = RecoveryCaseState(
            case_id=case.case_id,
            debt_type=case.debt_type,
            due_date=due,
            balance=0,
            steps_taken=case.steps_taken,
            defaults_count=default,
        )
    assert kinds_by_default[0][0] is StepKind.REMINDER
    assert kinds_by_default[1][0] is StepKind.SECOND_REMINDER
    assert kinds_by_default[2][0] is StepKind.FINAL_NOTICE
    assert StepKind.FINAL_NOTICE not in kinds_by_default[0] + kinds_by_default[1]


def test_council_tax_unpaid_after_the_first_reminder_goes_to_summons_with_costs_without_a_final_notice():
    policy = shipped_policy("derby", "council_tax")
    case, taken = walk(policy, _case(DebtType.COUNCIL_TAX, balance=120_000), DUE, DUE + timedelta(days=60))
    assert [name for name, _ in taken] == ["first_reminder", "summons"]
    reminder_on = DUE + timedelta(days=30)
    assert taken[1] == ("summons", reminder_on + timedelta(days=14))
    assert case.balance == 120_000 + policy.step_named("summons").costs


def test_council_tax_liability_order_adds_its_costs_and_opens_attachment_of_earnings():
    policy = shipped_policy("derby", "council_tax")
    case, taken = walk(policy, _case(DebtType.COUNCIL_TAX, balance=120_000), DUE, DUE + timedelta(days=90))
    assert "liability_order" in [name for name, _ in taken]
    summons, order = policy.step_named("summons"), policy.step_named("liability_order")
    assert case.balance == 120_000 + summons.costs + order.costs
    assert "attachment_of_earnings" in {option.value for option in order.opens}


def test_business_rates_has_no_second_reminder():
    for council in ("derby", "nelc", "rbwm"):
        policy = shipped_policy(council, "business_rates")
        assert StepKind.SECOND_REMINDER not in {step.kind for step in policy.steps}
        case = _case(DebtType.BUSINESS_RATES, defaults_count=2)
        _, taken = walk(policy, case, DUE, DUE + timedelta(days=45))
        assert taken[0][0] in {"final_notice", "final_reminder"}


def test_rbwm_council_tax_reminder_comes_15_working_days_after_the_first_overdue_instalment():
    policy = shipped_policy("rbwm", "council_tax")
    due = date(2025, 12, 15)  # Christmas and Boxing Day fall within the count
    _, taken = walk(policy, _case(DebtType.COUNCIL_TAX, due=due), due, due + timedelta(days=30))
    assert taken[0] == ("reminder", add_working_days(due, 15))
    assert taken[0][1] == date(2026, 1, 8)


def test_rbwm_sundry_has_three_reminders_then_the_originating_section_reviews_before_agents():
    policy = shipped_policy("rbwm", "sundry")
    kinds = [step.kind for step in policy.steps]
    assert kinds[:5] == [
        StepKind.REMINDER,
        StepKind.SECOND_REMINDER,
        StepKind.THIRD_REMINDER,
        StepKind.ORIGINATING_SECTION_REVIEW,
        StepKind.ENFORCEMENT_AGENT_REFERRAL,
    ]


def test_rbwm_commercial_rent_goes_to_agents_when_still_unpaid_at_the_quarter_end():
    policy = shipped_policy("rbwm", "commercial_property_rent")
    _, taken = walk(policy, _case(DebtType.COMMERCIAL_PROPERTY_RENT), DUE, date(2025, 7, 10))
    assert taken == [
        ("first_reminder", DUE + timedelta(days=14)),
        ("second_reminder", DUE + timedelta(days=21)),
        ("enforcement_agents", date(2025, 6, 30)),
    ]


def test_rbwm_pension_fund_property_gets_reminders_at_21_35_and_42_days():
    policy = shipped_policy("rbwm", "commercial_property_rent", "pension_fund")
    _, taken = walk(
        policy, _case(DebtType.COMMERCIAL_PROPERTY_RENT, group="pension_fund"), DUE, DUE + timedelta(days=42)
    )
    assert [day - DUE for _, day in taken] == [timedelta(days=21), timedelta(days=35), timedelta(days=42)]


def test_an_rbwm_allotment_gets_notice_to_quit_after_the_first_reminder():
    policy = shipped_policy("rbwm", "sundry", "allotments")
    _, taken = walk(policy, _case(DebtType.SUNDRY, group="allotments"), DUE, DUE + timedelta(days=60))
    assert [name for name, _ in taken] == ["first_reminder", "notice_to_quit"]


def test_rbwm_wayleaves_are_not_recovered():
    policy = shipped_policy("rbwm", "sundry", "wayleaves")
    decision = next_step(policy, _case(DebtType.SUNDRY, group="wayleaves"), DUE + timedelta(days=365))
    assert decision.status is StepStatus.NO_RECOVERY


def test_an_unnamed_sundry_group_follows_the_councils_sundry_policy():
    assert shipped_policy("rbwm", "sundry", "no_such_group") == shipped_policy("rbwm", "sundry")


def test_nelc_accounts_receivable_recovery_starts_no_later_than_16_days_after_due():
    policy = shipped_policy("nelc", "sundry")
    _, taken = walk(policy, _case(DebtType.SUNDRY), DUE, DUE + timedelta(days=16))
    assert taken and taken[0][1] <= DUE + timedelta(days=16)


def test_nelc_asks_for_proof_of_debt_before_the_collection_agents_and_they_only_collect():
    policy = shipped_policy("nelc", "sundry")
    kinds = [step.kind for step in policy.steps]
    assert kinds.index(StepKind.PROOF_OF_DEBT_REQUEST) < kinds.index(StepKind.COLLECTION_AGENCY_REFERRAL)
    assert not policy.step_named("proof_of_debt").contact
    assert [o.value for o in policy.step_named("collection_agents").opens] == ["collection_agent"]


def test_housing_benefit_overpayment_derby_reminders_at_14_then_7_then_7_days():
    policy = shipped_policy("derby", "housing_benefit_overpayment")
    _, taken = walk(policy, _case(DebtType.HOUSING_BENEFIT_OVERPAYMENT), DUE, DUE + timedelta(days=28))
    assert [day - DUE for _, day in taken] == [timedelta(days=14), timedelta(days=21), timedelta(days=28)]


def test_a_step_taken_late_still_leaves_a_day_before_the_next_one():
    # The first reminder was taken late (e.g. after a hold); the second reminder's due+31 has already passed.
    policy = shipped_policy("derby", "sundry")
    late = DUE + timedelta(days=40)
    case = _case(DebtType.SUNDRY, steps_taken=(StepTaken("first_reminder", StepKind.REMINDER, late),))
    assert next_step(policy, case, late).status is StepStatus.NOT_YET
    assert next_step(policy, case, late + timedelta(days=1)).step == policy.step_named("second_reminder")


def test_a_rerun_of_the_daily_run_for_the_same_date_takes_no_further_step():
    policy = shipped_policy("derby", "council_tax")
    case = _case(DebtType.COUNCIL_TAX, balance=90_000)
    for day in (DUE + timedelta(days=n) for n in range(0, 120)):
        once, _ = advance(policy, case, day)
        twice, _ = advance(policy, once, day)
        assert twice == once
        case = once
