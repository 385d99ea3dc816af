"""The aged-debt report (Sundry 10, NELC 5.19-5.22) from billing's tables: unpaid amounts summed by debt
type, originating service and due date in SQL, then banked by age in the domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.aged_debt import AgedDebtItem, AgedDebtReport, aged_debt_report
from services.billing.domain.debt_types import DebtType

_UNPAID = text(
    """
    SELECT d.debt_type, d.originating_service, l.due_date, sum(l.outstanding_pence) AS outstanding
    FROM debt_line l JOIN debt d ON d.debt_id = l.debt_id
    WHERE d.status = 'open' AND l.outstanding_pence > 0
    GROUP BY d.debt_type, d.originating_service, l.due_date
    """
)


async def aged_debt(session: AsyncSession, as_of: date) -> AgedDebtReport:
    """Every unpaid amount on open debts, by age on `as_of`, debt type and originating service."""
    items = [
        AgedDebtItem(DebtType(row.debt_type), row.originating_service, row.due_date, int(row.outstanding))
        for row in await session.execute(_UNPAID)
    ]
    return aged_debt_report(items, as_of)


def report_as_dict(report: AgedDebtReport) -> dict[str, Any]:
    """The report as the HTTP endpoint answers it (pence throughout)."""
    return {
        "as_of": report.as_of.isoformat(),
        "bands": [band.value for band in report.totals],
        "rows": [
            {
                "debt_type": row.debt_type.value,
                "originating_service": row.originating_service,
                "bands_pence": {band.value: pence for band, pence in row.bands.items()},
                "total_pence": row.total_pence,
                "over_90_pence": row.over_90_pence,
            }
            for row in report.rows
        ],
        "totals_pence": {band.value: pence for band, pence in report.totals.items()},
    }
