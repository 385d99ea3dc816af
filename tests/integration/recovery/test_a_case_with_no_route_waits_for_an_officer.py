"""A debt of a type the council's file gives no route (Derby: legal costs, appendix 5) is never skipped silently:
its case is opened with the file's reason on the record and waits, counted in the officers' tray."""

from __future__ import annotations

from datetime import date, timedelta

from services.recovery.council_policies import NO_RECOVERY_ROUTE
from tests.council_bus import fetch_value
from tests.integration.recovery.recovery_bus import a_debt, raise_debt, run_daily, the_recovery_service

DUE = date(2026, 5, 1)


async def test_a_legal_costs_debt_in_derby_is_opened_with_its_reason_and_counted_in_the_tray(recovery):
    tray = str(the_recovery_service().runtime._trays["cases_without_recovery_route"])
    before = await fetch_value(f"SELECT count FROM ({tray}) AS t")
    case_id = await raise_debt(a_debt("legal_costs", due=DUE))
    await run_daily(DUE + timedelta(days=60))

    reason = await fetch_value(
        "SELECT summary FROM recovery.case_record WHERE case_id = $1 AND entry = $2",
        case_id,
        NO_RECOVERY_ROUTE,
    )
    assert "Derby's policy gives legal costs no recovery timetable (appendix 5)" in reason
    steps = await fetch_value("SELECT count(*) FROM recovery.case_step WHERE case_id = $1", case_id)
    assert steps == 0
    assert await fetch_value(f"SELECT count FROM ({tray}) AS t") == before + 1
