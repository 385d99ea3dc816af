"""The single view sets each of billing's debts beside its recovery case, and tells the officer at once when a
breathing space holds the customer."""

from __future__ import annotations

from services.workbench.domain.single_view import single_view
from tests.unit.workbench.samples import (
    CASE_ELSEWHERE,
    CASE_TAX,
    DEBT_SUNDRY,
    DEBT_TAX,
    billing_customer,
    hold,
    recovery_case,
    recovery_customer,
)


def test_each_debt_is_joined_to_its_case_and_a_debt_without_one_stands_alone():
    view = single_view(billing_customer(), recovery_customer(recovery_case(CASE_TAX, DEBT_TAX, [])))
    by_debt = {d.debt["debt_id"]: d for d in view.debts}
    assert by_debt[DEBT_TAX].case_id == CASE_TAX
    assert by_debt[DEBT_TAX].next_step == ("final_notice", "2026-12-10")
    assert by_debt[DEBT_SUNDRY].case is None
    assert view.owed_pence == 124_550
    assert view.open_case_ids == [CASE_TAX]


def test_a_case_whose_debt_billing_did_not_list_is_still_shown():
    view = single_view(
        billing_customer(), recovery_customer(recovery_case(CASE_ELSEWHERE, "another-debt", []))
    )
    assert [c["case"]["case_id"] for c in view.other_cases] == [CASE_ELSEWHERE]
    assert CASE_ELSEWHERE in view.open_case_ids


def test_only_holds_not_lifted_are_in_force_and_a_breathing_space_is_named_once():
    holds = [
        hold("dispute", lifted_on="2026-11-15"),
        hold("breathing_space", reference="BS-100"),
        hold("vulnerability"),
    ]
    view = single_view(billing_customer(), recovery_customer(recovery_case(CASE_TAX, DEBT_TAX, holds)))
    tax = next(d for d in view.debts if d.case)
    assert [h["kind"] for h in tax.holds] == ["breathing_space", "vulnerability"]
    assert tax.in_breathing_space
    assert [h["reference"] for h in view.breathing_space_holds] == ["BS-100"]


def test_without_recovery_the_debts_still_show():
    view = single_view(billing_customer(), None)
    assert [d.case for d in view.debts] == [None, None]
    assert view.contacts == []
