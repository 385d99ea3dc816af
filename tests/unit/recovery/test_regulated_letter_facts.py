"""What recovery tells a council tax letter (CT regs 23, 33-35): a reminder lists the instalments then due with
what is unpaid of each (not the year's balance), gives 7 days and says what follows; a summons names the court,
the hearing and the costs claimed; during a breathing space the notice says which sums are in it."""

from __future__ import annotations

from datetime import date, time

from services.recovery.domain.court_sessions import Hearing, SummonsHearing
from services.recovery.domain.instalments import InstalmentPayment
from services.recovery.domain.policy import StepKind
from services.recovery.domain.regulated_letter_facts import SummonsFacts, regulated_notice_facts
from services.recovery.domain.regulated_path import IssuedNotice

from .test_regulated_path import DERBY_COUNCIL_TAX, ten_monthly_instalments


def test_a_reminder_lists_the_instalments_due_and_unpaid_not_the_years_balance():
    # April's £150 part paid (£40); at the reminder of 1 May, April and May are listed.
    ledger = ten_monthly_instalments().with_payment(InstalmentPayment("p1", date(2026, 4, 10), 40_00))
    facts = regulated_notice_facts(DERBY_COUNCIL_TAX, ledger, (), StepKind.REMINDER, date(2026, 5, 1))
    assert facts is not None
    assert [(i.due_on, i.amount, i.unpaid) for i in facts.instalments_due] == [
        (date(2026, 4, 1), 150_00, 110_00),
        (date(2026, 5, 1), 150_00, 150_00),
    ]
    assert facts.amount_asked == 260_00 and facts.notice_days == 7
    assert facts.pay_by == date(2026, 5, 7) and facts.balance_due_on == date(2026, 5, 15)
    assert "lose the right to pay by instalments" in facts.consequence
    assert "15 May 2026" in facts.consequence
    letter = facts.letter_facts()
    assert letter["amount_asked_pence"] == 260_00
    assert letter["instalments_due"][0] == {  # type: ignore[index]
        "number": 1,
        "due_on": date(2026, 4, 1),
        "amount_pence": 150_00,
        "unpaid_pence": 110_00,
    }


def test_a_final_notice_after_two_reminders_asks_for_the_whole_balance():
    ledger = ten_monthly_instalments()
    for n, (day, amount) in enumerate([(date(2026, 5, 5), 300_00), (date(2026, 6, 20), 300_00)]):
        ledger = ledger.with_payment(InstalmentPayment(f"p{n}", day, amount))
    issued = (
        IssuedNotice(StepKind.REMINDER, date(2026, 5, 1)),
        IssuedNotice(StepKind.SECOND_REMINDER, date(2026, 6, 16)),
    )
    # Both reminders paid (April-July); August unpaid: the final notice of 31 August asks for the rest of the year.
    facts = regulated_notice_facts(
        DERBY_COUNCIL_TAX, ledger, issued, StepKind.FINAL_NOTICE, date(2026, 8, 31)
    )
    assert facts is not None and facts.whole_balance
    assert facts.amount_asked == 1500_00 - 600_00
    assert facts.balance_due_on is None and "liability order" in facts.consequence


def test_no_facts_when_the_regulated_path_issues_no_notice_that_day():
    paid = ten_monthly_instalments().with_payment(InstalmentPayment("p", date(2026, 4, 1), 150_00))
    assert regulated_notice_facts(DERBY_COUNCIL_TAX, paid, (), StepKind.REMINDER, date(2026, 5, 1)) is None


def test_in_a_breathing_space_the_arrears_are_listed_as_in_it_and_only_the_ongoing_instalments_asked_for():
    # Nothing paid; a breathing space from 20 April protects April's instalment. May's is an ongoing liability:
    # its reminder of 31 May asks for May and June (due within its 7 days), and lists April as in the space.
    ledger = ten_monthly_instalments()
    facts = regulated_notice_facts(
        DERBY_COUNCIL_TAX,
        ledger,
        (),
        StepKind.REMINDER,
        date(2026, 5, 31),
        breathing_space=("BS-1", date(2026, 4, 20)),
    )
    assert facts is not None and facts.breathing_space is not None
    assert [(i.due_on, i.unpaid) for i in facts.breathing_space.in_breathing_space] == [
        (date(2026, 4, 1), 150_00)
    ]
    assert [i.due_on for i in facts.instalments_due] == [date(2026, 5, 1), date(2026, 6, 1)]
    assert facts.amount_asked == 300_00
    letter = facts.letter_facts()
    assert letter["breathing_space_total_pence"] == 150_00
    assert "is in your breathing space" in str(letter["breathing_space_note"])


def test_a_summons_tells_the_letter_its_court_session_and_the_costs_claimed():
    hearing = SummonsHearing(
        "Derby Magistrates' Court",
        "St Mary's Gate, Derby DE1 3JR",
        Hearing(date(2026, 6, 3), time(10)),
        date(2026, 5, 19),
        80_00,
    )
    facts = SummonsFacts(hearing).letter_facts()
    assert facts["court_session"] == {
        "court_name": "Derby Magistrates' Court",
        "court_address": "St Mary's Gate, Derby DE1 3JR",
        "hearing_on": date(2026, 6, 3),
        "hearing_time": time(10),
    }
    assert facts["costs_claimed_pence"] == 80_00
