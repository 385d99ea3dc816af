"""The letters of an enforcement step chosen after the order (`domain/post_order_letters.py` says which, and to
whom): filled in from the council's letterhead and the case like every other notice, kept with the case
(`recovery.letter`, `recovery.notice`) and rendered to PDF by `letter_pdf` from their facts. A letter to an employer
or the Department for Work and Pensions carries its own name and address (`recipient_address`), so its PDF and its
envelope window show them, not the debtor's; the debtor is `employee_name` / `benefit_claimant_name` there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from services.recovery.council_contacts import contact_for
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.notices import letter_date, render_letter_text
from services.recovery.domain.post_order_enforcement import LIABILITY_ORDER_DEBTS, PostOrderEnforcement
from services.recovery.domain.post_order_letters import (
    Addressee,
    PostOrderLetter,
    band_text,
    deduction_tables,
    letters_for,
)
from services.recovery.letter_content import BUSINESS, INDIVIDUAL, advice_for, rights_for, translation_set
from services.recovery.letter_pdf import POST_ORDER_TEMPLATES
from services.recovery.letterheads import letterhead_for
from services.recovery.letters import INCLUDES, IssuedLetter, debt_description
from shared.money import Pence, format_pounds

BENEFIT_NAMES = {
    "universal_credit": "Universal Credit",
    "income_support": "Income Support",
    "jobseekers_allowance": "income-based Jobseeker's Allowance",
    "employment_and_support_allowance": "income-related Employment and Support Allowance",
    "pension_credit": "Pension Credit",
}


@dataclass(frozen=True)
class Recipient:
    """Someone other than the debtor a letter is posted to: an employer, a benefits office."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    payroll_number: str = ""


@dataclass(frozen=True)
class MeansInquiry:
    """The means inquiry hearing a committal notice names (CT reg 47-48)."""

    hearing_on: date
    hearing_time: time | None
    court_name: str
    court_address: str


@dataclass(frozen=True)
class EnforcementFacts:
    """What the letters of one chosen step need of the case and of the officer's request."""

    council: str
    step: PostOrderEnforcement
    debt_type: str
    debtor_name: str
    debtor_is_individual: bool
    large_print: bool
    reference: str
    financial_year: str
    originating_service: str
    amount_owed: Pence
    issued_on: date
    order_reference: str
    order_date: date | None = None
    employer: Recipient | None = None
    benefits_office: Recipient | None = None
    benefit: str | None = None
    national_insurance_number: str | None = None
    means_inquiry: MeansInquiry | None = None
    higher_rates: bool = False


def _tables(facts: EnforcementFacts) -> list[dict[str, Any]]:
    return [
        {
            "title": f"{table.name}: net earnings paid {'daily' if table.period == 'day' else table.period + 'ly'}",
            "bands": [band_text(band, table.period) for band in table.bands],
        }
        for table in deduction_tables(facts.step, facts.higher_rates)
    ]


def _values(facts: EnforcementFacts, letter: PostOrderLetter) -> dict[str, Any]:
    head = letterhead_for(facts.council)
    contact = contact_for(facts.council)
    kind = INDIVIDUAL if facts.debtor_is_individual else BUSINESS
    to_debtor = letter.to is Addressee.DEBTOR
    described = debt_description(facts.debt_type, facts.financial_year, facts.reference)
    values: dict[str, Any] = {
        "council_name": contact.council_name,
        "phone": contact.phone,
        "email": contact.email,
        "website": contact.website,
        "payment_methods": list(contact.payment_methods),
        "advice_services": list(contact.advice_services),
        "debtor_name": facts.debtor_name,
        "reference": facts.reference,
        "debt_description": described,
        "step_kind": facts.step.value,
        "issued_on": letter_date(facts.issued_on),
        "issued_on_iso": facts.issued_on.isoformat(),
        "amount_owed": format_pounds(facts.amount_owed),
        "amount_pence": facts.amount_owed,
        "costs_added": "",
        "next_step": "",
        "advice_referral": False,
        "large_print": facts.large_print and to_debtor,
        "recipient_kind": kind if to_debtor else BUSINESS,
        "addressee": letter.to.value,
        "debt_type": facts.debt_type,
        "originating_service": facts.originating_service,
        "financial_year": facts.financial_year,
        "enforcement": facts.step.value,
        "on_liability_order": DebtType(facts.debt_type) in LIABILITY_ORDER_DEBTS,
        "order_reference": facts.order_reference,
        "post_order": translation_set("en")["post_order"],
        "template": letter.template,
        "council": facts.council,
        "step_name": facts.step.value,
    }
    if facts.order_date is not None:
        values["order_date"] = letter_date(facts.order_date)
        values["order_date_iso"] = facts.order_date.isoformat()
    if facts.benefit:
        values["benefit"] = BENEFIT_NAMES.get(facts.benefit, facts.benefit)
    if facts.national_insurance_number:
        values["national_insurance_number"] = facts.national_insurance_number
    if facts.employer is not None:
        values["employer_name"] = facts.employer.name
        if facts.employer.payroll_number:
            values["payroll_number"] = facts.employer.payroll_number
    if facts.step is PostOrderEnforcement.DIRECT_EARNINGS_ATTACHMENT:
        values["higher_rates"] = facts.higher_rates
        values["deduction_rates_title"] = (
            "HIGHER RATES, SCHEDULE 2 TABLES C AND D" if facts.higher_rates else "SCHEDULE 2 TABLES A AND B"
        )
    if facts.means_inquiry is not None:
        hearing = facts.means_inquiry
        values["hearing_on"] = letter_date(hearing.hearing_on)
        values["hearing_on_iso"] = hearing.hearing_on.isoformat()
        values["court_name"] = hearing.court_name
        if hearing.court_address:
            values["court_address"] = hearing.court_address
        if hearing.hearing_time is not None:
            at = hearing.hearing_time
            hour = at.hour % 12 or 12
            suffix = "am" if at.hour < 12 else "pm"
            values["hearing_time"] = (
                f"{hour}{suffix}" if at.minute == 0 else f"{hour}:{at.minute:02d}{suffix}"
            )
    if to_debtor:
        values["appeal_rights"] = rights_for(facts.debt_type, head, kind, facts.originating_service)
        values["advice"] = advice_for(kind, head)
        return values
    recipient = facts.employer if letter.to is Addressee.EMPLOYER else facts.benefits_office
    assert recipient is not None, f"{letter.template} needs its recipient's name and address"
    values.update(
        debtor_name=recipient.name,
        recipient_address=list(recipient.address_lines),
        recipient_postcode=recipient.postcode,
        appeal_rights=[],
    )
    if letter.to is Addressee.EMPLOYER:
        values["employee_name"] = facts.debtor_name
        values["deduction_tables"] = _tables(facts)
        plain = described.removeprefix("your ").removeprefix("the ")
        values["debt_description"] = (
            plain.replace("overpaid to you", f"overpaid to {facts.debtor_name}")
            if "to you" in plain
            else f"{plain} owed by {facts.debtor_name}"
        )
    else:
        values["benefit_claimant_name"] = facts.debtor_name
        values["debt_description"] = f"council tax owed by {facts.debtor_name} ({facts.reference})"
    return values


def enforcement_letters(facts: EnforcementFacts) -> list[tuple[PostOrderLetter, IssuedLetter]]:
    """Every letter the chosen step sends, each with its text and the facts its PDF is rendered from."""
    issued = []
    for letter in letters_for(facts.step, DebtType(facts.debt_type)):
        values = _values(facts, letter)
        text = render_letter_text(POST_ORDER_TEMPLATES[letter.template], values, INCLUDES)
        lines = [line.rstrip() for line in text.splitlines()]
        tidy = "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1])).strip() + "\n"
        if values["large_print"]:
            tidy = "LARGE PRINT\n\n" + tidy
        issued.append((letter, IssuedLetter(template=letter.template, text=tidy, facts=values)))
    return issued
