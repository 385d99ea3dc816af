"""The debtor's letters of enforcement after the order in Welsh where a council writes in Welsh (issues 16 and 20):
every letter to the debtor (the attachment of earnings order's copy on a liability order and on a county court
judgment, the direct earnings attachment notice, the notice of a means inquiry hearing, and the rest) comes Welsh
first, saying in Welsh what the English says (the order, the employer, the duty to report a change of job, the
court, date and time of a hearing, the rights and advice), then in English; the letter to the employer or the DWP
stays in English only (a statutory notice to a payroll or a benefits office, with the law's tables). Read back from
the PDF by the English letters' reader (test_enforcement_letters_after_the_order.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.post_order_letters import Addressee, letters_for
from services.recovery.letter_pdf import WELSH_POST_ORDER
from services.recovery.post_order_letters import MeansInquiry

from .letter_pages import ReadLetter
from .test_enforcement_letters_after_the_order import (
    COMMITTAL,
    COMPANY,
    COUNCIL_TAX,
    DWP,
    HB,
    JUDGMENT,
    E,
    EnforcementFacts,
    letters,
)
from .test_welsh_letters_pdf import welsh_letterhead

ENGLISH_FOLLOWS = "This is the English version of the letter above."
WELSH_FIRST = "Mae fersiwn Saesneg o'r llythyr hwn yn dilyn."


def letters_in_wales(facts: EnforcementFacts) -> dict[Addressee, ReadLetter]:
    """Each letter of the step, by addressee, as a council in Wales writing in Welsh sends it."""
    return letters(facts, welsh_letterhead(facts.council))


def welsh_then_english(pdf: ReadLetter, welsh_title: str, english_title: str) -> tuple[str, str]:
    """The letter's Welsh part and its English part, checking the Welsh comes first under its own title."""
    assert pdf.says(WELSH_FIRST) and pdf.says(ENGLISH_FOLLOWS)
    welsh, english = pdf.words.split(ENGLISH_FOLLOWS, 1)
    assert welsh_title in welsh and english_title not in welsh and english_title in english
    return welsh, english


def test_the_debtors_copy_of_a_council_tax_attachment_of_earnings_order_is_in_welsh_then_english() -> None:
    read = letters_in_wales(COUNCIL_TAX)
    welsh, english = welsh_then_english(
        read[Addressee.DEBTOR], "GORCHYMYN ATAFAELU ENILLION", "ATTACHMENT OF"
    )
    for phrase in (
        "Gwnaed gorchymyn atebolrwydd yn eich erbyn ar 1 Gorffennaf 2026",
        "eich treth gyngor ar gyfer 2026/27",
        "mae arnoch £1,250.00 o hyd",
        "at eich cyflogwr, Acme Widgets Ltd",
        "Y llythyr hwn yw eich copi chi ohono",
        "cyn pen 14 diwrnod",
        "SUT I DALU",
    ):
        assert phrase in welsh, phrase
    assert "This letter is your copy of it" in english and "July" not in welsh
    # The order itself, to the employer's payroll, is in English only.
    employer = read[Addressee.EMPLOYER]
    assert not employer.says(ENGLISH_FOLLOWS) and not employer.says("GORCHYMYN")
    assert employer.says("ATTACHMENT OF EARNINGS ORDER") and employer.says("SCHEDULE 4")


def test_the_application_to_the_county_court_on_a_judgment_is_told_to_the_debtor_in_welsh() -> None:
    (pdf,) = letters_in_wales(JUDGMENT).values()
    welsh, _ = welsh_then_english(pdf, "CAIS AM ORCHYMYN ATAFAELU ENILLION", "APPLICATION FOR AN ATTACHMENT")
    assert "Rhoddodd y llys sirol ddyfarniad yn eich erbyn (K00DE123)" in welsh
    assert "eich anfoneb INV-9" in welsh and "atal y cais" in welsh


def test_a_direct_earnings_attachment_notice_to_the_debtor_is_in_welsh_with_the_higher_rates_when_they_apply() -> (
    None
):
    read = letters_in_wales(HB)
    welsh, _ = welsh_then_english(
        read[Addressee.DEBTOR], "RYDYM WEDI GOFYN I'CH CYFLOGWR GYMRYD TALIADAU O'CH CYFLOG", "WE HAVE ASKED"
    )
    for phrase in (
        "y budd-dal tai a ordalwyd i chi (HB-77)",
        "heb fynd i'r llys",
        "hysbysiad atafaelu enillion uniongyrchol at eich cyflogwr, Acme Widgets Ltd",
        "o leiaf 60% o'ch cyflog net",
        "cyn pen 7 diwrnod",
    ):
        assert phrase in welsh, phrase
    assert "cyfraddau uwch" not in welsh
    higher, _ = welsh_then_english(
        letters_in_wales(replace(HB, higher_rates=True))[Addressee.DEBTOR],
        "RYDYM WEDI GOFYN",
        "WE HAVE ASKED",
    )
    assert "mae'r cyfraddau uwch yn berthnasol" in higher
    assert not read[Addressee.EMPLOYER].says(ENGLISH_FOLLOWS)


def test_the_debtors_notice_of_an_attachment_of_benefits_is_in_welsh_and_the_application_to_the_dwp_in_english() -> (
    None
):
    facts = replace(
        COUNCIL_TAX,
        step=E.ATTACHMENT_OF_BENEFITS,
        employer=None,
        benefits_office=DWP,
        benefit="universal_credit",
        national_insurance_number="QQ123456C",
    )
    read = letters_in_wales(facts)
    welsh, english = welsh_then_english(
        read[Addressee.DEBTOR],
        "RYDYM WEDI GOFYN AM I'R DRETH GYNGOR GAEL EI CHYMRYD O'CH BUDD-DAL",
        "WE HAVE ASKED",
    )
    assert (
        "gofyn i'r Adran Gwaith a Phensiynau gymryd swm o bob taliad o'ch budd-dal (Credyd Cynhwysol)"
        in welsh
    )
    assert "Gwnaed gorchymyn atebolrwydd yn eich erbyn ar 1 Gorffennaf 2026" in welsh
    assert "(Universal Credit)" in english
    application = read[Addressee.BENEFITS_OFFICE]
    assert not application.says(ENGLISH_FOLLOWS) and application.says(
        "APPLICATION FOR DEDUCTIONS FROM BENEFIT"
    )


def test_the_debtors_notice_of_a_charging_order_application_is_in_welsh_on_an_order_and_on_a_judgment() -> (
    None
):
    title = "RYDYM WEDI GWNEUD CAIS AM ORCHYMYN ARWYSTLO AR EICH EIDDO"
    (on_order,) = letters_in_wales(replace(COUNCIL_TAX, step=E.CHARGING_ORDER, employer=None)).values()
    welsh, _ = welsh_then_english(on_order, title, "WE HAVE APPLIED FOR A CHARGING ORDER")
    for phrase in (
        "Gan fod arnoch £1,000 neu fwy",
        "gorchymyn arwystlo interim",
        "cyn pen 28 diwrnod",
        "Nid yw'n golygu bod yn rhaid i chi adael eich cartref",
    ):
        assert phrase in welsh, phrase
    (on_judgment,) = letters_in_wales(replace(JUDGMENT, step=E.CHARGING_ORDER)).values()
    welsh, _ = welsh_then_english(on_judgment, title, "WE HAVE APPLIED FOR A CHARGING ORDER")
    assert "Rhoddodd y llys sirol ddyfarniad yn eich erbyn (K00DE123)" in welsh and "£1,000" not in welsh


def test_a_third_party_debt_order_tells_a_person_of_the_hardship_payment_order_in_welsh_and_a_company_not() -> (
    None
):
    title = "RYDYM WEDI GWNEUD CAIS AM ORCHYMYN DYLED TRYDYDD PARTI"
    (person,) = letters_in_wales(replace(JUDGMENT, step=E.THIRD_PARTY_DEBT_ORDER)).values()
    welsh, _ = welsh_then_english(person, title, "WE HAVE APPLIED FOR A THIRD PARTY DEBT ORDER")
    assert "rewi arian yn eich cyfrif" in welsh and "o leiaf 3 diwrnod cyn y gwrandawiad" in welsh
    assert "orchymyn taliad caledi" in welsh and "Os na all y busnes dalu" not in welsh
    (company,) = letters_in_wales(replace(COMPANY, step=E.THIRD_PARTY_DEBT_ORDER)).values()
    welsh, _ = welsh_then_english(company, title, "WE HAVE APPLIED FOR A THIRD PARTY DEBT ORDER")
    assert "Os na all y busnes dalu" in welsh and "caledi" not in welsh


def test_a_transfer_to_the_high_court_is_told_in_welsh_with_the_home_or_the_business_premises() -> None:
    title = "MAE EICH DYLED YN CAEL EI THROSGLWYDDO I'R UCHEL LYS I'W GORFODI"
    (person,) = letters_in_wales(replace(JUDGMENT, step=E.HIGH_COURT_ENFORCEMENT)).values()
    welsh, _ = welsh_then_english(person, title, "YOUR DEBT IS BEING PASSED TO THE HIGH COURT")
    assert "£600 neu fwy" in welsh and "o leiaf 7 diwrnod clir" in welsh and "ymweld â'ch cartref" in welsh
    assert "talwch y swyddog gorfodi, nid y cyngor" in welsh
    (company,) = letters_in_wales(replace(COMPANY, step=E.HIGH_COURT_ENFORCEMENT)).values()
    welsh, _ = welsh_then_english(company, title, "YOUR DEBT IS BEING PASSED TO THE HIGH COURT")
    assert "ymweld â safle eich busnes" in welsh and "cartref" not in welsh


def test_insolvency_action_is_told_in_welsh_as_bankruptcy_to_a_person_and_winding_up_to_a_company() -> None:
    person_facts = replace(COUNCIL_TAX, step=E.INSOLVENCY, employer=None, amount_owed=5_200_00)
    (person,) = letters_in_wales(person_facts).values()
    welsh, _ = welsh_then_english(
        person, "EFALLAI Y BYDDWN YN GOFYN I'R LLYS EICH GWNEUD YN FETHDALWR", "WE MAY ASK THE COURT"
    )
    for phrase in ("hawliad statudol", "21 diwrnod", "cyn pen 18 diwrnod", "£5,000 neu fwy", "ymddiriedolwr"):
        assert phrase in welsh, phrase
    assert "datodwr" not in welsh
    (company,) = letters_in_wales(replace(COMPANY, step=E.INSOLVENCY)).values()
    welsh, _ = welsh_then_english(
        company, "EFALLAI Y BYDDWN YN GOFYN I'R LLYS DDIRWYN EICH CWMNI I BEN", "WE MAY ASK THE COURT"
    )
    assert "£750 neu fwy" in welsh and "datodwr" in welsh and "methdalwr" not in welsh.lower()


@pytest.mark.parametrize("large_print", [False, True])
def test_a_means_inquiry_hearing_on_business_rates_is_told_in_welsh_with_the_court_date_time_and_what_it_may_do(
    large_print: bool,
) -> None:
    # In Wales committal is for business rates only: council tax committal was abolished there from 1 April 2019
    # and may_enforce refuses it (tests/unit/recovery/test_post_order_enforcement.py).
    facts = replace(
        COMMITTAL,
        debt_type="business_rates",
        reference="NDR-5",
        large_print=large_print,
        means_inquiry=MeansInquiry(
            date(2026, 10, 7), time(14, 30), "Cardiff Magistrates' Court", "Fitzalan Place, Cardiff"
        ),
    )
    (notice,) = letters_in_wales(facts).values()
    welsh, english = welsh_then_english(
        notice, "RHAID I CHI FYND I'R LLYS: GWRANDAWIAD YMHOLIAD I'CH MODD", "MEANS INQUIRY HEARING"
    )
    for phrase in (
        "Gwnaed gorchymyn atebolrwydd yn eich erbyn ar 1 Gorffennaf 2026",
        "am eich ardrethi busnes ar gyfer 2026/27, ac mae arnoch £1,250.00 o hyd",
        "Nid yw'r asiantau gorfodi wedi gallu ei adennill",
        "Llys: Cardiff Magistrates' Court, Fitzalan Place, Cardiff",
        "Dyddiad: 7 Hydref 2026",
        "Amser: 2:30yp",
        "Rhaid i chi fynd i'r gwrandawiad hwn",
        "gall y llys ddyroddi gwarant i'ch arestio",
        "Dewch â slipiau cyflog",
        "wrthod yn fwriadol neu esgeuluso'n feius",
        "i'r carchar, am hyd at 3 mis",
        "leihau neu ddileu'r hyn sydd arnoch",
        "byddwn yn tynnu'r cais yn ôl",
        "apelio i Dribiwnlys Prisio Cymru",
    ):
        assert phrase in welsh, phrase
    for english_only in ("October", "2:30pm", "treth gyngor", "Valuation Tribunal for England"):
        assert english_only not in welsh, english_only
    for phrase in ("Date: 7 October 2026", "Time: 2:30pm", "wilfully refused or were culpably negligent"):
        assert phrase in " ".join(english.split()), phrase
    assert (min(p.size_pt for p in notice.pieces) >= 16) is large_print


def test_every_letter_to_the_debtor_has_a_welsh_version_and_no_letter_to_an_employer_or_the_dwp_has() -> None:
    # Letters to an employer or the DWP stay in English (services/recovery/README.md says why).
    sent = {
        (letter.template, letter.to) for step in E for debt in DebtType for letter in letters_for(step, debt)
    }
    assert set(WELSH_POST_ORDER) == {template for template, to in sent if to is Addressee.DEBTOR}
