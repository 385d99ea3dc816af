"""A write-off request must give a known reason with evidence, for a positive amount within the balance, on a
debt that is not on hold, in breathing space or with an enforcement agent."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from services.writeoff.domain import DebtStanding, RefusalCode, validate_request

from .write_off_lines import a_line, council_policy

DERBY_REASONS = council_policy("derby").reasons
CLEAR = DebtStanding(balance_pence=50_000)


def _codes(request, standing=CLEAR, reasons=DERBY_REASONS) -> list[RefusalCode]:
    return [refusal.code for refusal in validate_request(request, standing, reasons)]


def test_a_complete_request_on_a_clear_debt_is_accepted() -> None:
    assert _codes(a_line(1, 50_000)) == []


def test_a_reason_the_council_does_not_list_is_refused() -> None:
    assert _codes(a_line(1, 100, reason="because")) == [RefusalCode.REASON_UNKNOWN]


def test_a_reason_the_council_does_not_list_is_refused_even_if_another_council_lists_it() -> None:
    # NELC accepts "no proof of debt" (5.10); Derby's list does not.
    assert _codes(a_line(1, 100, reason="no_proof_of_debt")) == [RefusalCode.REASON_UNKNOWN]


def test_an_unrecoverable_benefit_overpayment_reason_only_fits_benefit_overpayments() -> None:
    assert _codes(a_line(1, 100, reason="unrecoverable_hb_overpayment", debt_type="council_tax")) == [
        RefusalCode.REASON_NOT_FOR_DEBT_TYPE
    ]
    line = a_line(1, 100, reason="unrecoverable_hb_overpayment", debt_type="housing_benefit_overpayment")
    assert _codes(line) == []


def test_an_other_reason_needs_a_written_report() -> None:
    assert _codes(a_line(1, 100, reason="other")) == [RefusalCode.WRITTEN_REPORT_REQUIRED]
    assert _codes(a_line(1, 100, reason="other", written_report="   ")) == [
        RefusalCode.WRITTEN_REPORT_REQUIRED
    ]
    assert _codes(a_line(1, 100, reason="other", written_report="Full report, panel of 2 May")) == []


def test_a_request_without_evidence_is_refused() -> None:
    assert _codes(dataclasses.replace(a_line(1, 100), evidence=())) == [RefusalCode.EVIDENCE_MISSING]


def test_a_request_that_does_not_say_who_asked_is_refused() -> None:
    assert _codes(a_line(1, 100, requested_by=" ")) == [RefusalCode.REQUESTER_MISSING]


def test_nothing_or_less_than_nothing_cannot_be_written_off() -> None:
    assert _codes(a_line(1, 0)) == [RefusalCode.AMOUNT_NOT_POSITIVE]
    assert _codes(a_line(1, -500)) == [RefusalCode.AMOUNT_NOT_POSITIVE]


def test_more_than_the_balance_cannot_be_written_off() -> None:
    refusals = validate_request(a_line(1, 50_001), CLEAR, DERBY_REASONS)
    assert [r.code for r in refusals] == [RefusalCode.AMOUNT_EXCEEDS_BALANCE]
    assert "£500.01" in refusals[0].message and "£500.00" in refusals[0].message


def test_a_debt_on_hold_in_breathing_space_and_with_an_agent_is_refused_for_each() -> None:
    standing = DebtStanding(
        balance_pence=50_000,
        on_hold=True,
        hold_reason="dispute",
        in_breathing_space=True,
        open_agent_placement=True,
    )
    refusals = validate_request(a_line(1, 100), standing, DERBY_REASONS)
    assert [r.code for r in refusals] == [
        RefusalCode.DEBT_ON_HOLD,
        RefusalCode.DEBT_IN_BREATHING_SPACE,
        RefusalCode.OPEN_AGENT_PLACEMENT,
    ]
    assert "dispute" in refusals[0].message
    assert all(r.request_id == "WO-00001" for r in refusals)


@given(st.integers(min_value=-10_000, max_value=200_000), st.integers(min_value=0, max_value=200_000))
def test_an_amount_is_accepted_exactly_when_positive_and_within_the_balance(
    amount: int, balance: int
) -> None:
    codes = _codes(a_line(1, amount), DebtStanding(balance_pence=balance))
    assert (codes == []) == (0 < amount <= balance)


def test_every_reason_recovery_can_give_is_one_the_default_catalogue_knows() -> None:
    from services.recovery.domain.escalation import WriteOffReason as RecoveryReason
    from services.writeoff.domain import canonical_reason_code, default_reason_catalogue

    catalogue = default_reason_catalogue()
    unknown = [r.value for r in RecoveryReason if catalogue.get(canonical_reason_code(r.value)) is None]
    assert unknown == []
    assert canonical_reason_code("insolvency") == "formal_insolvency"
