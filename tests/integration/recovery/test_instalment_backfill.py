"""Council tax cases opened before recovery kept instalments follow the count of defaults; the backfill from
billing's schedule export puts them on the regulated path (a reminder asks for the instalments then due, not the
year's charge), and running it again changes nothing."""

from __future__ import annotations

from datetime import date

from services.recovery.instalment_backfill import backfill_instalments, read_schedule_export
from tests.council_bus import fetch_value
from tests.integration.recovery.recovery_bus import (
    a_debt,
    raise_debt,
    run_daily,
    steps_of,
    the_recovery_service,
)

MONTHS = [(2026, m) for m in range(4, 13)] + [(2027, 1)]


def export_for(debt_id, paid_first: int = 0) -> str:
    lines = ["debt_id,instalment_number,due_date,amount_pence,paid_pence"]
    for n, (y, m) in enumerate(MONTHS, start=1):
        lines.append(f"{debt_id},{n},{date(y, m, 1)},15000,{paid_first if n == 1 else 0}")
    return "\n".join(lines) + "\n"


async def test_a_case_from_before_instalments_were_kept_is_backfilled_once_and_then_follows_the_regulated_path(
    recovery,
):
    debt = a_debt("council_tax", due=date(2026, 4, 1), amount=1500_00)  # no schedule: as before recovery_0006
    case_id = await raise_debt(debt)
    assert await fetch_value("SELECT count(*) FROM recovery.instalment WHERE debt_id = $1", debt.debt_id) == 0

    result = await backfill_instalments(
        the_recovery_service(), read_schedule_export(export_for(debt.debt_id)), date(2026, 4, 20)
    )
    assert result.backfilled == 1
    assert (
        await fetch_value("SELECT count(*) FROM recovery.instalment WHERE debt_id = $1", debt.debt_id) == 10
    )
    again = await backfill_instalments(
        the_recovery_service(), read_schedule_export(export_for(debt.debt_id)), date(2026, 4, 21)
    )
    assert again.backfilled == 0 and again.skipped == {"instalments already kept": 1}

    await run_daily(date(2026, 5, 1))
    assert [s[0] for s in await steps_of(case_id)] == ["first_reminder"]
    asked = await fetch_value("SELECT amount_pence FROM recovery.notice WHERE case_id = $1", case_id)
    assert asked == 300_00  # April and May, not the year's £1,500


async def test_what_was_paid_before_the_backfill_counts_and_a_default_already_paid_gets_no_notice(recovery):
    debt = a_debt("council_tax", due=date(2026, 4, 1), amount=1500_00)
    case_id = await raise_debt(debt)
    await backfill_instalments(
        the_recovery_service(),
        read_schedule_export(export_for(debt.debt_id, paid_first=150_00)),
        date(2026, 4, 20),
    )
    await run_daily(date(2026, 5, 1))  # April paid (late, by the backfill); May not yet in default
    assert await steps_of(case_id) == []
