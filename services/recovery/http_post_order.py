"""Enforcement after the order, over HTTP: a senior officer chooses and records one step (attachment of earnings
or benefits, charging order, third party debt order, High Court enforcement, insolvency, committal, and for a
housing benefit overpayment a direct earnings attachment). The pure rule `domain/post_order_enforcement.may_enforce`
decides whether the law allows it on this case now: refused with its reason (422), or recorded on the case, its
letters issued (`post_order_letters.py`: kept with their facts, listed and rendered at `/cases/{case_id}/letters`
and printed in the day's batch like every notice) and published as `recovery.enforcement.chosen`, the debtor's
notice also as `recovery.notice.issued`.

What the letters need comes with the request and is checked: the employer's name and address for an attachment of
earnings order on council tax and a direct earnings attachment (the order or notice goes to the employer); the
Department for Work and Pensions office and the benefit for an attachment of benefits; the means inquiry hearing
for a committal (the court defaults to the council's magistrates' court).

Council tax and rates take their liability order from the court results on record; recovery keeps no county
court judgments yet, so for other debts the officer gives the judgment's claim number. Enforcement agents "have
failed" when an enforcement agent referral of the case has ended (returned or recalled)."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.recovery.case_state import LoadedCase, load_case
from services.recovery.domain.case import ArrangementStatus
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.hb_order_of_recovery import BenefitAnswer
from services.recovery.domain.policy import StepKind
from services.recovery.domain.post_order_enforcement import OrderedDebt, PostOrderEnforcement, may_enforce
from services.recovery.domain.post_order_letters import Addressee
from services.recovery.domain.regulated_path import granted_order
from services.recovery.http import Service
from services.recovery.letterheads import letterhead_for
from services.recovery.letters import letter_record
from services.recovery.post_order_letters import (
    EnforcementFacts,
    MeansInquiry,
    Recipient,
    enforcement_letters,
)
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.customers import Debtor
from services.recovery.stores.steps import NoticeRecord
from shared.auth import Principal, Role, requires
from shared.contracts.recovery import EnforcementChosen, NoticeIssued
from shared.money import format_pounds

router = APIRouter()

SeniorOfficer = Annotated[Principal, Depends(requires(Role.SENIOR_OFFICER))]
ENFORCEMENT_CHOSEN = "enforcement_chosen"
E = PostOrderEnforcement
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
ADDRESS_LINE = Annotated[str, Field(min_length=1, max_length=100)]


class PostedTo(BaseModel):
    """A name and postal address a letter goes to (an employer, a benefits office)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    address_lines: list[ADDRESS_LINE] = Field(min_length=1, max_length=5)
    postcode: str = Field(min_length=5, max_length=8)

    @field_validator("postcode")
    @classmethod
    def _uk_postcode(cls, value: str) -> str:
        postcode = value.upper()
        if not UK_POSTCODE.match(postcode):
            raise ValueError("not a UK postcode")
        return postcode


class Employer(PostedTo):
    """The debtor's employer, and their payroll number there when known."""

    payroll_number: str | None = Field(default=None, max_length=50)


class MeansInquiryHearing(BaseModel):
    """The means inquiry hearing the magistrates' court listed (CT reg 47-48); the court defaults to the
    council's magistrates' court."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    hearing_on: date
    hearing_time: time | None = None
    court_name: str | None = Field(default=None, min_length=1, max_length=200)
    court_address: str | None = Field(default=None, min_length=1, max_length=300)


Benefit = Literal[
    "universal_credit",
    "income_support",
    "jobseekers_allowance",
    "employment_and_support_allowance",
    "pension_credit",
]


class EnforcementAsked(BaseModel):
    """The step chosen; for a debt other than council tax or rates (and not a direct earnings attachment), the
    county court judgment behind it; and what the step's letters need (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    enforcement: PostOrderEnforcement
    county_court_judgment_reference: str | None = Field(default=None, max_length=100)
    notes: str = Field(default="", max_length=2000)
    employer: Employer | None = None
    benefits_office: PostedTo | None = None
    benefit: Benefit | None = None
    national_insurance_number: str | None = Field(default=None, pattern=r"^[A-Z]{2}[0-9]{6}[A-D]$")
    means_inquiry_hearing: MeansInquiryHearing | None = None
    found_guilty_of_an_offence: bool = Field(
        default=False,
        description="direct earnings attachment only: the debtor was found guilty of an offence about the "
        "overpayment, so the higher rates apply (SS (Overpayments and Recovery) Regs 2013 reg 20(3A))",
    )

    @model_validator(mode="after")
    def _only_what_the_step_uses(self) -> EnforcementAsked:
        step = self.enforcement
        if self.employer is not None and step not in (E.ATTACHMENT_OF_EARNINGS, E.DIRECT_EARNINGS_ATTACHMENT):
            raise ValueError(f"an employer is given only for an attachment of earnings, not {step.value}")
        benefits = self.benefits_office, self.benefit, self.national_insurance_number
        if step is not E.ATTACHMENT_OF_BENEFITS and any(v is not None for v in benefits):
            raise ValueError(
                "benefits_office, benefit and national_insurance_number are for attachment_of_benefits"
            )
        if step is not E.COMMITTAL and self.means_inquiry_hearing is not None:
            raise ValueError("means_inquiry_hearing is for committal only")
        if self.found_guilty_of_an_offence and step is not E.DIRECT_EARNINGS_ATTACHMENT:
            raise ValueError("found_guilty_of_an_offence is for direct_earnings_attachment only")
        return self


def what_the_letters_lack(asked: EnforcementAsked, debt_type: DebtType) -> str | None:
    """What the step's letters need that the request does not give (asked once the law allows the step)."""
    if (
        asked.enforcement is E.ATTACHMENT_OF_EARNINGS
        and debt_type is DebtType.COUNCIL_TAX
        and asked.employer is None
    ):
        # CT reg 37(3): the council serves its order on the employer.
        return (
            "an attachment of earnings order is served on the employer: give the employer's name and address"
        )
    if asked.enforcement is E.ATTACHMENT_OF_BENEFITS and (
        asked.benefits_office is None or asked.benefit is None
    ):
        return "an attachment of benefits needs benefits_office (the DWP office applied to) and benefit"
    if asked.enforcement is E.COMMITTAL and asked.means_inquiry_hearing is None:
        return "a committal needs the means_inquiry_hearing the court listed"
    return None


def ordered_debt(
    case: LoadedCase,
    judgment_reference: str | None,
    employer_known: bool = False,
    council_in_wales: bool = False,
) -> tuple[OrderedDebt, str]:
    """What the rule needs of the case, and the reference of the order or judgment behind it."""
    order = granted_order(case.court_results)
    agents_ended = any(
        s.taken.kind is StepKind.ENFORCEMENT_AGENT_REFERRAL
        and not s.taken.void
        and s.taken.recalled_on is not None
        for s in case.steps
    )
    judgment = (judgment_reference or "").strip()
    latest_benefit = case.state.benefit_requests[-1] if case.state.benefit_requests else None
    debt = OrderedDebt(
        debt_type=DebtType(case.row.debt_type),
        balance_pence=case.row.balance_pence,
        liability_order_granted=order is not None,
        county_court_judgment=bool(judgment),
        debtor_is_individual=case.row.debtor_is_individual,
        enforcement_agents_failed=agents_ended,
        employer_known=employer_known,
        recovering_from_benefit=latest_benefit is not None
        and latest_benefit.answer is BenefitAnswer.CONFIRMED,
        awaiting_benefits_system=latest_benefit is not None and latest_benefit.answer is None,
        arrangement_being_kept=case.state.arrangement is ArrangementStatus.LIVE,
        council_in_wales=council_in_wales,
    )
    reference = (order.court_reference or "liability order") if order is not None else judgment
    return debt, reference


def _recipient(posted: PostedTo | None) -> Recipient | None:
    if posted is None:
        return None
    payroll = posted.payroll_number if isinstance(posted, Employer) else None
    return Recipient(posted.name, tuple(posted.address_lines), posted.postcode, payroll or "")


def _means_inquiry(council: str, asked: MeansInquiryHearing | None, today: date) -> MeansInquiry | None:
    if asked is None:
        return None
    if asked.hearing_on < today:
        raise HTTPException(422, "the means inquiry hearing is in the past")
    court = letterhead_for(council).magistrates_court
    name = asked.court_name or (court.name if court else None)
    if name is None:
        raise HTTPException(422, "name the court: the council has no magistrates' court on its letterhead")
    address = asked.court_address or (court.address if court and not asked.court_name else "")
    return MeansInquiry(asked.hearing_on, asked.hearing_time, name, address)


@router.post("/cases/{case_id}/enforcement", status_code=201)
async def choose_enforcement(
    case_id: UUID, asked: EnforcementAsked, service: Service, officer: SeniorOfficer
) -> dict[str, Any]:
    """Record the enforcement step a senior officer chose for the case and issue its letters; 422 with the
    reason where the law does not allow it (no order or judgment, not an individual, under the threshold, agents
    not yet failed; a direct earnings attachment on anything but a housing benefit overpayment, or while it is
    recovered from benefit or under an arrangement being kept) or the request lacks what its letters need."""
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        stores = handling.stores
        case = await load_case(stores.cases, service.policies, case_id)
        if case is None:
            raise HTTPException(404, f"no recovery case {case_id}")
        if case.row.status != "open":
            raise HTTPException(422, f"case {case_id} is {case.row.status}")
        council = case.policy.council if case.policy is not None else service.council
        debt, reference = ordered_debt(
            case,
            asked.county_court_judgment_reference,
            employer_known=asked.employer is not None,
            council_in_wales=letterhead_for(council).nation == "wales",
        )
        if asked.enforcement is E.DIRECT_EARNINGS_ATTACHMENT:
            reference = "direct earnings attachment (no court order needed)"
        if (refusal := may_enforce(asked.enforcement, debt)) is not None:
            raise HTTPException(422, f"{asked.enforcement.value} refused: {refusal}")
        if (lacking := what_the_letters_lack(asked, debt.debt_type)) is not None:
            raise HTTPException(422, lacking)
        order = granted_order(case.court_results)
        debtor = (await stores.customers.debtors_of_cases([case_id])).get(case_id, Debtor())
        letters = enforcement_letters(
            EnforcementFacts(
                council=council,
                step=asked.enforcement,
                debt_type=case.row.debt_type,
                debtor_name=debtor.name,
                debtor_is_individual=case.row.debtor_is_individual,
                large_print=debtor.large_print,
                reference=case.row.external_reference or str(case.debt_id),
                financial_year=case.row.financial_year,
                originating_service=case.row.originating_service,
                amount_owed=case.row.balance_pence,
                issued_on=today,
                order_reference=reference,
                order_date=order.heard_on if order is not None else None,
                employer=_recipient(asked.employer),
                benefits_office=_recipient(asked.benefits_office),
                benefit=asked.benefit,
                national_insurance_number=asked.national_insurance_number,
                means_inquiry=_means_inquiry(council, asked.means_inquiry_hearing, today),
                higher_rates=asked.found_guilty_of_an_offence,
            )
        )
        enforcement_id = uuid4()  # the choice, as the step its letters were issued for
        summary = f"{asked.enforcement.value} chosen by {officer.recorded_as} on {reference}"
        entries = [
            CaseEntry(
                case_id, today, ENFORCEMENT_CHOSEN, summary + (f": {asked.notes}" if asked.notes else "")
            )
        ]
        notices, records, messages = [], [], []
        issued_letters: list[dict[str, Any]] = []
        for letter, issued in letters:
            notice_id = uuid4()
            to_debtor = letter.to is Addressee.DEBTOR
            large = to_debtor and debtor.large_print
            name = letter.template.removesuffix(".txt.j2")
            records.append(letter_record(issued, notice_id, case_id, today))
            notices.append(
                NoticeRecord(
                    notice_id,
                    case_id,
                    enforcement_id,
                    asked.enforcement.value,
                    today,
                    case.row.balance_pence,
                    large,
                    issued.text,
                )
            )
            to = "the debtor" if to_debtor else str(issued.facts["debtor_name"])
            entries.append(
                CaseEntry(
                    case_id,
                    today,
                    "notice",
                    f"{name.replace('_', ' ')} letter issued to {to} for {format_pounds(case.row.balance_pence)}",
                )
            )
            if to_debtor:  # the debtor's notice goes out like every other; the employer's or DWP's does not
                messages.append(
                    NoticeIssued(
                        notice_id=notice_id,
                        case_id=case_id,
                        debt_id=case.debt_id,
                        customer_ids=case.customer_ids,
                        step_name=asked.enforcement.value,
                        issued_on=today,
                        amount_pence=case.row.balance_pence,
                        large_print=large,
                        letter_text=issued.text,
                    )
                )
            issued_letters.append(
                {
                    "notice_id": notice_id,
                    "letter": name,
                    "addressee": letter.to.value,
                    "pdf": f"/cases/{case_id}/letters/{notice_id}.pdf",
                }
            )
        await stores.steps.add_notices(notices)
        await stores.letters.add_letters(records)
        await stores.record.append(entries)
        await handling.outbox.add(
            EnforcementChosen(
                case_id=case_id,
                debt_id=case.debt_id,
                enforcement=asked.enforcement.value,
                order_reference=reference,
                balance_pence=case.row.balance_pence,
                chosen_by=officer.recorded_as,
                chosen_on=today,
                notes=asked.notes,
                notice_ids=[item["notice_id"] for item in issued_letters],
                employer_name=asked.employer.name if asked.employer is not None else None,
                higher_rates=asked.found_guilty_of_an_offence,
            )
        )
        await handling.outbox.add_all(messages)
    return {
        "case_id": case_id,
        "enforcement": asked.enforcement.value,
        "order_reference": reference,
        "letters": issued_letters,
    }
