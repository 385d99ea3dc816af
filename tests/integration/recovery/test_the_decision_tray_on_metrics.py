"""The officers' decision tray (issue 19) is watched on /metrics as `cases_awaiting_decision`
(council_debt_work_waiting, council_debt_work_oldest_age_seconds): a case put in it moves the gauge."""

from __future__ import annotations

import httpx

from tests.council_bus import eventually, fetch_value
from tests.identity import system_headers
from tests.integration.recovery.recovery_bus import case_row
from tests.integration.recovery.test_an_insolvency_return_and_a_refused_write_off_wait_for_an_officer import (
    _returned,
)

TRAY = "cases_awaiting_decision"


def _sample(metrics: str, name: str) -> float:
    """One gauge's value in Prometheus' text format (0 before it is first set)."""
    for line in metrics.splitlines():
        if line.startswith(f"{name}{{") and 'service="recovery"' in line and f'tray="{TRAY}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_a_case_put_in_the_decision_tray_moves_its_gauge(recovery, heard):
    assert TRAY in recovery._trays
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=recovery.served_http_app()),
        base_url="http://recovery",
        headers=system_headers("monitoring"),
    ) as client:

        async def scrape() -> str:
            response = await client.get("/metrics")
            assert response.status_code == 200, response.text
            return response.text

        async def gauge_and_tray() -> tuple[float, float]:
            """The gauge as scraped and the tray's true count at the same moment."""
            text = await scrape()
            return _sample(text, "council_debt_work_waiting"), float(
                await fetch_value(str(recovery._trays[TRAY]))
            )

        # Earlier tests' cases may still be entering or leaving the tray as their events land, so the gauge is
        # compared with the true count read beside each scrape (it is sampled every few seconds), not with a
        # count taken once.
        await eventually(gauge_and_tray, lambda pair: pair[0] == pair[1], timeout=30)
        _, case_id = await _returned(heard, "insolvent", "")
        await eventually(lambda: case_row(case_id), lambda r: r["awaiting_decision_since"] is not None)
        # Our case is in the tray now, so a gauge that agrees with the true count has counted it.
        await eventually(gauge_and_tray, lambda pair: pair[0] == pair[1] and pair[1] >= 1, timeout=30)
        text = await scrape()
        assert _sample(text, "council_debt_work_oldest_age_seconds") > 0
