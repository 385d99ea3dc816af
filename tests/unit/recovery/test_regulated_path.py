"""The regulated path read as the regulations (Council Tax (Administration and Enforcement) Regulations 1992,
regs 23, 33-35; business rates under the 1989 Regulations), on Derby's days: reminder at due+30, second reminder
at due+45, final notice at due+30 of the further default, summons 14 days after the notice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.recovery.domain.case import RecoveryCaseState
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.instalments import Instalment, InstalmentLedger, InstalmentPayment
from services.recovery.domain.policy import StepKind
from services.recovery.domain.policy_loader import PolicyFileError, load_policy_book, load_policy_directory
from services.recovery.domain.regulated_case import case_step
from services.recovery.domain.regulated_path import (
    CourtOutcome,
    CourtResult,
    IssuedNotice,
    RegulatedStatus,
    RegulatedTerms,
    court_result_problems,
    enforcement_allowed,
    granted_order,
    next_regulated_step,
    regulated_timetable,
    summons_stands,
)
from services.recovery.domain.step_engine import take_step

DERBY_COUNCIL_TAX = RegulatedTerms(
    reminder_days=30, second_reminder_days=45, final_notice_days=30, summons_days=14
)
DERBY_BUSINESS_RATES = RegulatedTerms(
    reminder_days=30, reminders_in_year=1, final_notice_days=30, summons_days=14
)
YEAR_START, YEAR_END = date(2026, 4, 1), date(2027, 3, 31)


def ten_monthly_instalments(amount: int = 15_000) -> InstalmentLedger:
    """April to January, on the 1st, £150 each: the usual council tax demand."""
    months = [(2026, m) for m in range(4, 13)] + [(2027, 1)]
    schedule = [Instalment(n, date(y, m, 1), amount) for n, (y, m) in enumerate(months, start=1)]
    return InstalmentLedger("2026/27").with_instalments(schedule)


def paying(ledger: InstalmentLedger, *payments: tuple[date, int]) -> InstalmentLedger:
    for n, (day, amount) in enumerate(payments):
        ledger = ledger.with_payment(InstalmentPayment(f"p{n}", day, amount))
    return ledger


def on_time_from(ledger: InstalmentLedger, first_number: int) -> list[tuple[date, int]]:
    return [(i.due_date, i.amount) for i in ledger.instalments if i.number >= first_number]


def kinds(timetable: tuple[IssuedNotice, ...]) -> list[tuple[StepKind, date]]:
    return [(n.kind, n.issued_on) for n in timetable]


def test_an_instalment_paid_on_its_due_date_is_not_late():
    ledger = paying(ten_monthly_instalments(), *on_time_from(ten_monthly_instalments(), 1))
    assert regulated_timetable(DERBY_COUNCIL_TAX, ledger, YEAR_START, YEAR_END) == ()


def test_paying_the_reminder_keeps_the_instalments_and_nothing_follows():
    schedule = ten_monthly_instalments()
    # April missed; the reminder of 1 May asks for April and May (due within its 7 days); paid on 5 May; every
    # later instalment paid on its day.
    ledger = paying(schedule, (date(2026, 5, 5), 30_000), *on_time_from(schedule, 3))
    reminder = next_regulated_step(DERBY_COUNCIL_TAX, ledger, (), date(2026, 5, 1))
    assert reminder.is_due and reminder.kind is StepKind.REMINDER
    assert reminder.amount_asked == 30_000  # the instalments then due, not the year's £1,500
    assert [i.number for i in reminder.instalments_asked] == [1, 2]
    assert reminder.pay_by == date(2026, 5, 7)
    assert kinds(regulated_timetable(DERBY_COUNCIL_TAX, ledger, YEAR_START, YEAR_END)) == [
        (StepKind.REMINDER, date(2026, 5, 1))
    ]


def test_one_reminder_covers_every_instalment_then_due_not_a_second_default():
    # Nothing paid at all: the April reminder at due+30 also asks for May's instalment; May is not a second
    # default getting a second reminder.
    timetable = regulated_timetable(DERBY_COUNCIL_TAX, ten_monthly_instalments(), YEAR_START, YEAR_END)
    assert [kind for kind, _ in kinds(timetable)] == [StepKind.REMINDER, StepKind.SUMMONS]


def test_not_paying_the_reminder_makes_the_balance_due_and_leads_to_a_summons_at_the_earliest_lawful_date():
    ledger = ten_monthly_instalments()
    reminder = IssuedNotice(StepKind.REMINDER, date(2026, 5, 1))
    # Reg 23(3): 7 days beginning 1 May (to 7 May); failure on 8 May; the balance payable at the expiry of a
    # further 7 days: 15 May. Derby's "summons 14 days after" would be 15 May, the day it becomes payable: the
    # law wins, the summons is from 16 May, the first day the balance is unpaid after falling due.
    before = next_regulated_step(DERBY_COUNCIL_TAX, ledger, (reminder,), date(2026, 5, 15))
    assert before.status is RegulatedStatus.NOT_YET and before.eligible_from == date(2026, 5, 16)
    summons = next_regulated_step(DERBY_COUNCIL_TAX, ledger, (reminder,), date(2026, 5, 16))
    assert summons.is_due and summons.kind is StepKind.SUMMONS
    assert summons.balance_payable_from == date(2026, 5, 15)
    assert summons.amount_asked == 150_000  # the whole remaining balance for the year, as it is now due
    assert kinds(regulated_timetable(DERBY_COUNCIL_TAX, ledger, YEAR_START, YEAR_END)) == [
        (StepKind.REMINDER, date(2026, 5, 1)),
        (StepKind.SUMMONS, date(2026, 5, 16)),
    ]


def test_a_policy_with_no_wait_still_cannot_summons_before_the_law_allows():
    eager = RegulatedTerms(reminder_days=1, summons_days=0)
    timetable = regulated_timetable(eager, ten_monthly_instalments(), YEAR_START, YEAR_END)
    assert kinds(timetable) == [(StepKind.REMINDER, date(2026, 4, 2)), (StepKind.SUMMONS, date(2026, 4, 17))]


def test_paying_the_balance_once_due_but_before_the_summons_means_no_summons():
    ledger = paying(ten_monthly_instalments(), (date(2026, 5, 15), 150_000))
    assert kinds(regulated_timetable(DERBY_COUNCIL_TAX, ledger, YEAR_START, YEAR_END)) == [
        (StepKind.REMINDER, date(2026, 5, 1))
    ]


def test_part_paid_reminder_is_not_paid_the_summons_is_for_what_is_still_unpaid():
    ledger = paying(ten_monthly_instalments(), (date(2026, 5, 6), 20_000))
    summons = next_regulated_step(
        DERBY_COUNCIL_TAX, ledger, (IssuedNotice(StepKind.REMINDER, date(2026, 5, 1)),), date(2026, 5, 16)
    )
    assert summons.is_due and summons.amount_asked == 130_000


def test_two_reminders_then_a_third_default_goes_to_a_final_notice_not_a_third_reminder():
    schedule = ten_monthly_instalments()
    ledger = paying(
        schedule,
        (date(2026, 5, 3), 30_000),  # April and May, after the first reminder
        (date(2026, 6, 1), 15_000),  # June on time
        (date(2026, 8, 17), 30_000),  # July and August, after the second reminder
        (date(2026, 9, 1), 15_000),  # September on time; October never paid
    )
    timetable = kinds(regulated_timetable(DERBY_COUNCIL_TAX, ledger, YEAR_START, YEAR_END))
    assert timetable == [
        (StepKind.REMINDER, date(2026, 5, 1)),
        (StepKind.SECOND_REMINDER, date(2026, 8, 15)),  # July 1 + 45
        (StepKind.FINAL_NOTICE, date(2026, 10, 31)),  # October 1 + 30
        (StepKind.SUMMONS, date(2026, 11, 14)),  # 14 days after the final notice, past its 7 days
    ]
    issued = tuple(IssuedNotice(kind, day) for kind, day in timetable[:2])
    final = next_regulated_step(DERBY_COUNCIL_TAX, ledger, issued, date(2026, 10, 31))
    # Reg 23(4): the whole balance became payable the day after October's instalment was missed.
    assert final.balance_payable_from == date(2026, 10, 2)
    assert final.amount_asked == 60_000


def test_a_business_rates_account_never_gets_a_second_reminder_where_its_policy_says_so():
    schedule = ten_monthly_instalments()
    ledger = paying(schedule, (date(2026, 5, 3), 30_000), (date(2026, 6, 1), 15_000))
    timetable = kinds(regulated_timetable(DERBY_BUSINESS_RATES, ledger, YEAR_START, YEAR_END))
    assert [kind for kind, _ in timetable] == [StepKind.REMINDER, StepKind.FINAL_NOTICE, StepKind.SUMMONS]
    assert StepKind.SECOND_REMINDER not in [kind for kind, _ in timetable]
    assert timetable[1] == (StepKind.FINAL_NOTICE, date(2026, 7, 31))


def test_a_default_cleared_before_the_councils_point_gets_no_reminder():
    schedule = ten_monthly_instalments()
    ledger = paying(schedule, (date(2026, 4, 20), 15_000), *on_time_from(schedule, 2))
    assert regulated_timetable(DERBY_COUNCIL_TAX, ledger, YEAR_START, YEAR_END) == ()


def test_the_reminders_seven_days_are_kept_whatever_the_policy():
    ledger = ten_monthly_instalments()
    issued = (IssuedNotice(StepKind.REMINDER, date(2026, 5, 1)),)
    waiting = next_regulated_step(DERBY_COUNCIL_TAX, ledger, issued, date(2026, 5, 7))
    assert waiting.status is RegulatedStatus.NOT_YET and waiting.eligible_from == date(2026, 5, 8)


def test_no_agent_referral_or_notice_of_liability_order_without_a_granted_order():
    assert not enforcement_allowed(StepKind.ENFORCEMENT_AGENT_REFERRAL, ())
    assert not enforcement_allowed(StepKind.NOTICE_OF_LIABILITY_ORDER, ())
    adjourned = CourtResult(CourtOutcome.ADJOURNED, date(2026, 6, 10), adjourned_to=date(2026, 7, 8))
    assert not enforcement_allowed(StepKind.ENFORCEMENT_AGENT_REFERRAL, (adjourned,))
    granted = CourtResult(
        CourtOutcome.GRANTED, date(2026, 7, 8), court_reference="DMC/2026/0412", costs_awarded=4000
    )
    assert enforcement_allowed(StepKind.ENFORCEMENT_AGENT_REFERRAL, (adjourned, granted))
    assert granted_order((adjourned, granted)) == granted
    withdrawn = CourtResult(CourtOutcome.WITHDRAWN, date(2026, 7, 9))
    assert not enforcement_allowed(StepKind.ENFORCEMENT_AGENT_REFERRAL, (granted, withdrawn))


def test_a_granted_order_needs_the_courts_reference_and_costs_no_more_than_claimed():
    summons_on = date(2026, 5, 16)
    no_reference = CourtResult(CourtOutcome.GRANTED, date(2026, 6, 10), costs_awarded=4000)
    assert "a granted liability order needs the court's reference" in court_result_problems(
        no_reference, summons_on, 8000
    )
    too_much = CourtResult(CourtOutcome.GRANTED, date(2026, 6, 10), court_reference="X1", costs_awarded=9000)
    assert court_result_problems(too_much, summons_on, 8000)
    too_soon = CourtResult(CourtOutcome.GRANTED, date(2026, 5, 20), court_reference="X1", costs_awarded=8000)
    assert court_result_problems(too_soon, summons_on, 8000)  # reg 35(2A): 14 days at least
    good = CourtResult(CourtOutcome.GRANTED, date(2026, 6, 10), court_reference="X1", costs_awarded=8000)
    assert court_result_problems(good, summons_on, 8000) == []


def test_a_payment_before_the_hearing_stops_the_summons():
    ledger = ten_monthly_instalments()
    assert summons_stands(ledger, date(2026, 6, 10))
    paid = paying(ledger, (date(2026, 6, 2), 150_000))
    assert not summons_stands(paid, date(2026, 6, 10))


def test_the_same_payment_told_twice_counts_once():
    ledger = ten_monthly_instalments().with_payment(InstalmentPayment("p", date(2026, 4, 1), 15_000))
    assert ledger.with_payment(InstalmentPayment("p", date(2026, 4, 1), 15_000)) == ledger


def shipped_terms(council: str, debt_type: DebtType) -> RegulatedTerms:
    terms = load_policy_directory("services/recovery/policies")[council].policy_for(debt_type).regulated_terms
    assert terms is not None
    return terms


def test_the_shipped_business_rates_policies_never_send_a_second_reminder():
    schedule = ten_monthly_instalments()
    for council in ("derby", "nelc", "rbwm"):
        terms = shipped_terms(council, DebtType.BUSINESS_RATES)
        # April missed; the arrears paid two days after the council's reminder; then June missed.
        reminder_on = regulated_timetable(terms, schedule, YEAR_START, YEAR_END)[0].issued_on
        due_by_then = sum(
            i.amount for i in schedule.instalments if i.due_date <= reminder_on + timedelta(days=6)
        )
        ledger = paying(schedule, (reminder_on + timedelta(days=2), due_by_then))
        timetable = [n.kind for n in regulated_timetable(terms, ledger, YEAR_START, YEAR_END)]
        assert StepKind.SECOND_REMINDER not in timetable, council
        assert StepKind.FINAL_NOTICE in timetable, council


def test_derbys_council_tax_days_are_read_from_its_policy_file():
    assert shipped_terms("derby", DebtType.COUNCIL_TAX) == DERBY_COUNCIL_TAX


def test_a_policy_file_cannot_allow_a_third_reminder():
    text = """
council: somewhere
policies:
  - debt_type: council_tax
    regulated: {reminders_in_year: 3}
    steps:
      - {name: first_reminder, kind: reminder, days: 30, after: due_date}
"""
    with pytest.raises(PolicyFileError, match="no third reminder"):
        load_policy_book(text)


def walk_case(council: str, ledger: InstalmentLedger) -> list[tuple[str, date]]:
    """The shipped policy's case, decided every day of the year as the daily run would (pure)."""
    policy = load_policy_directory("services/recovery/policies")[council].policy_for(DebtType.COUNCIL_TAX)
    state = RecoveryCaseState("c1", DebtType.COUNCIL_TAX, YEAR_START, ledger.charge)
    day, taken = YEAR_START, []
    while day <= YEAR_END:
        decision = case_step(policy, state, ledger, (), day)
        if decision.is_due and decision.step is not None:
            state = take_step(state, decision.step, day)
            taken.append((decision.step.name, day))
        day += timedelta(days=1)
    return taken


def test_a_council_with_one_reminder_letter_sends_it_for_the_second_default_then_a_final_notice():
    schedule = ten_monthly_instalments()
    ledger = paying(
        schedule,
        (date(2026, 4, 17), 30_000),  # NELC's reminder of 15 April paid (April and May)
        (date(2026, 6, 1), 15_000),
        (date(2026, 7, 17), 30_000),  # July missed, its reminder of 15 July paid (July and August)
        (date(2026, 9, 1), 15_000),  # September paid; October missed
    )
    assert walk_case("nelc", ledger) == [
        ("reminder", date(2026, 4, 15)),
        ("reminder", date(2026, 7, 15)),
        ("final_notice", date(2026, 10, 15)),
        ("summons", date(2026, 10, 29)),
    ]


def test_on_the_regulated_path_the_timetable_never_makes_the_liability_order_itself():
    taken = walk_case("derby", ten_monthly_instalments())
    assert [name for name, _ in taken] == ["first_reminder", "summons"]


def test_a_council_tax_policy_without_a_summons_step_is_refused():
    text = """
council: somewhere
policies:
  - debt_type: council_tax
    steps:
      - {name: first_reminder, kind: reminder, days: 30, after: due_date}
      - {name: final_notice, kind: final_notice, days: 30, after: due_date}
"""
    with pytest.raises(PolicyFileError, match="needs a summons step"):
        load_policy_book(text)
