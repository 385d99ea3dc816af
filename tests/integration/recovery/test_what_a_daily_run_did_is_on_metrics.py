"""Operators see on /metrics what each daily run did (council_debt_daily_run_work_total by kind), counted once the
run has committed, beside how long it took: a run that stops sending reminders shows there before anyone
notices missing letters."""

from __future__ import annotations

from datetime import date, timedelta

from prometheus_client import REGISTRY

from tests.integration.recovery.recovery_bus import a_debt, raise_debt, run_daily

DUE = date(2026, 5, 1)


def done(kind: str) -> float:
    return (
        REGISTRY.get_sample_value("council_debt_daily_run_work_total", {"service": "recovery", "kind": kind})
        or 0.0
    )


async def test_a_run_that_sends_a_reminder_counts_the_step_and_the_notice(recovery):
    await raise_debt(a_debt("sundry", due=DUE))
    steps, notices = done("steps_taken"), done("notices_issued")
    finished = await run_daily(DUE + timedelta(days=31))
    assert finished["steps_taken"] >= 1
    assert done("steps_taken") == steps + finished["steps_taken"]
    assert done("notices_issued") == notices + finished["notices_issued"]
