"""The aged-debt report (Sundry 10, NELC 5.19-5.22) from billing's tables: unpaid amounts summed by debt
type, originating service and due date in SQL (`ReportStore`), then banded by age in the domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.billing.domain.aged_debt import AgedDebtReport, aged_debt_report
from services.billing.stores import BillingStores


async def aged_debt(stores: BillingStores, as_of: date) -> AgedDebtReport:
    """Every unpaid amount on open debts, by age on `as_of`, debt type and originating service."""
    return aged_debt_report(await stores.reports.unpaid_on_open_debts(), as_of)


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
