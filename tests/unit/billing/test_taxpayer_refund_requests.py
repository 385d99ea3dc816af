"""A taxpayer may have a council tax or rates overpayment repaid instead of credited (reg 31)."""

from __future__ import annotations

from uuid import uuid4

from services.billing.domain.debt_types import DebtType
from services.billing.domain.financial_year import FinancialYear
from services.billing.domain.refund_request import AccountDebt, RefundRequestOutcome, decide_refund_request

THIS_YEAR, NEXT_YEAR = FinancialYear.parse("2026/27"), FinancialYear.parse("2027/28")


def a_debt(
    balance: int, year: FinancialYear = THIS_YEAR, debt_type: DebtType = DebtType.COUNCIL_TAX
) -> AccountDebt:
    return AccountDebt(uuid4(), debt_type, year, balance)


def test_the_credit_the_account_holds_is_repaid_oldest_year_first_up_to_what_was_asked():
    older, newer = a_debt(-30_00, THIS_YEAR), a_debt(-50_00, NEXT_YEAR)
    whole = decide_refund_request("000123", [newer, older], None)
    assert whole.outcome is RefundRequestOutcome.REFUND_DUE
    assert whole.repaid == ((older.debt_id, 30_00), (newer.debt_id, 50_00))
    part = decide_refund_request("000123", [newer, older], 40_00)
    assert part.repaid == ((older.debt_id, 30_00), (newer.debt_id, 10_00)) and part.amount_pence == 40_00


def test_an_account_owing_money_has_nothing_to_refund_and_the_request_stands():
    decision = decide_refund_request("000123", [a_debt(120_00)], None)
    assert decision.outcome is RefundRequestOutcome.NOTHING_TO_REFUND and decision.amount_pence == 0


def test_only_council_tax_and_business_rates_accounts_are_repaid_on_request():
    rent = decide_refund_request("T-9", [a_debt(-10_00, debt_type=DebtType.COUNCIL_HOUSING_RENT)], None)
    assert rent.outcome is RefundRequestOutcome.REFUSED and "not a council tax" in rent.reasons[0]
    rates = decide_refund_request("N-1", [a_debt(-10_00, debt_type=DebtType.BUSINESS_RATES)], None)
    assert rates.outcome is RefundRequestOutcome.REFUND_DUE
    unknown = decide_refund_request("nobody", [], None)
    assert unknown.outcome is RefundRequestOutcome.REFUSED and "no council tax" in unknown.reasons[0]
