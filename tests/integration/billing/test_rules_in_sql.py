"""Rules billing keeps in SQL for speed agree with their domain twins on the same cases, against the real database.

`DUE_FOR_LATE_PAYMENT_CHARGES_SQL` (with `DEBT_IS_OPEN_SQL` inside it) is the set-based twin of
`domain.debt_status.due_for_late_payment_charges`: the daily run picks the debts to charge in SQL and must pick
exactly those the rule names."""

from __future__ import annotations

from datetime import date
from itertools import product
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text

from services.billing.domain.debt_status import (
    CANCELLED,
    OPEN,
    WRITTEN_OFF,
    due_for_late_payment_charges,
    status_after_write_off,
)
from services.billing.stores import BillingStores

AS_OF = date(2026, 6, 1)
STATUSES = (OPEN, CANCELLED, WRITTEN_OFF)
BALANCES = (0, 1, -5_00, 120_00)
DUE_DATES = (date(2026, 5, 31), AS_OF, date(2026, 6, 2))
ACCRUED_TO = (None, date(2026, 5, 31), AS_OF, date(2026, 6, 2))

_A_DEBT = text(
    "INSERT INTO debt (debt_id, requesting_system, external_reference, debt_type, amount_pence, financial_year, "
    "due_date, raised_on, originating_service, income_code, evidence_reference, status, balance_pence, "
    "interest_accrued_to) VALUES (:debt_id, 'rule-test', :reference, 'sundry', 100, '2026/27', :due_date, "
    "'2026-04-01', 'Finance', 'SD01', 'rule test', :status, :balance, :accrued_to)"
)


class _RollBack(Exception):
    """Leave nothing behind."""


async def test_the_sql_picks_exactly_the_debts_the_rule_says_interest_and_fees_may_accrue_on(billing):
    cases = {uuid4(): case for case in product(STATUSES, BALANCES, DUE_DATES, ACCRUED_TO)}
    with pytest.raises(_RollBack):
        async with billing.runtime.transaction(BillingStores.on, billing) as handling:
            assert handling.session is not None
            for debt_id, (status, balance, due_date, accrued_to) in cases.items():
                await handling.session.execute(
                    _A_DEBT,
                    {
                        "debt_id": debt_id,
                        "reference": str(debt_id),
                        "due_date": due_date,
                        "status": status,
                        "balance": balance,
                        "accrued_to": accrued_to,
                    },
                )
            picked = await handling.stores.late_payment.which_are_due_for_charges(list(cases), AS_OF)
            expected: set[UUID] = {
                debt_id
                for debt_id, (status, balance, due_date, accrued_to) in cases.items()
                if due_for_late_payment_charges(status, balance, due_date, accrued_to, AS_OF)
            }
            assert expected  # the cases include debts on both sides of the rule
            assert len(expected) < len(cases)
            assert picked == expected
            raise _RollBack


async def test_the_sql_closes_as_written_off_exactly_the_debts_the_rule_says(billing):
    cases = {uuid4(): case for case in product(STATUSES, BALANCES)}
    with pytest.raises(_RollBack):
        async with billing.runtime.transaction(BillingStores.on, billing) as handling:
            assert handling.session is not None
            for debt_id, (status, balance) in cases.items():
                await handling.session.execute(
                    _A_DEBT,
                    {
                        "debt_id": debt_id,
                        "reference": str(debt_id),
                        "due_date": AS_OF,
                        "status": status,
                        "balance": balance,
                        "accrued_to": None,
                    },
                )
            await handling.stores.debts.add_written_off(dict.fromkeys(cases, 0))
            after = await handling.stores.debts.named(list(cases), lock=False)
            assert {debt_id: after[debt_id].status for debt_id in cases} == {
                debt_id: status_after_write_off(status, balance)
                for debt_id, (status, balance) in cases.items()
            }
            raise _RollBack
