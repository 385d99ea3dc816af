"""The letter for a step: the council's template, filled in for the case, in standard or large print."""

from __future__ import annotations

from datetime import date

from services.recovery.council_contacts import APPEAL_RIGHTS, contact_for
from services.recovery.domain.notices import letter_templates, notice_context_for_step, render_notice
from services.recovery.domain.policy import RecoveryPolicy, RecoveryStep
from shared.money import Pence

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


def has_letter(step: RecoveryStep) -> bool:
    """True when the step writes to the debtor and the council has a template for it."""
    return step.contact and step.letter_template in TEMPLATES


def debt_description(debt_type: str, financial_year: str, reference: str) -> str:
    """How a letter names the debt, in plain English."""
    pattern = _DESCRIPTIONS.get(debt_type, "your account {reference}")
    return pattern.format(year=financial_year or "this year", reference=reference)


def step_letter(
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
) -> str:
    """The letter for `step` as the customer will receive it."""
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
        appeal_rights=APPEAL_RIGHTS,
        advice_referral=advice_referral,
    )
    return render_notice(TEMPLATES[step.letter_template], context, large_print=large_print, includes=INCLUDES)
