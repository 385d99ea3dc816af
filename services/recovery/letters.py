"""The letter for a step: the council's template, filled in for the case, in standard or large print, with what
the law and the recipient call for (rights per debt type, advice for a person or a business, where to pay once an
agent holds the debt, the court and hearing of a summons).

`letter_for_step` gives the letter's text (published and kept with the notice) and its facts: every value the
template used, already written as on a letter, from which `letter_pdf` renders the PDF that is posted. Facts that
recovery adds later (instalments due, a court session, costs) are passed as keyword arguments and rendered where
a template shows them: dates become letter dates (and keep an `_iso` twin), `*_pence` integers gain a pounds twin
without the suffix, dataclasses and pydantic models become mappings, and a `court_session` is laid out as
`court_name`, `court_address`, `hearing_on` and `hearing_time`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from services.recovery.council_contacts import contact_for
from services.recovery.domain.notices import (
    letter_date,
    letter_templates,
    notice_context_for_step,
    render_notice,
)
from services.recovery.domain.policy import RecoveryPolicy, RecoveryStep, StepKind
from services.recovery.letter_content import BUSINESS, INDIVIDUAL, advice_for, pay_to_for, rights_for
from services.recovery.letterheads import letterhead_for
from services.recovery.stores.letters import LetterRecord
from shared.money import Pence, format_pounds

__all__ = [
    "BUSINESS",
    "INDIVIDUAL",
    "IssuedLetter",
    "has_letter",
    "letter_for_step",
    "letter_record",
    "step_letter",
]

TEMPLATES = letter_templates()
INCLUDES = {name: body for name, body in TEMPLATES.items() if name.startswith("_")}

_DESCRIPTIONS = {
    "council_tax": "your council tax for {year}",
    "business_rates": "your business rates for {year}",
    "sundry": "your invoice {reference}",
    "housing_benefit_overpayment": "the housing benefit overpaid to you ({reference})",
    "adult_social_care": "your adult social care charges ({reference})",
    "council_housing_rent": "your rent account ({reference})",
    "temporary_accommodation": "your temporary accommodation charges ({reference})",
    "commercial_property_rent": "your rent for council property ({reference})",
    "penalty_charge_notice": "your penalty charge notice {reference}",
    "legal_costs": "the legal costs awarded to the council ({reference})",
    "staff_and_member_debt": "the amount overpaid to you ({reference})",
}
# What a court session may be called by whoever passes it in, and what the summons template names it.
_COURT_SESSION_NAMES = {
    "court_name": "court_name",
    "court": "court_name",
    "name": "court_name",
    "court_address": "court_address",
    "address": "court_address",
    "hearing_on": "hearing_on",
    "heard_on": "hearing_on",
    "hearing_date": "hearing_on",
    "sits_on": "hearing_on",
    "hearing_time": "hearing_time",
    "starts_at": "hearing_time",
    "time": "hearing_time",
}


@dataclass(frozen=True)
class IssuedLetter:
    """One letter as issued: its template, its text, and the facts its PDF is rendered from (JSON-able)."""

    template: str
    text: str
    facts: dict[str, Any]

    @property
    def recipient_kind(self) -> str:
        """individual or business."""
        return str(self.facts["recipient_kind"])

    @property
    def print_variant(self) -> str:
        """standard or large_print."""
        return "large_print" if self.facts["large_print"] else "standard"


def has_letter(step: RecoveryStep) -> bool:
    """True when the step writes to the debtor and the council has a template for it."""
    return step.contact and step.letter_template in TEMPLATES


def debt_description(debt_type: str, financial_year: str, reference: str) -> str:
    """How a letter names the debt, in plain English."""
    pattern = _DESCRIPTIONS.get(debt_type, "your account {reference}")
    return pattern.format(year=financial_year or "this year", reference=reference)


def _as_value(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    elif hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, Mapping):
        return _letter_values(value)
    if isinstance(value, list | tuple):
        return [_as_value(v) for v in value]
    if isinstance(value, datetime):
        return f"{letter_date(value.date())} at {_clock(value.time())}"
    if isinstance(value, date):
        return letter_date(value)
    if isinstance(value, time):
        return _clock(value)
    return value


def _clock(at: time) -> str:
    # "10am", "2:30pm": as a court's listing is read out.
    hour = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    return f"{hour}{suffix}" if at.minute == 0 else f"{hour}:{at.minute:02d}{suffix}"


def _letter_values(facts: Mapping[str, object]) -> dict[str, object]:
    """Facts as a letter writes them (see the module docstring)."""
    values: dict[str, object] = {}
    for key, value in facts.items():
        if value is None:
            continue
        if key.endswith("_pence") and isinstance(value, int):
            values[key] = value
            values[key.removesuffix("_pence")] = format_pounds(Pence(value))
            continue
        if isinstance(value, date):
            values[f"{key}_iso"] = value.isoformat()
        values[key] = _as_value(value)
    session = values.pop("court_session", None)
    if isinstance(session, Mapping):
        for name, value in session.items():
            if name in _COURT_SESSION_NAMES and value:
                values.setdefault(_COURT_SESSION_NAMES[name], value)
                if f"{name}_iso" in session:  # the hearing's date as a date, for the Welsh letter to write
                    values.setdefault(f"{_COURT_SESSION_NAMES[name]}_iso", session[f"{name}_iso"])
    return values


def letter_for_step(
    policy: RecoveryPolicy,
    step: RecoveryStep,
    *,
    debtor_name: str,
    reference: str,
    debt_type: str,
    financial_year: str,
    amount_owed: Pence,
    issued_on: date,
    due_date: date,
    advice_referral: bool,
    large_print: bool,
    recipient_kind: str = INDIVIDUAL,
    originating_service: str = "",
    **more_facts: object,
) -> IssuedLetter:
    """The letter for `step` as the customer will receive it: its text and the facts its PDF shows."""
    head = letterhead_for(policy.council)
    context = notice_context_for_step(
        policy,
        step,
        contact_for(policy.council),
        debtor_name=debtor_name,
        reference=reference,
        debt_description=debt_description(debt_type, financial_year, reference),
        amount_owed=amount_owed,
        issued_on=issued_on,
        due_date=due_date,
        appeal_rights="",
        advice_referral=advice_referral,
    )
    kind = recipient_kind if recipient_kind in (INDIVIDUAL, BUSINESS) else INDIVIDUAL
    extra: dict[str, object] = {
        **context.extra,
        "appeal_rights": rights_for(debt_type, head, kind, originating_service),
        "advice": advice_for(kind, head),
        "recipient_kind": kind,
        "debt_type": debt_type,
        "originating_service": originating_service,
        "financial_year": financial_year,
        "issued_on_iso": issued_on.isoformat(),
        "pay_by_iso": context.pay_by.isoformat(),
        "next_step_from_iso": context.next_step_from.isoformat() if context.next_step_from else "",
        "amount_pence": amount_owed,
    }
    pay_to = pay_to_for(step.kind)
    if pay_to is not None:
        extra["pay_to"] = pay_to
    if step.kind is StepKind.SUMMONS and head.magistrates_court is not None:
        extra["court_name"] = head.magistrates_court.name
        extra["court_address"] = head.magistrates_court.address
    extra.update(_letter_values(more_facts))
    context = replace(context, extra=extra)
    text = render_notice(TEMPLATES[step.letter_template], context, large_print=large_print, includes=INCLUDES)
    facts = {
        **context.template_values(large_print),
        "template": step.letter_template,
        "council": policy.council,
        "step_name": step.name,
    }
    return IssuedLetter(template=step.letter_template, text=text, facts=facts)


def step_letter(policy: RecoveryPolicy, step: RecoveryStep, **facts: Any) -> str:
    """The letter's text only (see `letter_for_step` for its arguments)."""
    return letter_for_step(policy, step, **facts).text


def letter_record(issued: IssuedLetter, notice_id: UUID, case_id: UUID, issued_on: date) -> LetterRecord:
    """The letter as kept with the case, for its PDF to be rendered from."""
    return LetterRecord(
        notice_id=notice_id,
        case_id=case_id,
        council=str(issued.facts["council"]),
        issued_on=issued_on,
        template=issued.template,
        debt_type=str(issued.facts["debt_type"]),
        recipient_kind=issued.recipient_kind,
        print_variant=issued.print_variant,
        language="+".join(letterhead_for(str(issued.facts["council"])).languages),
        amount_pence=int(issued.facts["amount_pence"]),
        facts=issued.facts,
    )
