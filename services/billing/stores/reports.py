"""The reports store: unpaid amounts on open debts summed by debt type, originating service and due date."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.aged_debt import AgedDebtItem
from services.billing.domain.debt_types import DebtType
from services.billing.stores.debts import DEBT_IS_OPEN_SQL

_UNPAID = text(
    f"""
    SELECT d.debt_type, d.originating_service, l.due_date, sum(l.outstanding_pence) AS outstanding
    FROM debt_line l JOIN debt d ON d.debt_id = l.debt_id
    WHERE {DEBT_IS_OPEN_SQL} AND l.outstanding_pence > 0
    GROUP BY d.debt_type, d.originating_service, l.due_date
    """
)


class ReportStore:
    """What the reports read, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def unpaid_on_open_debts(self) -> list[AgedDebtItem]:
        """Every unpaid amount on open debts, by debt type, originating service and due date."""
        return [
            AgedDebtItem(DebtType(row.debt_type), row.originating_service, row.due_date, int(row.outstanding))
            for row in await self.session.execute(_UNPAID)
        ]
