"""The scheduler's record of the daily runs it requested (`daily_run_request`, one row a business date)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from services.recovery.stores.store import Store


class DailyRunRequestStore(Store):
    """Which business dates have had their daily run requested."""

    # One scheduler at a time decides (replicas each run one): a lock held until the transaction ends.
    _ONE_SCHEDULER = text("SELECT pg_advisory_xact_lock(hashtext('recovery.daily_run_request'))")
    _LAST = text("SELECT max(business_date) FROM recovery.daily_run_request")
    _CLAIM = text(
        "INSERT INTO recovery.daily_run_request (business_date, requested_by) "
        "SELECT unnest(CAST(:days AS date[])), :requested_by "
        "ON CONFLICT (business_date) DO NOTHING RETURNING business_date"
    )

    async def decide_alone(self) -> None:
        """Wait until no other scheduler is deciding (held to the end of this transaction)."""
        await self.session.execute(self._ONE_SCHEDULER)

    async def last_requested(self) -> date | None:
        """The latest business date whose run was requested."""
        return (await self.session.execute(self._LAST)).scalar()

    async def claim(self, days: list[date], requested_by: str) -> list[date]:
        """Record these dates as requested; returns those not requested before, oldest first."""
        if not days:
            return []
        result = await self.session.execute(self._CLAIM, {"days": days, "requested_by": requested_by})
        return sorted(row[0] for row in result)
