"""The collection KPIs (RBWM report 5.1, DOMAIN.md 10) worked by hand on a small set of debts and payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.billing.domain.balances import PostingKind as K
from services.billing.domain.financial_year import FinancialYear
from services.billing.management_information.kpis import (
    ArrangementSpan,
    CollectionRate,
    DebtForKpis,
    Posted,
    collection_kpis,
    hb_overpayments_not_under_arrangement,
    in_year_collection,
    sundry_older_than_three_months,
)
from services.billing.management_information.periods import months_of, three_months_before
from shared.debt_types import DebtType

Y2026 = FinancialYear(2026)
END_OF_MAY = date(2026, 5, 31)


def debt(debt_type, postings, *, year=Y2026, due=date(2026, 4, 1), arrangements=()):
    return DebtForKpis(
        debt_type, year, due, tuple(Posted(k, p, d) for k, p, d in postings), tuple(arrangements)
    )


def monthly_payments(pence, first_month, count):
    months = [(2026 + (m < 4), m) for m in (*range(4, 13), 1, 2, 3)]
    start = months.index((2026 + (first_month < 4), first_month))
    return [(K.PAYMENT, pence, date(y, m, 1)) for y, m in months[start : start + count]]


COUNCIL_TAX_BILLS = [
    # A: £1,200.00 in ten instalments of £120.00, paid on the 1st of each month April to December: nine of ten
    debt(DebtType.COUNCIL_TAX, [(K.CHARGE, 1_200_00, date(2026, 3, 10)), *monthly_payments(120_00, 4, 9)]),
    # B: £600.00 less a £60.00 single person discount (credit note, 20 April), paid in full on 2 April
    debt(
        DebtType.COUNCIL_TAX,
        [
            (K.CHARGE, 600_00, date(2026, 3, 10)),
            (K.PAYMENT, 540_00, date(2026, 4, 2)),
            (K.CREDIT_NOTE, 60_00, date(2026, 4, 20)),
        ],
    ),
    # C: £900.00, then £80.00 summons costs; £980.00 paid on 20 May: £80.00 of it paid costs, not debit
    debt(
        DebtType.COUNCIL_TAX,
        [
            (K.CHARGE, 900_00, date(2026, 3, 10)),
            (K.COSTS, 80_00, date(2026, 5, 15)),
            (K.PAYMENT, 980_00, date(2026, 5, 20)),
        ],
    ),
    # D: last year's bill paid this April: not this year's collection
    debt(
        DebtType.COUNCIL_TAX,
        [(K.CHARGE, 300_00, date(2025, 3, 10)), (K.PAYMENT, 300_00, date(2026, 4, 10))],
        year=FinancialYear(2025),
    ),
    # E: £500.00 raised on 1 April and cancelled on 15 April: no debit
    debt(
        DebtType.COUNCIL_TAX,
        [(K.CHARGE, 500_00, date(2026, 4, 1)), (K.CANCELLATION, 500_00, date(2026, 4, 15))],
    ),
]


def test_the_in_year_council_tax_collection_rate_to_the_end_of_may():
    """Net collectable debit at 31 May: A 1,200.00 + B (600.00 - 60.00) 540.00 + C 900.00 + E 0 = 2,640.00
    (D is 2025/26's). Collected by then: A two instalments 240.00 + B 540.00 + C 900.00 (not the 80.00 costs)
    = 1,680.00. Rate 1,680 / 2,640 = 63.6363...% -> 63.64%."""
    rate = in_year_collection(COUNCIL_TAX_BILLS, DebtType.COUNCIL_TAX, Y2026, END_OF_MAY)
    assert rate == CollectionRate(collected_pence=1_680_00, net_collectable_debit_pence=2_640_00)
    assert rate.rate_percent == Decimal("63.64")


def test_the_in_year_council_tax_collection_rate_for_the_year():
    """By 31 March 2027 A paid nine of ten instalments (1,080.00): collected 1,080 + 540 + 900 = 2,520.00
    of 2,640.00 = 95.4545...% -> 95.45%."""
    rate = in_year_collection(COUNCIL_TAX_BILLS, DebtType.COUNCIL_TAX, Y2026, Y2026.ends)
    assert (rate.collected_pence, rate.net_collectable_debit_pence) == (2_520_00, 2_640_00)
    assert rate.rate_percent == Decimal("95.45")


def test_the_business_rates_collection_rate_counts_refunded_overpayments_out():
    """F: 5,000.00, two payments of 500.00 (15 April, 15 May). G: 2,500.00, 3,000.00 paid 10 May and 500.00
    refunded 25 May, so 2,500.00 received. At 31 May: 1,000 + 2,500 = 3,500.00 of 7,500.00 = 46.666...% ->
    46.67%. Had G's refund not been made by then, G would still count only its 2,500.00 debit."""
    bills = [
        debt(
            DebtType.BUSINESS_RATES,
            [
                (K.CHARGE, 5_000_00, date(2026, 3, 20)),
                (K.PAYMENT, 500_00, date(2026, 4, 15)),
                (K.PAYMENT, 500_00, date(2026, 5, 15)),
            ],
        ),
        debt(
            DebtType.BUSINESS_RATES,
            [
                (K.CHARGE, 2_500_00, date(2026, 3, 20)),
                (K.PAYMENT, 3_000_00, date(2026, 5, 10)),
                (K.REFUND, 500_00, date(2026, 5, 25)),
            ],
        ),
    ]
    rate = in_year_collection(bills, DebtType.BUSINESS_RATES, Y2026, END_OF_MAY)
    assert (rate.collected_pence, rate.net_collectable_debit_pence) == (3_500_00, 7_500_00)
    assert rate.rate_percent == Decimal("46.67")
    before_refund = in_year_collection(bills, DebtType.BUSINESS_RATES, Y2026, date(2026, 5, 20))
    assert before_refund.collected_pence == 1_000_00 + 2_500_00


def test_no_debit_gives_no_rate_rather_than_a_division_by_nothing():
    assert CollectionRate(0, 0).rate_percent is None


HB_OVERPAYMENTS = [
    # H1: 800.00 less 200.00 paid; arrangement made 1 April, kept: under arrangement
    debt(
        DebtType.HOUSING_BENEFIT_OVERPAYMENT,
        [(K.CHARGE, 800_00, date(2026, 1, 10)), (K.PAYMENT, 200_00, date(2026, 3, 1))],
        arrangements=[ArrangementSpan(date(2026, 4, 1))],
    ),
    # H2: 450.00; arrangement made 1 March, defaulted 10 May: not under arrangement at the end of May
    debt(
        DebtType.HOUSING_BENEFIT_OVERPAYMENT,
        [(K.CHARGE, 450_00, date(2026, 2, 1))],
        arrangements=[ArrangementSpan(date(2026, 3, 1), date(2026, 5, 10))],
    ),
    # H3: 300.00 raised 1 May; arrangement only made on 5 June
    debt(
        DebtType.HOUSING_BENEFIT_OVERPAYMENT,
        [(K.CHARGE, 300_00, date(2026, 5, 1))],
        arrangements=[ArrangementSpan(date(2026, 6, 5))],
    ),
    # H4: 250.00 written off on 30 April: nothing owed
    debt(
        DebtType.HOUSING_BENEFIT_OVERPAYMENT,
        [(K.CHARGE, 250_00, date(2026, 2, 1)), (K.WRITE_OFF, 250_00, date(2026, 4, 30))],
    ),
]


def test_hb_overpayments_not_under_arrangement_at_the_end_of_may():
    """H1 600.00 is under arrangement; H2 450.00 (defaulted 10 May) and H3 300.00 (arrangement not yet made)
    are not; H4 owes nothing: 750.00."""
    assert hb_overpayments_not_under_arrangement(HB_OVERPAYMENTS, END_OF_MAY) == 750_00


def test_hb_overpayments_not_under_arrangement_at_the_end_of_april():
    """On 30 April H1 and H2 were both under arrangement, H3 was not yet raised and H4 was written off that
    day: nothing. On 4 June H3 still has no arrangement, on 5 June it has (300.00 fewer)."""
    assert hb_overpayments_not_under_arrangement(HB_OVERPAYMENTS, date(2026, 4, 30)) == 0
    assert hb_overpayments_not_under_arrangement(HB_OVERPAYMENTS, date(2026, 6, 4)) == 750_00
    assert hb_overpayments_not_under_arrangement(HB_OVERPAYMENTS, date(2026, 6, 5)) == 450_00


SUNDRY = [
    debt(  # S1: due 27 February, 100.00 less 40.00 paid: older than three months at 31 May
        DebtType.SUNDRY,
        [(K.CHARGE, 100_00, date(2026, 1, 28)), (K.PAYMENT, 40_00, date(2026, 3, 2))],
        due=date(2026, 2, 27),
    ),
    # S2: due 28 February: exactly three months before 31 May (31 February is no date), not older
    debt(DebtType.SUNDRY, [(K.CHARGE, 200_00, date(2026, 1, 29))], due=date(2026, 2, 28)),
    # S3: credited in full
    debt(
        DebtType.SUNDRY,
        [(K.CHARGE, 150_00, date(2025, 11, 1)), (K.CREDIT_NOTE, 150_00, date(2026, 1, 5))],
        due=date(2025, 12, 1),
    ),
    # S4: 50.00 with 3.00 interest and a 40.00 late fee: all of it owed
    debt(
        DebtType.SUNDRY,
        [
            (K.CHARGE, 50_00, date(2025, 10, 1)),
            (K.INTEREST, 3_00, date(2026, 2, 1)),
            (K.LATE_FEE, 40_00, date(2026, 2, 1)),
        ],
        due=date(2025, 11, 1),
    ),
]


def test_sundry_debt_older_than_three_months_at_the_end_of_may():
    """Three months before 31 May is 28 February. S1 60.00 + S4 93.00 = 153.00; S2 is not yet older, S3 owes
    nothing."""
    assert three_months_before(END_OF_MAY) == date(2026, 2, 28)
    assert sundry_older_than_three_months(SUNDRY, END_OF_MAY) == 153_00


def test_the_month_gathers_every_kpi_and_other_types_do_not_leak_in():
    every = COUNCIL_TAX_BILLS + HB_OVERPAYMENTS + SUNDRY
    kpis = collection_kpis(every, Y2026, END_OF_MAY)
    assert kpis.council_tax.rate_percent == Decimal("63.64")
    assert kpis.business_rates == CollectionRate(0, 0)
    assert kpis.hb_overpayments_not_under_arrangement_pence == 750_00
    assert kpis.sundry_older_than_three_months_pence == 153_00


def test_a_financial_year_reports_april_to_march_and_only_months_begun():
    assert [m.label for m in months_of(Y2026)][:2] == ["2026-04", "2026-05"]
    assert months_of(Y2026)[-1].ends == date(2027, 3, 31)
    assert [m.label for m in months_of(Y2026, up_to=date(2026, 6, 1))] == ["2026-04", "2026-05", "2026-06"]
