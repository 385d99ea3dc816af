"""Driving recovery as the other services and the scheduler would: debts raised, daily runs for chosen dates,
and reading back what recovery recorded and published."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from shared.contracts.billing import DebtRaised
from shared.contracts.recovery import DailyRunRequested
from tests.council_bus import database, eventually, fetch_value, publish


class Heard(list[tuple[str, dict[str, Any]]]):
    """Events heard on the bus: (routing key, data)."""

    def about(self, routing_key: str, **matching: Any) -> list[dict[str, Any]]:
        """The data of events with this routing key whose fields equal the given values (compared as text)."""
        return [
            data
            for key, data in list(self)
            if key == routing_key and all(str(data.get(k)) == str(v) for k, v in matching.items())
        ]


def a_debt(
    debt_type: str = "sundry", due: date = date(2026, 5, 1), amount: int = 250_00, **overrides: Any
) -> DebtRaised:
    """A debt as billing raises it, with references unique to the test."""
    values: dict[str, Any] = dict(
        debt_id=uuid4(),
        customer_ids=[uuid4()],
        debt_type=debt_type,
        amount_pence=amount,
        financial_year="2026/27",
        due_date=due,
        raised_on=date(2026, 4, 1),
        originating_service="Environmental Services",
        income_code="ENV01",
        external_reference=f"INV-{uuid4().hex[:10]}",
        evidence_reference="order form and delivery note",
    )
    values.update(overrides)
    return DebtRaised(**values)


async def raise_debt(debt: DebtRaised) -> UUID:
    """Publish the debt and wait for its case; returns the case id."""
    await publish(debt, producer="billing")
    return await eventually(
        lambda: fetch_value("SELECT case_id FROM recovery.recovery_case WHERE debt_id = $1", debt.debt_id),
        lambda case_id: case_id is not None,
    )


async def run_daily(business_date: date) -> dict[str, Any]:
    """Request the daily run for a date and wait until it has finished; returns its row."""
    envelope = await publish(DailyRunRequested(business_date=business_date), producer="scheduler")
    assert envelope is not None
    connection = await database()
    try:
        row = await eventually(
            lambda: connection.fetchrow(
                "SELECT * FROM recovery.daily_run WHERE run_id = $1 AND finished_at IS NOT NULL",
                envelope.event_id,
            ),
            lambda r: r is not None,
            timeout=60,
        )
    finally:
        await connection.close()
    return dict(row)


async def steps_of(case_id: UUID) -> list[tuple[str, date, bool]]:
    """(step name, date taken, void) for every step on the case, in order."""
    connection = await database()
    try:
        rows = await connection.fetch(
            "SELECT s.step_name, s.taken_on, v.step_id IS NOT NULL AS void FROM recovery.case_step s "
            "LEFT JOIN recovery.step_void v ON v.step_id = s.step_id WHERE s.case_id = $1 "
            "ORDER BY s.taken_on, s.recorded_at",
            case_id,
        )
    finally:
        await connection.close()
    return [(r["step_name"], r["taken_on"], r["void"]) for r in rows]


async def case_row(case_id: UUID) -> dict[str, Any]:
    """The case row as stored."""
    connection = await database()
    try:
        return dict(
            await connection.fetchrow("SELECT * FROM recovery.recovery_case WHERE case_id = $1", case_id)
        )
    finally:
        await connection.close()


def officer_desk(person: str | None = "revenues.officer"):
    """An HTTP client on recovery's FastAPI app, in this process (as an officer's screen would call it), signed
    in as a demo person of the test identity provider (None: nobody signed in)."""
    import httpx

    from tests.identity import officer_headers

    app = the_recovery_service().runtime.http_app
    headers = officer_headers(person) if person else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://recovery", headers=headers
    )


async def court_grants(case_id: UUID, heard_on: date, costs_awarded_pence: int = 40_00) -> dict[str, Any]:
    """An officer records the magistrates' court's grant of the liability order on the case's summons."""
    async with officer_desk() as desk:
        response = await desk.post(
            f"/cases/{case_id}/court-outcomes",
            json={
                "outcome": "granted",
                "heard_on": heard_on.isoformat(),
                "court_reference": f"DMC-{case_id.hex[:8]}",
                "costs_awarded_pence": costs_awarded_pence,
            },
        )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


_service: list[Any] = []


def the_recovery_service() -> Any:
    """The recovery service these tests run in this process: bootstrapped once (from the session's environment),
    started and stopped by the `recovery` fixture around each test."""
    if not _service:
        from services.recovery.bootstrap import bootstrap

        _service.append(bootstrap())
    return _service[0]


async def heard_eventually(
    heard: Heard, routing_key: str, count: int = 1, **matching: Any
) -> list[dict[str, Any]]:
    """Wait until at least `count` matching events have been heard; returns them."""

    async def matching_events() -> list[dict[str, Any]]:
        return heard.about(routing_key, **matching)

    return await eventually(matching_events, lambda found: len(found) >= count)
