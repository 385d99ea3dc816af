"""The officers' decision tray's rule (issue 19) is written twice: in SQL for the tray and its gauge
(`stores.exhausted_cases.AWAITING_DECISION`) and in Python for the daily run, which takes no timetable step on a case
in the tray (`domain.exhausted_timetable.awaiting_decision`). Both agree on the same cases, against the real
database: due for a decision, still open, and under no live arrangement. One transaction, rolled back."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.domain.exhausted_timetable import awaiting_decision
from services.recovery.stores.exhausted_cases import AWAITING_DECISION
from tests.integration.recovery.test_rules_in_sql import session  # noqa: F401  (the rolled-back transaction)

SINCE = date(2026, 6, 10)
CASES = [
    (since, status, arrangement)
    for since in (SINCE, None)
    for status in ("open", "write_off_requested", "closed")
    for arrangement in (None, "live", "defaulted")
]


@pytest.mark.parametrize(("since", "status", "arrangement"), CASES)
async def test_a_case_is_in_the_decision_tray_alike_in_sql_and_in_the_domain(
    session: AsyncSession,  # noqa: F811
    since: date | None,
    status: str,
    arrangement: str | None,
) -> None:
    case_id = uuid4()
    await session.execute(
        text(
            "INSERT INTO recovery.recovery_case (case_id, debt_id, customer_ids, debt_type, balance_pence, due_date, "
            "status, arrangement_status, awaiting_decision_since) VALUES (:case_id, :debt_id, CAST('[]' AS json), "
            "'sundry', 100, :due, :status, :arrangement, :since)"
        ),
        {
            "case_id": case_id,
            "debt_id": uuid4(),
            "due": SINCE,
            "status": status,
            "arrangement": arrangement,
            "since": since,
        },
    )
    in_sql = (
        await session.execute(
            text(f"SELECT {AWAITING_DECISION} FROM recovery.recovery_case c WHERE c.case_id = :case_id"),
            {"case_id": case_id},
        )
    ).scalar_one()
    assert in_sql is awaiting_decision(since, status, arrangement)
