"""Balances per debt and per customer from postings, and the aged-debt report by type and service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.billing.domain.aged_debt import AgeBand, AgedDebtItem, age_band, aged_debt_report
from services.billing.domain.balances import (
    DebtPosting,
    DebtSummary,
    PostingKind,
    customer_balance,
    debt_balance,
)
from services.billing.domain.debt_types import DebtType
from services.billing.domain.financial_year import FinancialYear


def test_a_debt_balance_adds_charges_and_takes_off_payments_credits_and_write_offs() -> None:
    postings = [
        DebtPosting("inv", PostingKind.CHARGE, 50_000),
        DebtPosting("inv", PostingKind.INTEREST, 300),
        DebtPosting("inv", PostingKind.LATE_FEE, 4_000),
        DebtPosting("inv", PostingKind.PAYMENT, 10_000),
        DebtPosting("inv", PostingKind.CREDIT_NOTE, 5_000),
        DebtPosting("inv", PostingKind.CHARGE_REVERSAL, 4_000),
        DebtPosting("other", PostingKind.CHARGE, 99_999),
    ]
    balance = debt_balance("inv", postings)
    assert balance.outstanding_pence == 50_000 + 300 + 4_000 - 10_000 - 5_000 - 4_000
    assert balance.total(PostingKind.PAYMENT) == 10_000
    assert not balance.settled


def test_write_off_then_reinstatement_then_payment_settles_the_debt() -> None:
    postings = [
        DebtPosting("inv", PostingKind.CHARGE, 20_000),
        DebtPosting("inv", PostingKind.WRITE_OFF, 20_000),
    ]
    assert debt_balance("inv", postings).settled
    postings += [
        DebtPosting("inv", PostingKind.WRITE_OFF_REVERSAL, 20_000),
        DebtPosting("inv", PostingKind.PAYMENT, 5_000),
    ]
    assert debt_balance("inv", postings).outstanding_pence == 15_000


def test_an_overpaid_debt_is_in_credit_until_the_credit_is_offset_or_refunded() -> None:
    postings = [DebtPosting("inv", PostingKind.CHARGE, 1_000), DebtPosting("inv", PostingKind.PAYMENT, 1_500)]
    assert debt_balance("inv", postings).in_credit
    postings.append(DebtPosting("inv", PostingKind.OFFSET_OUT, 500))
    assert debt_balance("inv", postings).settled


def test_negative_posting_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        debt_balance("inv", [DebtPosting("inv", PostingKind.PAYMENT, -1)])


def test_the_single_view_of_debt_totals_what_a_customer_owes_by_type_and_any_credit() -> None:
    def summary(debt_id: str, debt_type: DebtType, *postings: tuple[PostingKind, int]) -> DebtSummary:
        balance = debt_balance(debt_id, [DebtPosting(debt_id, kind, amount) for kind, amount in postings])
        return DebtSummary(debt_id, debt_type, FinancialYear(2024), "revenues", balance)

    view = customer_balance(
        "cust-1",
        [
            summary("ct-1", DebtType.COUNCIL_TAX, (PostingKind.CHARGE, 10_000)),
            summary("ct-2", DebtType.COUNCIL_TAX, (PostingKind.CHARGE, 5_000), (PostingKind.PAYMENT, 1_000)),
            summary(
                "pcn",
                DebtType.PENALTY_CHARGE_NOTICE,
                (PostingKind.CHARGE, 7_000),
                (PostingKind.PAYMENT, 7_500),
            ),
        ],
    )
    assert view.owed_pence == 14_000
    assert view.credit_pence == 500
    assert view.net_pence == 13_500
    assert view.by_debt_type == {DebtType.COUNCIL_TAX: 14_000}


def test_age_bands_count_days_past_the_due_date() -> None:
    due = date(2024, 1, 1)
    expected = {
        -1: AgeBand.NOT_YET_DUE,
        0: AgeBand.DAYS_0_30,
        30: AgeBand.DAYS_0_30,
        31: AgeBand.DAYS_31_60,
        60: AgeBand.DAYS_31_60,
        61: AgeBand.DAYS_61_90,
        90: AgeBand.DAYS_61_90,
        91: AgeBand.DAYS_91_120,
        120: AgeBand.DAYS_91_120,
        121: AgeBand.OVER_120,
    }
    for days, band in expected.items():
        assert age_band(due, due + timedelta(days=days)) is band, days


def test_the_aged_debt_report_groups_by_debt_type_and_originating_service() -> None:
    as_of = date(2024, 9, 30)
    items = [
        AgedDebtItem(DebtType.SUNDRY, "leisure", as_of - timedelta(days=10), 1_000),
        AgedDebtItem(DebtType.SUNDRY, "leisure", as_of - timedelta(days=100), 2_000),
        AgedDebtItem(DebtType.SUNDRY, "leisure", as_of - timedelta(days=200), 3_000),
        AgedDebtItem(DebtType.SUNDRY, "waste", as_of - timedelta(days=45), 4_000),
        AgedDebtItem(DebtType.COUNCIL_TAX, "revenues", as_of + timedelta(days=5), 5_000),
        AgedDebtItem(DebtType.COUNCIL_TAX, "revenues", as_of - timedelta(days=70), 6_000),
        AgedDebtItem(DebtType.SUNDRY, "waste", as_of - timedelta(days=300), 0),  # paid: left out
    ]
    report = aged_debt_report(items, as_of)

    keys = [(r.debt_type, r.originating_service) for r in report.rows]
    assert keys == [
        (DebtType.COUNCIL_TAX, "revenues"),
        (DebtType.SUNDRY, "leisure"),
        (DebtType.SUNDRY, "waste"),
    ]
    leisure = report.rows[1]
    assert leisure.bands[AgeBand.DAYS_0_30] == 1_000
    assert leisure.bands[AgeBand.DAYS_91_120] == 2_000
    assert leisure.bands[AgeBand.OVER_120] == 3_000
    assert leisure.over_90_pence == 5_000
    assert report.rows[0].bands[AgeBand.NOT_YET_DUE] == 5_000
    assert report.rows[0].bands[AgeBand.DAYS_61_90] == 6_000
    assert report.rows[2].total_pence == 4_000
    assert sum(report.totals.values()) == 21_000
