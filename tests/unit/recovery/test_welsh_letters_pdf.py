"""Every notice in Welsh where a council writes in Welsh (issue 16): for every council's timetables, each step's
letter rendered for a council configured with Welsh (`languages: [cy, en]`, in Wales), to a person and to a
business, read back from its PDF: the Welsh letter comes first, in Welsh, and says what the English one must
(the law's rights per debt type, advice that fits the recipient, payment to the agent alone once an agent holds
the debt, the summons's court, date, time and costs), then the English letter follows.

Rendered once for the module, in two processes (the machine's cores)."""

from __future__ import annotations

import calendar
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from multiprocessing import get_context
from typing import Any

import pytest

import services.recovery.letter_pdf as letter_pdf
from services.recovery.domain.policy import StepKind
from services.recovery.letter_pdf import WELSH, RenderedLetter, render_letter_pdf, welsh_clock
from services.recovery.letterheads import Letterhead, letterhead_for
from services.recovery.letters import BUSINESS, INDIVIDUAL, IssuedLetter, has_letter, letter_for_step

from .letter_pages import ReadLetter, read_letter
from .test_letters_pdf import ADDRESS, ISSUED, NAMES, LetterCase, _issue
from .timetable_walk import shipped_books, shipped_policy

# Each notice's Welsh title (its first line, what a screen reader announces first).
WELSH_TITLES = {
    "reminder.txt.j2": "NODYN ATGOFFA: TALWCH £123.45",
    "second_reminder.txt.j2": "AIL NODYN ATGOFFA: TALWCH £123.45",
    "third_reminder.txt.j2": "TRYDYDD NODYN ATGOFFA: TALWCH £123.45",
    "final_notice.txt.j2": "HYSBYSIAD TERFYNOL: TALWCH £123.45 ERBYN",
    "summons.txt.j2": "GWŶS I'R LLYS YNADON",
    "liability_order.txt.j2": "GORCHYMYN ATEBOLRWYDD WEDI'I WNEUD",
    "notice_of_liability_order.txt.j2": "HYSBYSIAD O ORCHYMYN ATEBOLRWYDD",
    "enforcement_agent_referral.txt.j2": "MAE EICH CYFRIF WEDI'I DROSGLWYDDO I ASIANTAU GORFODI",
    "collection_agency_referral.txt.j2": "MAE EICH CYFRIF WEDI'I DROSGLWYDDO I ASIANTAETH GASGLU",
    "statement_of_account.txt.j2": "DATGANIAD CYFRIF",
    "legal_referral.txt.j2": "MAE EICH CYFRIF WEDI'I DROSGLWYDDO I'N TÎM CYFREITHIOL",
    "notice_to_quit.txt.j2": "HYSBYSIAD I YMADAEL",
    "withdrawal_of_service.txt.j2": "GWASANAETH WEDI'I ATAL NES I CHI DALU",
}
ENGLISH_FOLLOWS = "This is the English version of the letter above."
ENGLISH_MONTHS = [m for m in calendar.month_name if m]
REFERRALS = {StepKind.ENFORCEMENT_AGENT_REFERRAL, StepKind.COLLECTION_AGENCY_REFERRAL}


def welsh_letterhead(council: str) -> Letterhead:
    """The council's letterhead as a council in Wales writing in Welsh would have it."""
    head = letterhead_for(council)
    return replace(
        head, nation="wales", languages=("cy", "en"), translated_names={"cy": f"Cyngor {head.council_name}"}
    )


@dataclass(frozen=True)
class WelshLetter:
    """A Welsh council's letter read back: the whole PDF, and the words of its Welsh part."""

    pdf: ReadLetter
    welsh: str

    def says(self, phrase: str) -> bool:
        """The Welsh letter says the phrase, however its lines were broken."""
        return " ".join(phrase.split()) in self.welsh


def _cases() -> list[LetterCase]:
    cases = []
    large_print_of: set[str] = set()
    for council, book in sorted(shipped_books().items()):
        for policy in book.policies:
            for step in policy.steps:
                if not has_letter(step):
                    continue
                for kind in (INDIVIDUAL, BUSINESS):
                    cases.append(
                        LetterCase(council, policy.debt_type.value, policy.group, step.name, kind, False)
                    )
                if step.letter_template not in large_print_of:  # each notice once in large print
                    large_print_of.add(step.letter_template)
                    cases.append(
                        LetterCase(council, policy.debt_type.value, policy.group, step.name, INDIVIDUAL, True)
                    )
    for kind in (INDIVIDUAL, BUSINESS):
        cases.append(
            LetterCase("derby", "sundry", None, "first_reminder", kind, False, "penalty_charge_notice")
        )
    return cases


CASES = _cases()


def render_welsh(items: list[tuple[dict[str, Any], str]]) -> list[RenderedLetter]:
    """Letters' PDFs for Welsh councils (what each worker process is given)."""
    return [render_letter_pdf(facts, ADDRESS, welsh_letterhead(council)) for facts, council in items]


def _read(rendered: RenderedLetter) -> WelshLetter:
    pdf = read_letter(rendered.pdf)
    return WelshLetter(pdf, pdf.words[: pdf.words.index(ENGLISH_FOLLOWS)])


def _issue_welsh(case: LetterCase) -> IssuedLetter:
    # The letter's facts as issued for a Welsh council: its rights are those of a council in Wales.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("services.recovery.letters.letterhead_for", welsh_letterhead)
        return _issue(case)


@pytest.fixture(scope="module")
def letters() -> dict[LetterCase, tuple[IssuedLetter, WelshLetter]]:
    issued = [_issue_welsh(case) for case in CASES]
    items = [(letter.facts, case.council) for case, letter in zip(CASES, issued, strict=True)]
    parts = [items[i::2] for i in range(2)]
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        done = list(pool.map(render_welsh, parts))
    rendered: list[Any] = [None] * len(items)
    for i, part in enumerate(done):
        rendered[i::2] = part
    return {case: (letter, _read(pdf)) for case, letter, pdf in zip(CASES, issued, rendered, strict=True)}


def test_every_notice_of_the_councils_timetables_has_its_welsh_letter() -> None:
    used = {case_template for case_template in (_issue(c).template for c in CASES if not c.large_print)}
    assert used <= set(WELSH) and set(WELSH_TITLES) == {n for n in WELSH if not n.startswith("_")}


def _check_rights(case: LetterCase, letter: WelshLetter) -> None:
    debt = case.rights_of or case.debt_type
    expected = {
        "council_tax": ("apelio i Dribiwnlys Prisio Cymru", "yn y band treth gyngor anghywir"),
        "business_rates": ("I herio'r gwerth ardrethol", "apelio i Dribiwnlys Prisio Cymru"),
        "penalty_charge_notice": (
            "gallwch gyflwyno sylwadau i ni yn ysgrifenedig o fewn 28 diwrnod i'r hysbysiad i'r perchennog",
            "apelio i ddyfarnwr annibynnol yn y Tribiwnlys Cosbau Traffig",
        ),
        "housing_benefit_overpayment": ("edrych arno eto (ailystyriaeth)", "apelio i dribiwnlys annibynnol"),
    }.get(debt, ("cysylltwch â Waste Services o fewn 28 diwrnod", "dim ond y gwasanaeth a anfonodd y bil"))
    for phrase in expected:
        assert letter.says(phrase), phrase
    if debt != "council_tax":
        assert not letter.says("band treth gyngor")
    if debt != "penalty_charge_notice":
        assert not letter.says("Tribiwnlys Cosbau Traffig")
    if debt != "housing_benefit_overpayment":
        assert not letter.says("ailystyriaeth")
    if debt in ("council_tax", "business_rates", "penalty_charge_notice", "housing_benefit_overpayment"):
        assert not letter.says("dim ond y gwasanaeth a anfonodd y bil")


def _check_recipient(case: LetterCase, letter: WelshLetter, step_kind: StepKind) -> None:
    if case.recipient_kind == INDIVIDUAL:
        assert letter.says("StepChange Debt Charity") and letter.says("Cyngor ar Bopeth")
        assert letter.says("Os bydd cynghorydd dyledion yn gwneud cais am le i anadlu ar eich rhan")
        assert letter.says("Os ydych yn sâl, yn anabl, neu'n cael anawsterau eraill")
        assert letter.says("Ombwdsmon Gwasanaethau Cyhoeddus Cymru")
        assert not letter.says("Business Debtline")
    else:
        assert letter.says("Business Debtline: 0800 197 6026")
        for consumer_only in ("StepChange", "National Debtline", "Cyngor ar Bopeth", "le i anadlu", "sâl, yn anabl",
                              "incwm a'ch gwariant", "iechyd meddwl"):  # fmt: skip
            assert not letter.says(consumer_only), consumer_only
    if step_kind in REFERRALS and case.recipient_kind == INDIVIDUAL:
        assert letter.says("dywedwch wrthym ni neu'r asiant")  # asiantau / asiantaeth


def _check_payment(letter: WelshLetter, step_kind: StepKind) -> None:
    if step_kind in REFERRALS:
        who = "asiantau gorfodi" if step_kind is StepKind.ENFORCEMENT_AGENT_REFERRAL else "asiantaeth gasglu"
        assert letter.says(f"Talwch yr {who} yn unig") and letter.says(
            "Peidiwch ag anfon unrhyw daliad i'r cyngor"
        )
        assert not letter.says("Ar-lein yn") and not letter.says("Gallwn gytuno i chi dalu mewn rhandaliadau")
    else:
        assert letter.says("Ar-lein yn") and letter.says("Dros y ffôn ar")
        assert not letter.says("yn unig, gan ddefnyddio'r manylion")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_welsh_letter_comes_first_and_says_what_applies_to_it_and_nothing_that_does_not(
    case: LetterCase, letters
) -> None:
    issued, letter = letters[case]
    step = shipped_policy(case.council, case.debt_type, case.group).step_named(case.step_name)
    head = welsh_letterhead(case.council)
    pdf = letter.pdf
    assert pdf.tagged and pdf.language == "cy"
    assert letter.says(WELSH_TITLES[issued.template]) and pdf.title.lower().startswith(
        WELSH_TITLES[issued.template][:12].lower()
    )
    assert letter.says(f"Cyngor {head.council_name}") and letter.says(
        "Mae fersiwn Saesneg o'r llythyr hwn yn dilyn"
    )
    assert letter.says(NAMES[case.recipient_kind]) and letter.says("14 Friar Gate") and letter.says("DE1 1BU")
    assert (
        letter.says("Dyddiad 1 Mehefin 2026")
        and letter.says("Cyfeirnod REF-000123")
        and letter.says("£123.45")
    )
    assert letter.says("Mae'r llythyr hwn ar gael mewn print bras")
    # In Welsh throughout: no English month, heading or date left in the Welsh letter.
    for english in (
        *ENGLISH_MONTHS,
        "HOW TO PAY",
        "YOUR RIGHTS",
        "WHAT HAPPENS NEXT",
        "IF YOU CANNOT PAY",
        "2026-",
    ):
        assert not letter.says(english), english
    # Whatever the English letter says will happen next, the Welsh one says too.
    english = pdf.words[pdf.words.index(ENGLISH_FOLLOWS) :]
    assert ("WHAT HAPPENS NEXT" in english) == letter.says("BETH SY'N DIGWYDD NESAF")
    _check_rights(case, letter)
    _check_recipient(case, letter, step.kind)
    _check_payment(letter, step.kind)
    if step.kind is StepKind.SUMMONS:
        assert letter.says("Llys: Southern Derbyshire Magistrates' Court, St Mary's Gate, Derby")
        assert letter.says("Dyddiad: 24 Mehefin 2026") and letter.says("Amser: 10yb")
        assert letter.says(f"dyfarnu costau o £{step.costs / 100:,.2f} i ni")
        assert letter.says(
            "byddwn yn gofyn i'r llys yn y gwrandawiad ar 24 Mehefin 2026 wneud gorchymyn atebolrwydd"
        )
    else:
        assert not letter.says("Y GWRANDAWIAD")
    if case.large_print:
        assert min(p.size_pt for p in pdf.pieces) >= 16
    # The English letter follows, whole.
    assert pdf.words.index(WELSH_TITLES[issued.template]) < pdf.words.index(ENGLISH_FOLLOWS)
    assert "This letter is available in large print" in english
    if (
        case.recipient_kind == INDIVIDUAL
    ):  # a council in Wales answers to the Welsh ombudsman, in both languages
        assert "Public Services Ombudsman for Wales" in english
        assert "Local Government and Social Care Ombudsman" not in pdf.words


def test_a_welsh_council_tax_reminder_lists_its_instalments_what_follows_and_its_breathing_space_in_welsh():
    policy = shipped_policy("derby", "council_tax")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("services.recovery.letters.letterhead_for", welsh_letterhead)
        issued = letter_for_step(
            policy,
            policy.step_named("first_reminder"),
            debtor_name="Ms Jane Example",
            reference="CT-1",
            debt_type="council_tax",
            financial_year="2026/27",
            amount_owed=30_000,
            issued_on=ISSUED,
            due_date=date(2026, 4, 1),
            advice_referral=False,
            large_print=False,
            instalments_due=[
                {"number": 2, "due_on": date(2026, 5, 1), "amount_pence": 15_000, "unpaid_pence": 10_000}
            ],
            amount_asked_pence=10_000,
            regulated_pay_by=date(2026, 6, 7),
            consequence="If you do not pay the instalments listed by 7 June 2026, you lose the right ...",
            balance_due_on=date(2026, 6, 15),
            breathing_space_total_pence=5_000,
            breathing_space_protected_up_to=date(2026, 5, 1),
            breathing_space_note="£50.00 owed by 1 May 2026 is in your breathing space.",
        )
    letter = _read(render_letter_pdf(issued.facts, ADDRESS, welsh_letterhead("derby")))
    assert letter.says("Rhandaliad 2, yn ddyledus 1 Mai 2026: £100.00 heb ei dalu (o £150.00)")
    assert letter.says("Talwch £100.00 erbyn 7 Mehefin 2026")
    assert letter.says("bydd gweddill bil y flwyddyn hon i gyd yn ddyledus ar 15 Mehefin 2026")
    assert letter.says("LLE I ANADLU") and letter.says(
        "Mae £50.00 sy'n ddyledus erbyn 1 Mai 2026 yn eich lle i anadlu"
    )


def test_a_welsh_reminder_without_the_ledgers_facts_says_when_the_rest_of_the_year_falls_due_as_a_welsh_date():
    case = LetterCase("derby", "council_tax", None, "first_reminder", INDIVIDUAL, False)
    letter = _read(render_letter_pdf(_issue_welsh(case).facts, ADDRESS, welsh_letterhead("derby")))
    # The law's 7 days from 1 June, then the rest of the year due the day after the next 7 days.
    assert letter.says("Os na fyddwch yn talu'r rhandaliadau uchod erbyn 7 Mehefin 2026")
    assert letter.says("bydd gweddill bil y flwyddyn hon i gyd yn ddyledus ar 15 Mehefin 2026")


def test_a_welsh_letter_gives_the_time_of_day_as_welsh_letters_do() -> None:
    assert [welsh_clock(t) for t in ("10am", "2:30pm", "12pm", "noon")] == ["10yb", "2:30yp", "12yp", "noon"]


def test_a_notice_without_a_welsh_letter_goes_in_english_only(monkeypatch) -> None:
    monkeypatch.delitem(letter_pdf.WELSH, "final_notice.txt.j2")
    case = LetterCase("derby", "council_tax", None, "final_notice", INDIVIDUAL, False)
    pdf = read_letter(render_letter_pdf(_issue(case).facts, ADDRESS, welsh_letterhead("derby")).pdf)
    assert pdf.says("FINAL NOTICE") and not pdf.says("An English version of this letter follows")
    assert pdf.language == "en"
