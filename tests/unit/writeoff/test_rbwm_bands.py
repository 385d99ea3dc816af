"""RBWM section 12: write-offs go to the Section 151 Officer or to Cabinet "depending on the level" (the limit
itself is in the Financial Regulations; £50,000 is assumed in bands/rbwm.yaml until the council says)."""

from __future__ import annotations

from services.writeoff.domain import RefusalCode, schedule_hash, sign_schedule
from shared.money import pounds_to_pence

from .write_off_lines import SIGNED_AT, a_line, a_schedule, an_approver, council_policy

RBWM = council_policy("rbwm")
S151 = an_approver("s151", "section_151_officer")


def _sign(schedule):
    return sign_schedule(schedule, RBWM, S151, schedule_hash(schedule), SIGNED_AT, (), True)


def test_the_section_151_officer_signs_up_to_the_limit_for_every_debt_type() -> None:
    for debt_type in ("council_tax", "sundry", "housing_benefit_overpayment"):
        assert RBWM.required_band(pounds_to_pence("50000"), debt_type).name == "section_151_officer"
    schedule = a_schedule(a_line(1, "30000", council="rbwm"), a_line(2, "20000", council="rbwm"))
    assert _sign(schedule).accepted


def test_above_the_limit_cabinet_decides() -> None:
    schedule = a_schedule(a_line(1, "30000", council="rbwm"), a_line(2, "20000.01", council="rbwm"))
    outcome = _sign(schedule)
    assert not outcome.accepted
    assert {r.code for r in outcome.refusals} == {RefusalCode.COMMITTEE_DECISION_REQUIRED}


def test_rbwm_accepts_the_section_12_reasons_and_no_others() -> None:
    assert set(RBWM.reasons.codes) == {
        "remitted_by_court",
        "absconded_untraceable",
        "uneconomic_small_balance",
        "deceased_no_estate",
        "formal_insolvency",
        "uneconomic_cost_of_proceedings",
        "severe_illness",
        "statute_barred",
        "other",
    }
