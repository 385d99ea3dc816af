"""The regulations' search: every debt the person owes across all types, joint debts included, and the
ones beyond those notified to report back."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.breathing_space.domain.debt_search import DebtProjection, search_every_debt
from services.breathing_space.domain.notifications import parse_notification, render_notification
from services.breathing_space.domain.report_back import debts_reported_back

from .notification_documents import notification

NOTIFIED = notification("new_standard_breathing_space", "N1", start_date=date(2025, 3, 1))

COUNCIL_TAX = DebtProjection("CT-40012345", "council_tax", frozenset({"C-1"}), 84217)
SUNDRY = DebtProjection("INV-118803", "sundry", frozenset({"C-1"}), 12500)
JOINT_RENT = DebtProjection("RENT-77", "council_housing_rent", frozenset({"C-1", "C-7"}), 40000)
PAID_OFF = DebtProjection("INV-000001", "sundry", frozenset({"C-1"}), 0)
SOMEONE_ELSE = DebtProjection("CT-999", "council_tax", frozenset({"C-7"}), 5000)
ALL = [COUNCIL_TAX, SUNDRY, JOINT_RENT, PAID_OFF, SOMEONE_ELSE]


def test_the_search_finds_every_debt_owed_across_types_including_joint_debts() -> None:
    result = search_every_debt(["C-1"], ALL, NOTIFIED.debts)
    assert {d.debt_reference for d in result.owed} == {"CT-40012345", "INV-118803", "RENT-77"}
    assert result.joint_debts == (JOINT_RENT,)
    assert result.notified_and_found == (COUNCIL_TAX,)
    assert {d.debt_reference for d in result.found_beyond_notified} == {"INV-118803", "RENT-77"}
    assert result.notified_but_not_found == ()


def test_a_notified_reference_the_council_uses_in_another_form_is_recognised() -> None:
    aliased = DebtProjection("D-1", "council_tax", frozenset({"C-1"}), 100, frozenset({"ct 4001-2345"}))
    result = search_every_debt(["C-1"], [aliased], NOTIFIED.debts)
    assert result.notified_and_found == (aliased,)
    assert result.found_beyond_notified == ()


def test_a_notified_debt_is_held_even_when_nobody_was_matched() -> None:
    result = search_every_debt([], ALL, NOTIFIED.debts)
    assert result.owed == (COUNCIL_TAX,)
    assert result.found_beyond_notified == ()


def test_a_notified_debt_the_council_does_not_know_is_flagged() -> None:
    result = search_every_debt(["C-1"], [SUNDRY], NOTIFIED.debts)
    assert result.notified_but_not_found == ("CT-40012345",)


def test_debts_found_beyond_those_notified_are_reported_back_in_the_same_format() -> None:
    result = search_every_debt(["C-1"], ALL, NOTIFIED.debts)
    report = debts_reported_back(
        moratorium_reference=NOTIFIED.moratorium_reference,
        notification_reference="DCC-1",
        issued_at=datetime(2025, 3, 2, 12, tzinfo=UTC),
        reported_on=date(2025, 3, 2),
        debtor=NOTIFIED.debtor,
        creditor_name="Derby City Council",
        found=result.found_beyond_notified,
    )
    assert report is not None
    parsed = parse_notification(render_notification(report))
    assert parsed.notification == report
    assert {(d.creditor_reference, d.amount_pence) for d in report.debts} == {
        ("INV-118803", 12500),
        ("RENT-77", 40000),
    }


def test_nothing_is_reported_back_when_the_search_finds_nothing_more() -> None:
    assert (
        debts_reported_back(
            moratorium_reference="BS-1",
            notification_reference="DCC-2",
            issued_at=datetime(2025, 3, 2, tzinfo=UTC),
            reported_on=date(2025, 3, 2),
            debtor=NOTIFIED.debtor,
            creditor_name="Derby City Council",
            found=[],
        )
        is None
    )
