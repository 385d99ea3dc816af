"""The letters of each enforcement step chosen after the order, read back from their PDFs: the order or notice to
the employer with the regulations' deduction tables, the application to the DWP, and the debtor's notice of what
happens next; each says what the law requires for its debt type and recipient, and nothing that does not apply
(issue 20)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from services.recovery.domain.post_order_enforcement import PostOrderEnforcement
from services.recovery.domain.post_order_letters import Addressee
from services.recovery.letter_pdf import BILINGUAL_NOTES, PostalAddress, document_title, render_letter_pdf
from services.recovery.letterheads import Letterhead
from services.recovery.post_order_letters import (
    EnforcementFacts,
    MeansInquiry,
    Recipient,
    enforcement_letters,
)

from .letter_pages import ReadLetter, read_letter

E = PostOrderEnforcement
DEBTOR_ADDRESS = PostalAddress(("Flat 2", "14 Friar Gate", "Derby"), "DE1 1BU")
EMPLOYER = Recipient("Acme Widgets Ltd", ("Unit 4", "Pride Park", "Derby"), "DE24 8HX", "P-4471")
DWP = Recipient("Department for Work and Pensions", ("Deductions Team", "Wolverhampton"), "WV98 1AA")
COUNCIL_TAX = EnforcementFacts(
    council="derby",
    step=E.ATTACHMENT_OF_EARNINGS,
    debt_type="council_tax",
    debtor_name="Ms Jane Example",
    debtor_is_individual=True,
    large_print=False,
    reference="CT-1",
    financial_year="2026/27",
    originating_service="",
    amount_owed=1_250_00,
    issued_on=date(2026, 9, 1),
    order_reference="DMC-42",
    order_date=date(2026, 7, 1),
    employer=EMPLOYER,
)
JUDGMENT = replace(
    COUNCIL_TAX,
    debt_type="sundry",
    reference="INV-9",
    originating_service="Environmental Services",
    order_reference="K00DE123",
    order_date=None,
    employer=None,
)
COMPANY = replace(
    JUDGMENT, debtor_name="Example Trading Ltd", debtor_is_individual=False, amount_owed=7_500_00
)
HB = replace(
    COUNCIL_TAX,
    step=E.DIRECT_EARNINGS_ATTACHMENT,
    debt_type="housing_benefit_overpayment",
    reference="HB-77",
    order_reference="direct earnings attachment (no court order needed)",
    order_date=None,
)
COMMITTAL = replace(
    COUNCIL_TAX,
    step=E.COMMITTAL,
    employer=None,
    means_inquiry=MeansInquiry(
        date(2026, 10, 7), time(10, 0), "Southern Derbyshire Magistrates' Court", "St Mary's Gate, Derby"
    ),
)


def letters(facts: EnforcementFacts, head: Letterhead | None = None) -> dict[Addressee, ReadLetter]:
    """Each letter of the step, by addressee, read back from its PDF (posted to the debtor's address unless
    the letter carries its own), on the council's own letterhead or on `head`. A letter in Welsh and English has
    a title for each part; the English part's first line is the title only of a letter in English alone."""
    out = {}
    for letter, issued in enforcement_letters(facts):
        pdf = read_letter(render_letter_pdf(issued.facts, DEBTOR_ADDRESS, head).pdf)
        parts = 2 if pdf.says(BILINGUAL_NOTES["en"]) else 1
        assert pdf.tagged and pdf.headings[0] == "H1" and pdf.headings.count("H1") == parts, letter.template
        if parts == 1:
            first = next(line for line in issued.text.splitlines()[7:] if line.strip() and line.isupper())
            assert pdf.title == document_title(first), letter.template
        out[letter.to] = pdf
    return out


def says_all(pdf: ReadLetter, *phrases: str) -> None:
    missing = [p for p in phrases if not pdf.says(p)]
    assert not missing, missing


def says_none(pdf: ReadLetter, *phrases: str) -> None:
    present = [p for p in phrases if pdf.says(p)]
    assert not present, present


def test_a_council_tax_attachment_of_earnings_order_goes_to_the_employer_with_schedule_4_and_a_copy_to_the_debtor():
    sent = letters(COUNCIL_TAX)
    assert set(sent) == {Addressee.EMPLOYER, Addressee.DEBTOR}
    employer = sent[Addressee.EMPLOYER]
    says_all(
        employer,
        "ATTACHMENT OF EARNINGS ORDER",
        "Acme Widgets Ltd",
        "Unit 4",
        "DE24 8HX",
        "Employee: Ms Jane Example, payroll number P-4471",
        "regulation 37 of the Council Tax (Administration and Enforcement) Regulations 1992",
        "On 1 July 2026 the magistrates' court made a liability order",
        "£1,250.00",
        "SCHEDULE 4",
        "up to £300.00 a month: nothing",
        "more than £300.00 and up to £550.00 a month: 3%",
        "more than £900.00 and up to £1,420.00 a month: 12%",
        "more than £2,020.00 a month: 17% of the first £2,020.00 and 50% of the rest",
        "more than £505.00 a week: 17% of the first £505.00 and 50% of the rest",
        "more than £72.00 a day",
        "keep £1",
        "within 14 days",
        "tell your employee in writing",
    )
    # Posted to the employer: not the debtor's address, nor their rights, advice or the DEA's rules.
    says_none(
        employer,
        "14 Friar Gate",
        "Valuation Tribunal",
        "StepChange",
        "60%",
        "Part 6",
        "Table D",
        "higher rates",
    )
    debtor = sent[Addressee.DEBTOR]
    says_all(
        debtor,
        "14 Friar Gate",
        "This letter is your copy of it",
        "your employer, Acme Widgets Ltd",
        "within 14 days if you leave your job",
        "Valuation Tribunal for England",
        "StepChange",
    )
    says_none(debtor, "Table A", "Unit 4", "county court", "without going to court")


def test_on_a_judgment_the_county_court_makes_the_attachment_of_earnings_order():
    sent = letters(replace(JUDGMENT, employer=EMPLOYER))
    assert set(sent) == {Addressee.DEBTOR}
    says_all(
        sent[Addressee.DEBTOR],
        "APPLICATION FOR AN ATTACHMENT OF EARNINGS ORDER",
        "K00DE123",
        "asked the county court to make an attachment of earnings order",
        "contact Environmental Services",
    )
    says_none(sent[Addressee.DEBTOR], "regulation 37", "liability order", "Table A", "Valuation Tribunal")


def test_an_attachment_of_benefits_is_an_application_to_the_dwp_and_a_notice_to_the_debtor():
    facts = replace(
        COUNCIL_TAX,
        step=E.ATTACHMENT_OF_BENEFITS,
        employer=None,
        benefits_office=DWP,
        benefit="universal_credit",
        national_insurance_number="QQ123456C",
    )
    sent = letters(facts)
    application = sent[Addressee.BENEFITS_OFFICE]
    says_all(
        application,
        "APPLICATION FOR DEDUCTIONS FROM BENEFIT FOR COUNCIL TAX",
        "Department for Work and Pensions",
        "WV98 1AA",
        "regulation 29 of the Council Tax (Administration and Enforcement) Regulations 1992",
        "Name: Ms Jane Example",
        "National Insurance number: QQ123456C",
        "Benefit: Universal Credit",
        "Liability order made on 1 July 2026 by the magistrates' court (DMC-42)",
        "£1,250.00",
    )
    says_none(application, "14 Friar Gate", "StepChange", "Valuation Tribunal")
    says_all(
        sent[Addressee.DEBTOR],
        "from each payment of your benefit (Universal Credit)",
        "The amount is set by law",
        "StepChange",
    )


def test_a_charging_order_notice_says_the_thousand_pounds_rule_only_on_a_liability_order():
    on_order = letters(replace(COUNCIL_TAX, step=E.CHARGING_ORDER, employer=None))[Addressee.DEBTOR]
    says_all(
        on_order,
        "WE HAVE APPLIED FOR A CHARGING ORDER ON YOUR PROPERTY",
        "Because you owe £1,000 or more",
        "the property the council tax is for",
        "interim charging order",
        "within 28 days of being sent the interim order",
        "It does not mean you have to leave your home",
        "Valuation Tribunal for England",
    )
    on_judgment = letters(replace(JUDGMENT, step=E.CHARGING_ORDER))[Addressee.DEBTOR]
    says_all(on_judgment, "K00DE123", "interim charging order")
    says_none(on_judgment, "£1,000 or more", "liability order", "Valuation Tribunal")


def test_a_third_party_debt_order_offers_a_person_a_hardship_payment_order_and_a_company_business_advice():
    person = letters(replace(JUDGMENT, step=E.THIRD_PARTY_DEBT_ORDER))[Addressee.DEBTOR]
    says_all(person, "THIRD PARTY DEBT ORDER", "freeze money", "hardship payment order", "StepChange")
    says_none(person, "Business Debtline")
    company = letters(replace(COMPANY, step=E.THIRD_PARTY_DEBT_ORDER))[Addressee.DEBTOR]
    says_all(company, "freeze money", "the business's accounts", "Business Debtline")
    says_none(company, "hardship payment order", "StepChange", "breathing space", "ill, disabled")


def test_high_court_enforcement_says_what_an_enforcement_officer_does_next():
    person = letters(replace(JUDGMENT, step=E.HIGH_COURT_ENFORCEMENT))[Addressee.DEBTOR]
    says_all(
        person,
        "HIGH COURT FOR ENFORCEMENT",
        "£600 or more",
        "writ of control",
        "at least 7 clear days to pay",
        "visit your home",
        "National Debtline",
    )
    company = letters(replace(COMPANY, step=E.HIGH_COURT_ENFORCEMENT))[Addressee.DEBTOR]
    says_all(company, "visit your business premises", "Business Debtline")
    says_none(company, "visit your home", "StepChange")


def test_insolvency_is_bankruptcy_for_a_person_and_winding_up_for_a_company_with_the_advice_each_gets():
    person = letters(replace(COUNCIL_TAX, step=E.INSOLVENCY, employer=None, amount_owed=5_200_00))[
        Addressee.DEBTOR
    ]
    says_all(
        person,
        "WE MAY ASK THE COURT TO MAKE YOU BANKRUPT",
        "statutory demand",
        "21 days",
        "set it aside within 18 days",
        "£5,000 or more",
        "A liability order was made against you on 1 July 2026",
        "StepChange",
        "National Debtline",
        "Citizens Advice",
    )
    says_none(person, "winding-up", "£750", "Business Debtline")
    company = letters(replace(COMPANY, step=E.INSOLVENCY))[Addressee.DEBTOR]
    says_all(
        company, "WIND UP YOUR COMPANY", "winding-up order", "£750 or more", "liquidator", "Business Debtline"
    )
    says_none(company, "bankrupt", "£5,000", "StepChange", "breathing space", "liability order")


@pytest.mark.parametrize("large_print", [False, True])
def test_a_committal_is_a_notice_of_the_means_inquiry_hearing(large_print: bool):
    notice = letters(replace(COMMITTAL, large_print=large_print))[Addressee.DEBTOR]
    says_all(
        notice,
        "MEANS INQUIRY HEARING",
        "Court: Southern Derbyshire Magistrates' Court, St Mary's Gate, Derby",
        "Date: 7 October 2026",
        "Time: 10am",
        "Enforcement agents have not been able to recover it",
        "wilfully refused or were culpably negligent",
        "up to 3 months",
        "Bring payslips",
        "StepChange",
    )
    says_none(notice, "county court", "Table A")
    sizes = {p.size_pt for p in notice.pieces}
    assert (min(sizes) >= 16) is large_print


def test_a_direct_earnings_attachment_goes_to_the_employer_without_a_court_order_at_the_standard_rates():
    sent = letters(HB)
    employer = sent[Addressee.EMPLOYER]
    says_all(
        employer,
        "DIRECT EARNINGS ATTACHMENT NOTICE",
        "Acme Widgets Ltd",
        "DE24 8HX",
        "Employee: Ms Jane Example, payroll number P-4471",
        "housing benefit that was overpaid to them (HB-77)",
        "Part 6 of the Social Security (Overpayments and Recovery) Regulations 2013",
        "This notice does not need a court order",
        "SCHEDULE 2 TABLES A AND B",
        "up to £430.00 a month: nothing",
        "more than £430.00 and up to £690.00 a month: 3%",
        "more than £2,240.00 a month: 20%",
        "more than £520.00 a week: 20%",
        "less than 60% of their net earnings",
        "within 10 days",
        "keep £1",
    )
    says_none(
        employer,
        "14 Friar Gate",
        "liability order",
        "Schedule 4",
        "regulation 37",
        "40%",
        "a day:",
        "reconsideration",
    )
    debtor = sent[Addressee.DEBTOR]
    says_all(
        debtor,
        "WE HAVE ASKED YOUR EMPLOYER TO TAKE PAYMENTS FROM YOUR PAY",
        "without going to court",
        "your employer, Acme Widgets Ltd",
        "at least 60% of your net pay",
        "within 7 days",
        "reconsideration",
        "First-tier Tribunal",
    )
    says_none(debtor, "liability order", "Valuation Tribunal", "higher rates", "Table A")


def test_a_direct_earnings_attachment_for_an_overpayment_the_debtor_was_convicted_of_uses_the_higher_rates():
    sent = letters(replace(HB, higher_rates=True))
    says_all(
        sent[Addressee.EMPLOYER],
        "HIGHER RATES, SCHEDULE 2 TABLES C AND D",
        "up to £430.00 a month: 5%",
        "more than £2,240.00 a month: 40%",
    )
    says_none(sent[Addressee.EMPLOYER], "TABLES A AND B", ": nothing")
    says_all(sent[Addressee.DEBTOR], "the higher rates apply")
