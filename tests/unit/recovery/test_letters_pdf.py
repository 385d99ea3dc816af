"""Every letter a council posts, read back from its PDF: for every council, debt type, step with a letter,
recipient kind (a person, a business) and print variant (standard, large print), the PDF says what the law and
the recipient call for, and nothing that does not apply (issue 16).

Rendered once for the module, in two processes (the machine's cores)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, time
from multiprocessing import get_context
from typing import Any

import pytest

from services.recovery.domain.notices import render_letter_text
from services.recovery.domain.policy import StepKind
from services.recovery.letter_facts import liability_order_costs
from services.recovery.letter_pdf import PostalAddress, document_title, render_letter_pdf, render_many
from services.recovery.letterheads import letterhead_for
from services.recovery.letters import (
    BUSINESS,
    INCLUDES,
    INDIVIDUAL,
    TEMPLATES,
    IssuedLetter,
    has_letter,
    letter_for_step,
)

from .letter_pages import ReadLetter, read_letter
from .timetable_walk import shipped_books, shipped_policy

ADDRESS = PostalAddress(("Flat 2", "14 Friar Gate", "Derby"), "DE1 1BU")
ISSUED = date(2026, 6, 1)
HEARING = {
    "court_name": "Southern Derbyshire Magistrates' Court",
    "court_address": "St Mary's Gate, Derby",
    "hearing_on": date(2026, 6, 24),
    "hearing_time": time(10, 0),
}
NAMES = {INDIVIDUAL: "Ms Jane Example", BUSINESS: "Example Trading Ltd"}
REFERRALS = {StepKind.ENFORCEMENT_AGENT_REFERRAL, StepKind.COLLECTION_AGENCY_REFERRAL}
# The window of a DL envelope on the sheet (mm): the address must fall inside it.
WINDOW_LEFT, WINDOW_RIGHT, WINDOW_TOP, WINDOW_BOTTOM = 20, 110, 45, 95


@dataclass(frozen=True)
class LetterCase:
    """One letter to render: whose, for which debt, which step, to whom, in which print."""

    council: str
    debt_type: str
    group: str | None
    step_name: str
    recipient_kind: str
    large_print: bool
    rights_of: str = ""  # the debt type the letter's rights are for, when not the policy's (PCNs below)

    @property
    def id(self) -> str:
        group = f"/{self.group}" if self.group else ""
        print_variant = "large" if self.large_print else "standard"
        debt = self.rights_of or self.debt_type
        return f"{self.council}-{debt}{group}-{self.step_name}-{self.recipient_kind}-{print_variant}"


def _cases() -> list[LetterCase]:
    cases = []
    for council, book in sorted(shipped_books().items()):
        for policy in book.policies:
            for step in policy.steps:
                if not has_letter(step):
                    continue
                for kind in (INDIVIDUAL, BUSINESS):
                    for large in (False, True):
                        cases.append(
                            LetterCase(council, policy.debt_type.value, policy.group, step.name, kind, large)
                        )
    # No shipped council recovers penalty charges on its own timetable yet: their rights on a sundry timetable.
    for kind in (INDIVIDUAL, BUSINESS):
        cases.append(
            LetterCase("derby", "sundry", None, "first_reminder", kind, False, "penalty_charge_notice")
        )
    return cases


CASES = _cases()


def _issue(case: LetterCase) -> IssuedLetter:
    policy = shipped_policy(case.council, case.debt_type, case.group)
    step = policy.step_named(case.step_name)
    facts: dict[str, object] = {}
    if step.kind is StepKind.SUMMONS:
        facts = {"court_session": HEARING, "costs_claimed_pence": step.costs}
        further = liability_order_costs(policy, step)  # as the step taking hands them over
        if further:
            facts["further_costs_pence"] = further
    return letter_for_step(
        policy,
        step,
        debtor_name=NAMES[case.recipient_kind],
        reference="REF-000123",
        debt_type=case.rights_of or case.debt_type,
        financial_year="2026/27",
        amount_owed=123_45,
        issued_on=ISSUED,
        due_date=date(2026, 4, 1),
        advice_referral=False,
        large_print=case.large_print,
        recipient_kind=case.recipient_kind,
        originating_service="Waste Services",
        **facts,
    )


@pytest.fixture(scope="module")
def letters() -> dict[LetterCase, tuple[IssuedLetter, ReadLetter]]:
    issued = [_issue(case) for case in CASES]
    items = [(letter.facts, ADDRESS) for letter in issued]
    parts = [items[i::2] for i in range(2)]
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        done = list(pool.map(render_many, parts))
    rendered: list[Any] = [None] * len(items)
    for i, part in enumerate(done):
        rendered[i::2] = part
    return {
        case: (letter, read_letter(pdf.pdf))
        for case, letter, pdf in zip(CASES, issued, rendered, strict=True)
    }


def _check_rights(case: LetterCase, pdf: ReadLetter) -> None:
    debt = case.rights_of or case.debt_type
    if debt == "council_tax":
        assert pdf.says("appeal to the Valuation Tribunal for England")
        assert pdf.says("wrong council tax band, contact the Valuation Office Agency")
    elif debt == "business_rates":
        assert pdf.says("Check, Challenge, Appeal service")
        assert not pdf.says("council tax band")
    elif debt == "penalty_charge_notice":
        assert pdf.says("make representations to us in writing within 28 days of the notice to owner")
        assert pdf.says("appeal to an independent adjudicator at the Traffic Penalty Tribunal")
    elif debt == "housing_benefit_overpayment":
        assert pdf.says("ask us to look at it again (a reconsideration)")
        assert pdf.says("appeal to an independent tribunal")
    else:
        assert pdf.says(
            "contact Waste Services within 28 days: only the service that sent the bill can change"
        )
    if debt != "council_tax":
        assert not pdf.says("Valuation Tribunal for England (www.valuationtribunal.gov.uk)")
    if debt != "penalty_charge_notice":
        assert not pdf.says("Traffic Penalty Tribunal")
    if debt != "housing_benefit_overpayment":
        assert not pdf.says("reconsideration")
    if debt in ("council_tax", "business_rates", "penalty_charge_notice", "housing_benefit_overpayment"):
        assert not pdf.says("only the service that sent the bill can change or cancel it")


def _check_recipient(case: LetterCase, pdf: ReadLetter, step_kind: StepKind) -> None:
    if case.recipient_kind == INDIVIDUAL:
        assert pdf.says("StepChange Debt Charity") and pdf.says("National Debtline")
        assert pdf.says("If a debt adviser applies for breathing space for you, we will pause recovery")
        assert pdf.says("If you are ill, disabled, or have other difficulties")
        assert pdf.says("Local Government and Social Care Ombudsman")
        assert not pdf.says("Business Debtline")
    else:
        assert pdf.says("Business Debtline: 0800 197 6026")
        for consumer_only in (
            "StepChange",
            "National Debtline",
            "Citizens Advice",
            "breathing space",
            "ill, disabled",
            "income and spending",
            "mental health",
        ):
            assert not pdf.says(consumer_only), consumer_only
    if step_kind in REFERRALS and case.recipient_kind == INDIVIDUAL:
        assert pdf.says("tell us or the agen")  # agents / agency


def _check_payment(case: LetterCase, pdf: ReadLetter, step_kind: StepKind) -> None:
    head = letterhead_for(case.council)
    if step_kind in REFERRALS:
        who = (
            "enforcement agents" if step_kind is StepKind.ENFORCEMENT_AGENT_REFERRAL else "collection agency"
        )
        assert pdf.says(f"Pay the {who} only")
        assert pdf.says("Do not send any payment to the council")
        for method in head.payment_methods:
            assert not pdf.says(method), method
        assert not pdf.says("We can agree to let you pay in instalments")
    else:
        for method in head.payment_methods:
            assert pdf.says(method), method
        assert not pdf.says("Pay the enforcement agents only")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_letter_says_what_applies_to_it_and_nothing_that_does_not(case: LetterCase, letters) -> None:
    issued, pdf = letters[case]
    step = shipped_policy(case.council, case.debt_type, case.group).step_named(case.step_name)
    head = letterhead_for(case.council)
    # Who it is from and to, the references, amounts and dates.
    assert pdf.says(head.council_name) and pdf.says(head.phone)
    assert pdf.says(NAMES[case.recipient_kind]) and pdf.says("14 Friar Gate") and pdf.says("DE1 1BU")
    assert pdf.says("Reference REF-000123") or pdf.says("Reference: REF-000123") or pdf.says("REF-000123")
    assert pdf.says("£123.45") and pdf.says("1 June 2026")
    assert pdf.says("This letter is available in large print")
    _check_rights(case, pdf)
    _check_recipient(case, pdf, step.kind)
    _check_payment(case, pdf, step.kind)
    if step.kind is StepKind.SUMMONS:
        assert pdf.says("Court: Southern Derbyshire Magistrates' Court, St Mary's Gate, Derby")
        assert pdf.says("Date: 24 June 2026") and pdf.says("Time: 10am")
        assert step.costs > 0 and pdf.says(f"award us costs of £{step.costs / 100:,.2f}")
        assert pdf.says("we will ask the court at the hearing on 24 June 2026 to make a liability order")
        assert not pdf.says("will be added on or after")
    else:
        assert not pdf.says("THE HEARING")
    # Tagged PDF in the letter's language, titled by the letter.
    assert pdf.tagged and pdf.language == "en" and pdf.title
    # The name and address in the envelope's window, and nothing else there.
    name = pdf.piece(NAMES[case.recipient_kind])
    postcode = pdf.piece("DE1 1BU")
    for piece in (name, postcode):
        assert piece.page == 1
        assert WINDOW_LEFT <= piece.left_mm < WINDOW_RIGHT - 60
        assert WINDOW_TOP <= piece.top_mm <= WINDOW_BOTTOM
    window = [
        p
        for p in pdf.pieces
        if p.page == 1 and WINDOW_LEFT <= p.left_mm < WINDOW_RIGHT and WINDOW_TOP <= p.top_mm <= WINDOW_BOTTOM
    ]
    assert {p.text.strip() for p in window} <= {NAMES[case.recipient_kind], *ADDRESS.lines, ADDRESS.postcode}
    # Large print: every word at 16 point or more, laid out again, not enlarged.
    if case.large_print:
        assert min(p.size_pt for p in pdf.pieces) >= 16
        assert issued.print_variant == "large_print"
    else:
        assert max(p.size_pt for p in pdf.pieces) < 16


def test_large_print_is_the_same_letter_reflowed_in_shorter_lines(letters) -> None:
    for case in CASES:
        if case.large_print:
            standard = letters[replace(case, large_print=False)][1]
            large = letters[case][1]
            assert large.pages >= standard.pages, case.id
            longest = max(len(p.text) for p in large.pieces)
            assert longest < 0.75 * max(len(p.text) for p in standard.pieces), case.id
            tail = "If you are unhappy with how we have dealt with you"
            assert large.says(tail) and standard.says(tail)


def test_a_council_that_writes_in_welsh_sends_the_welsh_letter_first_then_the_english(monkeypatch) -> None:
    welsh = replace(
        letterhead_for("derby"),
        nation="wales",
        languages=("cy", "en"),
        translated_names={"cy": "Cyngor Dinas Derby"},
    )
    monkeypatch.setattr("services.recovery.letters.letterhead_for", lambda council: welsh)
    case = LetterCase("derby", "council_tax", None, "first_reminder", INDIVIDUAL, False)
    issued = _issue(case)
    pdf = read_letter(render_letter_pdf(issued.facts, ADDRESS, welsh).pdf)
    assert pdf.language == "cy"
    assert pdf.says("NODYN ATGOFFA: TALWCH £123.45")
    assert pdf.says("Talwch hwn erbyn 7 Mehefin 2026")  # the law's 7 days from 1 June, in Welsh
    assert pdf.says("apelio i Dribiwnlys Prisio Cymru") and pdf.says("Valuation Tribunal for Wales")
    assert pdf.says("Cyngor Dinas Derby") and pdf.says("An English version of this letter follows")
    assert pdf.words.index("NODYN ATGOFFA") < pdf.words.index("REMINDER: PLEASE PAY")


def test_a_council_tax_reminder_lists_the_instalments_it_asks_for_and_a_breathing_space_says_what_it_holds():
    policy = shipped_policy("derby", "council_tax")
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
        breathing_space_note="£50.00 owed by 1 May 2026 is in your breathing space.",
    )
    pdf = read_letter(render_letter_pdf(issued.facts, ADDRESS).pdf)
    assert pdf.says("Instalment 2, due 1 May 2026: £100.00 unpaid (of £150.00)")
    assert pdf.says("Please pay £100.00 by 7 June 2026")
    assert pdf.says("BREATHING SPACE") and pdf.says("£50.00 owed by 1 May 2026 is in your breathing space.")


def _title_of(issued: IssuedLetter) -> str:
    # The first line of the letter's words: what its template opens with.
    words = render_letter_text(TEMPLATES[issued.template], {**issued.facts, "pdf": True}, INCLUDES)
    return next(line.strip() for line in words.splitlines() if line.strip())


def test_every_notice_is_titled_and_first_headed_by_its_own_title(letters) -> None:
    # What a screen reader announces first: the PDF's title and its first heading (the one level-1 heading),
    # read back from every template's PDF, standard and large print.
    templates: set[str] = set()
    for case in CASES:
        issued, pdf = letters[case]
        templates.add(issued.template)
        title = _title_of(issued)
        assert pdf.title == document_title(title), case.id
        assert pdf.headings[0] == "H1" and pdf.headings.count("H1") == 1, case.id
        assert pdf.largest_text == title, case.id
    assert templates == {name for name in TEMPLATES if not name.startswith("_")}


def test_a_final_notice_listing_the_instalments_due_is_still_titled_final_notice() -> None:
    # The date in "FINAL NOTICE: PAY £900.00 BY 6 September 2026" is in mixed case: the title is still the title,
    # and "INSTALMENTS DUE" a heading under it.
    policy = shipped_policy("derby", "council_tax")
    issued = letter_for_step(
        policy,
        policy.step_named("final_notice"),
        debtor_name="Ms Jane Example",
        reference="CT-1",
        debt_type="council_tax",
        financial_year="2026/27",
        amount_owed=90_000,
        issued_on=date(2026, 8, 31),
        due_date=date(2026, 4, 1),
        advice_referral=False,
        large_print=False,
        instalments_due=[
            {"number": 5, "due_on": date(2026, 8, 1), "amount_pence": 15_000, "unpaid_pence": 15_000}
        ],
        amount_asked_pence=90_000,
        regulated_pay_by=date(2026, 9, 6),
    )
    pdf = read_letter(render_letter_pdf(issued.facts, ADDRESS).pdf)
    assert pdf.says("INSTALMENTS DUE")
    assert pdf.title == "Final notice: pay £900.00 by 6 September 2026"
    assert pdf.largest_text == "FINAL NOTICE: PAY £900.00 BY 6 September 2026"
    assert pdf.headings[0] == "H1" and pdf.headings.count("H1") == 1


def _summons(further_costs: int | None) -> ReadLetter:
    policy = shipped_policy("derby", "council_tax")
    step = policy.step_named("summons")
    facts: dict[str, object] = {"court_session": HEARING, "costs_claimed_pence": step.costs}
    if further_costs:
        facts["further_costs_pence"] = further_costs
    issued = letter_for_step(
        policy,
        step,
        debtor_name="Ms Jane Example",
        reference="CT-1",
        debt_type="council_tax",
        financial_year="2026/27",
        amount_owed=98_000,
        issued_on=ISSUED,
        due_date=date(2026, 4, 1),
        advice_referral=False,
        large_print=False,
        recipient_kind=INDIVIDUAL,
        originating_service="",
        **facts,
    )
    return read_letter(render_letter_pdf(issued.facts, ADDRESS).pdf)


def test_a_summons_claims_its_costs_and_further_costs_arise_only_if_the_court_makes_the_order_at_the_hearing():
    # CT Regs 1992 reg 34(7)-(8): the liability order is for the sum and the costs reasonably incurred in
    # obtaining it, awarded by the court with the order: never "added on or after" a day before the hearing.
    policy = shipped_policy("derby", "council_tax")
    further = liability_order_costs(policy, policy.step_named("summons"))
    assert further == 4000  # Derby's timetable: £40.00 with the liability order
    pdf = _summons(further)
    assert pdf.says("award us costs of £80.00")
    assert pdf.says("we will ask the court at the hearing on 24 June 2026 to make a liability order")
    assert pdf.says(
        "If the court makes a liability order at the hearing on 24 June 2026, we will also ask it to award "
        "further costs of £40.00. These further costs are added only if the court grants the liability order."
    )
    assert not pdf.says("on or after")


def test_a_summons_whose_council_asks_no_further_costs_mentions_none() -> None:
    pdf = _summons(None)
    assert pdf.says("award us costs of £80.00")
    assert pdf.says("we will ask the court at the hearing on 24 June 2026 to make a liability order")
    assert not pdf.says("further costs") and not pdf.says("on or after")
