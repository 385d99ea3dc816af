"""The gateway's work trays are watched on /metrics (council_debt_work_waiting, council_debt_work_oldest_age_seconds):
a referral refused and a file quarantined, each awaiting an officer, move their tray's gauge; deciding the item
moves it back."""

from __future__ import annotations

import httpx
import pytest

from services.agents_gateway.stores.status import WORK_TRAYS
from tests.council_bus import eventually, fetch_value
from tests.identity import system_headers
from tests.integration.agents_gateway.test_quarantine_tray import _a_file_about_a_case_not_yet_sent
from tests.integration.agents_gateway.test_referrals import _refused_sundry_referral


def _sample(metrics: str, name: str, tray: str) -> float:
    """One gauge's value in Prometheus' text format (0 before it is first set)."""
    for line in metrics.splitlines():
        if line.startswith(f"{name}{{") and 'service="agents_gateway"' in line and f'tray="{tray}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def settled_count(metrics, tray: str) -> float:
    """The tray's true count, once the gauge (sampled every few seconds) shows it: earlier tests leave items."""
    waiting = float(await fetch_value(WORK_TRAYS[tray]))
    await eventually(
        metrics, lambda text: _sample(text, "council_debt_work_waiting", tray) == waiting, timeout=20
    )
    return waiting


@pytest.fixture
async def metrics(gateway):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway.runtime.served_http_app()),
        base_url="http://gateway",
        headers=system_headers("monitoring"),
    ) as client:

        async def scrape() -> str:
            response = await client.get("/metrics")
            assert response.status_code == 200, response.text
            return response.text

        yield scrape


async def test_every_tray_of_the_gateway_is_watched(gateway, metrics):
    for tray in WORK_TRAYS:
        assert tray in gateway.runtime._trays
    text = await eventually(metrics, lambda text: all(f'tray="{t}"' in text for t in WORK_TRAYS))
    assert 'council_debt_work_oldest_age_seconds{service="agents_gateway",tray="placements_refused"}' in text


async def test_a_refused_referral_awaiting_an_officer_moves_the_refused_placements_gauge(
    gateway, http, metrics
):
    before = await settled_count(metrics, "placements_refused")
    referral = await _refused_sundry_referral()

    await eventually(
        metrics,
        lambda text: _sample(text, "council_debt_work_waiting", "placements_refused") == before + 1,
        timeout=20,
    )

    returned = await http.post(
        f"/placements/{referral.referral_id}/return-to-recovery", json={"reason": "no agent for sundry"}
    )
    assert returned.status_code == 200, returned.text
    await eventually(
        metrics,
        lambda text: _sample(text, "council_debt_work_waiting", "placements_refused") == before,
        timeout=20,
    )


async def test_a_quarantined_file_awaiting_an_officer_moves_the_quarantined_files_gauge(
    gateway, http, agent, metrics
):
    before = await settled_count(metrics, "agent_files_quarantined")
    _, outcome = await _a_file_about_a_case_not_yet_sent(http, agent)

    await eventually(
        metrics,
        lambda text: _sample(text, "council_debt_work_waiting", "agent_files_quarantined") == before + 1,
        timeout=20,
    )

    discarded = await http.post(
        f"/quarantine/{outcome['received_file_id']}/discard", json={"reason": "agent's test file"}
    )
    assert discarded.status_code == 200, discarded.text
    await eventually(
        metrics,
        lambda text: _sample(text, "council_debt_work_waiting", "agent_files_quarantined") == before,
        timeout=20,
    )
