"""The late-payment store: which debts interest and fees may accrue on, the charges added, and reversals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.late_payment_act import ChargeBasis, FixedSumBand, LatePaymentBasis
from services.billing.domain.late_payment_charges import LatePaymentCharge, LatePaymentChargeKind
from services.billing.stores.debts import DEBT_IS_OPEN_SQL
from shared.money import Pence
from shared.persistence.stores import rows_as

DUE_FOR_LATE_PAYMENT_CHARGES_SQL = f"""
    {DEBT_IS_OPEN_SQL} AND d.balance_pence > 0 AND d.due_date < :as_of
    AND (d.interest_accrued_to IS NULL OR d.interest_accrued_to < :as_of)
"""
"""Rule "interest and fees may accrue to a date": SQL twin of `domain.debt_status.due_for_late_payment_charges`
(tested to agree in tests/integration/billing/test_rules_in_sql.py)."""

_DUE_FOR_INTEREST = text(
    f"SELECT d.debt_id FROM debt d WHERE d.debt_type = ANY(CAST(:types AS text[])) "
    f"AND {DUE_FOR_LATE_PAYMENT_CHARGES_SQL}"
)
_DUE_AMONG = text(
    f"SELECT d.debt_id FROM debt d WHERE d.debt_id = ANY(CAST(:ids AS uuid[])) "
    f"AND {DUE_FOR_LATE_PAYMENT_CHARGES_SQL}"
)
_ADD_CHARGES = text(
    """
    WITH given AS (
        SELECT * FROM unnest(CAST(:debts AS uuid[]), CAST(:ordinals AS int[]), CAST(:kinds AS text[]),
            CAST(:amounts AS bigint[]), CAST(:starts AS date[]), CAST(:ends AS date[]),
            CAST(:principals AS bigint[]), CAST(:rates AS numeric[]), CAST(:bases AS int[]),
            CAST(:sums_due AS date[]), CAST(:late_payment_bases AS text[]), CAST(:reference_days AS date[]),
            CAST(:base_rates AS numeric[]), CAST(:fixed_sum_bands AS text[]))
            AS c(debt_id, ordinal, kind, amount, period_start, period_end, principal, rate, basis, sum_due_on,
                 late_payment_basis, reference_day, base_rate_percent, fixed_sum_band)),
    charge AS (
        SELECT c.*, (SELECT coalesce(max(number), 0) FROM debt_line l WHERE l.debt_id = c.debt_id) + c.ordinal
               AS line_number
        FROM given c),
    lines AS (
        INSERT INTO debt_line (debt_id, number, kind, due_date, amount_pence, outstanding_pence)
        SELECT c.debt_id, c.line_number, c.kind, c.period_end, c.amount, c.amount
        FROM charge c RETURNING debt_id),
    posted AS (
        INSERT INTO posting (debt_id, kind, amount_pence, posted_on, cause_reference, period_start, period_end,
                             principal_pence, annual_interest_percent, day_count_basis, sum_due_on, line_number,
                             late_payment_basis, reference_day, base_rate_percent, fixed_sum_band)
        SELECT debt_id, kind, amount, :as_of, 'late payment terms', period_start, period_end, principal, rate, basis,
               sum_due_on, line_number, late_payment_basis, reference_day, base_rate_percent, fixed_sum_band
        FROM charge RETURNING debt_id)
    UPDATE debt d SET balance_pence = d.balance_pence + t.total, interest_accrued_to = :as_of,
        late_fee_charged = d.late_fee_charged OR t.fee
    FROM (SELECT debt_id, sum(amount) AS total, bool_or(kind = 'late_fee') AS fee FROM charge GROUP BY debt_id) t
    WHERE d.debt_id = t.debt_id RETURNING d.debt_id, d.balance_pence
    """
)
"""Each charge is a line of the debt and a posting; the posting names its line and keeps the basis it was
charged on (issue 19): the Act or the contract, the reference day and base rate, the fixed-sum band."""
_DEBTORS = text(
    """
    SELECT d.debt_id, coalesce(bool_and(c.kind = 'organisation'), false) AS is_business,
           d.late_payment_under_contract AS contract_provides
    FROM debt d LEFT JOIN debt_party p ON p.debt_id = d.debt_id LEFT JOIN customer c ON c.customer_id = p.customer_id
    WHERE d.debt_id = ANY(CAST(:ids AS uuid[]))
    GROUP BY d.debt_id
    """
)
_ACCRUED_TO = text("UPDATE debt SET interest_accrued_to = :as_of WHERE debt_id = ANY(CAST(:ids AS uuid[]))")
_UNREVERSED = text(
    "SELECT posting_id, kind, amount_pence, period_start, period_end, principal_pence, "
    "annual_interest_percent, day_count_basis, sum_due_on, late_payment_basis, reference_day, base_rate_percent, "
    "fixed_sum_band FROM posting "
    "WHERE debt_id = :debt_id AND kind IN ('interest', 'late_fee') AND NOT reversed"
)
_MARK_REVERSED = text("UPDATE posting SET reversed = true WHERE posting_id = ANY(CAST(:ids AS bigint[]))")


def _basis(row: Any) -> ChargeBasis | None:
    """The basis a charge posting was recorded with (None: charged before bases were recorded)."""
    if row.late_payment_basis is None:
        return None
    return ChargeBasis(
        LatePaymentBasis(row.late_payment_basis),
        row.reference_day,
        None if row.base_rate_percent is None else Decimal(row.base_rate_percent),
        None if row.fixed_sum_band is None else FixedSumBand(row.fixed_sum_band),
    )


@dataclass(frozen=True)
class LatePaymentDebtor:
    """Who owes a debt, as late payment sees it: a business (every liable party an organisation) or not, and
    whether the charge's contract provides for late payment charges."""

    debt_id: UUID
    is_business: bool
    contract_provides: bool


class LatePaymentStore:
    """Late-payment interest and fees, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def debts_due_for_charges(self, debt_types: list[str], as_of: date) -> list[UUID]:
        """Every debt of these types that interest and fees may accrue on to `as_of`."""
        rows = await self.session.execute(_DUE_FOR_INTEREST, {"types": debt_types, "as_of": as_of})
        return [row.debt_id for row in rows]

    async def which_are_due_for_charges(self, debt_ids: list[UUID], as_of: date) -> set[UUID]:
        """Of these debts, those the rule lets interest and fees accrue on to `as_of` (any type)."""
        rows = await self.session.execute(_DUE_AMONG, {"ids": debt_ids, "as_of": as_of})
        return {row.debt_id for row in rows}

    async def debtors(self, debt_ids: list[UUID]) -> dict[UUID, LatePaymentDebtor]:
        """Who owes each of these debts (one statement for the whole run)."""
        rows = await self.session.execute(_DEBTORS, {"ids": debt_ids})
        return {d.debt_id: d for d in rows_as(LatePaymentDebtor, rows)}

    async def add_charges(self, charges: list[LatePaymentCharge], as_of: date) -> dict[UUID, Pence]:
        """Add the charges as lines and postings, raise the balances, and mark the debts accrued to `as_of`, in
        one statement. Returns each charged debt's new balance."""
        ordinals: dict[str, int] = defaultdict(int)
        numbered: list[int] = []
        for charge in charges:
            ordinals[charge.debt_id] += 1
            numbered.append(ordinals[charge.debt_id])
        rows = await self.session.execute(
            _ADD_CHARGES,
            {
                "debts": [UUID(c.debt_id) for c in charges],
                "ordinals": numbered,
                "kinds": [c.kind.value for c in charges],
                "amounts": [c.amount_pence for c in charges],
                "starts": [c.period_start for c in charges],
                "ends": [c.period_end for c in charges],
                "principals": [c.principal_pence for c in charges],
                "rates": [c.annual_interest_percent for c in charges],
                "bases": [c.day_count_basis for c in charges],
                "sums_due": [c.sum_due_on for c in charges],
                "late_payment_bases": [c.basis.basis.value if c.basis else None for c in charges],
                "reference_days": [c.basis.reference_day if c.basis else None for c in charges],
                "base_rates": [c.basis.base_rate_percent if c.basis else None for c in charges],
                "fixed_sum_bands": [
                    c.basis.fixed_sum_band.value if c.basis and c.basis.fixed_sum_band else None
                    for c in charges
                ],
                "as_of": as_of,
            },
        )
        return {row.debt_id: row.balance_pence for row in rows}

    async def mark_accrued_to(self, debt_ids: list[UUID], as_of: date) -> None:
        """The debts have had every charge due to `as_of` (a rerun for the day adds nothing)."""
        await self.session.execute(_ACCRUED_TO, {"as_of": as_of, "ids": debt_ids})

    async def unreversed_charges(self, debt_id: UUID) -> dict[int, LatePaymentCharge]:
        """The interest and fees charged on the debt and not yet reversed, by posting id."""
        rows = await self.session.execute(_UNREVERSED, {"debt_id": debt_id})
        return {
            row.posting_id: LatePaymentCharge(
                debt_id=str(debt_id),
                kind=LatePaymentChargeKind(row.kind),
                period_start=row.period_start,
                period_end=row.period_end,
                amount_pence=row.amount_pence,
                principal_pence=row.principal_pence or 0,
                annual_interest_percent=Decimal(row.annual_interest_percent or 0),
                day_count_basis=row.day_count_basis or 365,
                sum_due_on=row.sum_due_on,
                basis=_basis(row),
            )
            for row in rows
        }

    async def mark_reversed(self, posting_ids: list[int]) -> None:
        """These charge postings have been reversed (a reversal posting carries the amount)."""
        await self.session.execute(_MARK_REVERSED, {"ids": posting_ids})
