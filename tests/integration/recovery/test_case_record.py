"""The case record of Sundry 8.7: every step, notice, contact, arrangement and hold, viewable per case and per
customer; nothing in it is ever changed or deleted, only added to."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import pytest

from shared.persistence.database import asyncpg_dsn
from tests.integration.recovery.recovery_bus import a_debt, officer_desk, raise_debt, run_daily

DUE = date(2026, 5, 1)
PROJECT_ROOT = Path(__file__).resolve().parents[3]


async def test_the_case_record_shows_steps_notices_contacts_and_holds_per_case_and_per_customer(recovery):
    debt = a_debt("sundry", due=DUE)
    case_id = await raise_debt(debt)
    await run_daily(DUE + timedelta(days=1))
    async with officer_desk() as desk:
        contact = await desk.post(
            f"/cases/{case_id}/contacts",
            json={
                "channel": "phone",
                "direction": "inbound",
                "summary": "will pay Friday",
            },
        )
        assert contact.status_code == 201, contact.text
        view = (await desk.get(f"/cases/{case_id}")).json()
        by_customer = (await desk.get(f"/customers/{debt.customer_ids[0]}/cases")).json()
        by_debt = await desk.get(f"/debts/{debt.debt_id}/case")
        notice = await desk.get(f"/cases/{case_id}/notices/{view['notices'][0]['notice_id']}")
        missing = await desk.get(f"/cases/{debt.debt_id}")

    assert [e["entry"] for e in view["record"]] == ["opened", "step", "notice", "contact"]
    assert view["steps"][0]["step_name"] == "first_reminder"
    assert view["contacts"][0]["summary"] == "will pay Friday"
    assert [c["case"]["case_id"] for c in by_customer["cases"]] == [str(case_id)]
    assert by_debt.json()["case"]["case_id"] == str(case_id)
    assert "REMINDER" in notice.json()["letter_text"]
    assert missing.status_code == 404


async def test_history_rows_can_never_be_changed_or_deleted(recovery):
    case_id = await raise_debt(a_debt("sundry", due=DUE))
    await run_daily(DUE + timedelta(days=1))
    async with officer_desk() as desk:
        await desk.post(
            f"/cases/{case_id}/contacts",
            json={
                "channel": "letter",
                "direction": "inbound",
                "summary": "disputes it",
            },
        )
        await desk.post(
            f"/cases/{case_id}/holds",
            json={"kind": "dispute", "reason": "says it was paid"},
        )
    connection = await asyncpg.connect(asyncpg_dsn(os.environ["DATABASE_URL"]))
    try:
        for table in ("case_step", "notice", "case_record", "hold", "contact"):
            assert await connection.fetchval(
                f"SELECT count(*) FROM recovery.{table} WHERE case_id = $1", case_id
            )
            with pytest.raises(asyncpg.RaiseError, match="only ever added"):
                await connection.execute(f"DELETE FROM recovery.{table} WHERE case_id = $1", case_id)
            with pytest.raises(asyncpg.RaiseError, match="only ever added"):
                await connection.execute(
                    f"UPDATE recovery.{table} SET case_id = case_id WHERE case_id = $1", case_id
                )
    finally:
        await connection.close()


def test_an_inconsistent_policy_file_refuses_start_up_with_the_file_line_and_reason(tmp_path):
    policy = tmp_path / "derby.yaml"
    policy.write_text(
        "council: derby\n"
        "policies:\n"
        "  - debt_type: sundry\n"
        "    steps:\n"
        "      - name: first_reminder\n"
        "        kind: reminder\n"
        "        days: -3\n"
        "        after: due_date\n"
    )
    started = subprocess.run(
        [sys.executable, "-m", "services.recovery"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "RECOVERY_POLICY_DIRECTORY": str(tmp_path), "LOG_FORMAT": "console"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 2
    output = started.stdout + started.stderr
    assert f"{policy}:7:" in output and "must not be negative" in output


def test_a_council_without_a_policy_file_refuses_start_up(tmp_path):
    started = subprocess.run(
        [sys.executable, "-m", "services.recovery"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "RECOVERY_COUNCIL": "nowhere", "LOG_FORMAT": "console"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 2
    assert "no policy file for council 'nowhere'" in started.stdout + started.stderr
