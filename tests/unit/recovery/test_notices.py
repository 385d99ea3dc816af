"""Each step's letter: plain English, the amount, what happens next and when, how to pay, advice, appeal rights."""

from __future__ import annotations

from datetime import date

import pytest
from jinja2 import UndefinedError

from services.recovery.domain.notices import (
    LARGE_PRINT_WIDTH,
    CouncilContact,
    letter_templates,
    notice_context_for_step,
    render_notice,
)

from .timetable_walk import shipped_books, shipped_policy

CONTACT = CouncilContact(
    council_name="Derby City Council",
    phone="01332 293111",
    email="income@derby.gov.uk",
    website="www.derby.gov.uk/pay",
    payment_methods=("Online at www.derby.gov.uk/pay", "By phone on 01332 293111, 24 hours"),
)
APPEAL = "If you think this bill is wrong, contact the service that sent it within 28 days."
DUE = date(2025, 5, 1)


def _context(council: str, debt_type: str, step_name: str, amount: int = 12_345, issued: date = DUE):
    policy = shipped_policy(council, debt_type)
    step = policy.step_named(step_name)
    context = notice_context_for_step(
        policy,
        step,
        CONTACT,
        debtor_name="Ms Jane Example",
        reference="INV-000123",
        debt_description="your invoice for garden waste collection",
        amount_owed=amount,
        issued_on=issued,
        due_date=DUE,
        appeal_rights=APPEAL,
    )
    return step, context


def test_a_reminder_says_the_amount_when_to_pay_what_happens_next_how_to_pay_and_where_to_get_advice():
    templates = letter_templates()
    step, context = _context("derby", "sundry", "first_reminder", issued=date(2025, 5, 2))
    # Lines are wrapped, so the checks read the letter as one run of words.
    letter = " ".join(render_notice(templates[step.letter_template], context, includes=templates).split())
    assert "£123.45" in letter
    assert "1 June 2025" in letter  # pay within 30 days of 2 May
    assert "we will send you a second reminder on or after 1 June 2025" in letter
    assert "Online at www.derby.gov.uk/pay" in letter
    assert "StepChange" in letter and "National Debtline" in letter
    assert APPEAL in letter
    assert "large print" in letter


def test_a_summons_letter_shows_the_court_costs_added():
    templates = letter_templates()
    step, context = _context("derby", "council_tax", "summons", amount=128_000)
    letter = " ".join(render_notice(templates[step.letter_template], context, includes=templates).split())
    assert "£80.00" in letter  # the configured summons costs
    assert "£1,280.00" in letter
    assert "liability order" in letter


def test_the_large_print_letter_says_the_same_in_short_lines():
    templates = letter_templates()
    step, context = _context("derby", "sundry", "final_notice")
    standard = render_notice(templates[step.letter_template], context, includes=templates)
    large = render_notice(templates[step.letter_template], context, large_print=True, includes=templates)
    assert large.startswith("LARGE PRINT")
    assert max(len(line) for line in large.splitlines()) <= LARGE_PRINT_WIDTH
    assert " ".join(large.split()[2:]) == " ".join(standard.split())


def test_a_letter_with_a_missing_value_fails_rather_than_printing_a_gap():
    _, context = _context("derby", "sundry", "first_reminder")
    with pytest.raises(UndefinedError):
        render_notice("Dear {{ debtor_name }}, you owe {{ amount_outstanding }}", context)


def test_an_advice_referral_is_offered_on_the_gentler_route():
    templates = letter_templates()
    step, context = _context("derby", "sundry", "first_reminder")
    offered = render_notice(
        templates[step.letter_template],
        type(context)(**{**context.__dict__, "advice_referral": True}),
        includes=templates,
    )
    plain = render_notice(templates[step.letter_template], context, includes=templates)
    assert "we can refer you" in " ".join(offered.split())
    assert "we can refer you" not in " ".join(plain.split())


def test_every_letter_of_every_shipped_policy_renders():
    templates = letter_templates()
    for book in shipped_books().values():
        for policy in book.policies:
            for step in policy.steps:
                if not step.contact:
                    continue
                context = notice_context_for_step(
                    policy, step, CONTACT, "Mr A Debtor", "REF-1", "your account", 5_000, DUE, DUE, APPEAL
                )
                letter = render_notice(templates[step.letter_template], context, includes=templates)
                assert "£50.00" in letter, (book.council, step.name)
                assert "FREE AND INDEPENDENT DEBT ADVICE" in letter
