"""An insolvency write-off (Derby App.1 §7): recovery or an officer states the order's date and what the debt
owed on it; the write-off service refuses one without them or beyond the debt at the order date (recovery is
told why), and keeps both with the request, shown on the schedule the approver signs."""

from __future__ import annotations

from datetime import date

from tests.council_bus import publish
from tests.integration.writeoff.desk import (
    Officer,
    a_debt,
    debt_known,
    outbox_rows,
    recovery_asks,
    settled_status,
)


async def test_an_insolvency_write_off_without_the_order_date_is_refused_and_recovery_told(writeoff_service):
    request = recovery_asks(await debt_known(a_debt()), reason_code="formal_insolvency")
    await publish(request, producer="recovery")

    assert await settled_status(request.request_id) == "rejected"
    assert await outbox_rows("writeoff.write_off.rejected", "request_id", request.request_id) == 1


async def test_an_insolvency_write_off_up_to_the_order_is_kept_with_the_order_and_signed(
    writeoff_service, client, bus
):
    debt = await debt_known(a_debt(amount_pence=1_850_00, raised_on=date(2025, 5, 1)))
    officer = await Officer.sign_in(client, "derby.budget_holder")
    beyond = await officer.post(
        "/api/requests",
        {
            "debt_id": str(debt.debt_id),
            "amount_pence": 1_850_00,
            "reason_code": "formal_insolvency",
            "evidence": [{"kind": "London Gazette notice", "reference": "GZ-4471"}],
            "insolvency_order_date": "2026-03-02",
            "owed_at_order_date_pence": 1_600_00,
        },
    )
    assert beyond.status_code == 422, beyond.text
    assert [r["code"] for r in beyond.json()["refusals"]] == ["beyond_debt_at_order_date"]

    request = recovery_asks(
        debt,
        amount_pence=1_600_00,
        reason_code="formal_insolvency",
        insolvency_order_date=date(2026, 3, 2),
        owed_at_order_date_pence=1_600_00,
    )
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"
    shown = (await officer.get(f"/api/requests/{request.request_id}")).json()
    assert (shown["insolvency_order_date"], shown["owed_at_order_date_pence"]) == ("2026-03-02", 1_600_00)

    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(request.request_id)
    (line,) = schedule["lines"]
    assert (line["insolvency_order_date"], line["owed_at_order_date_pence"]) == ("2026-03-02", 1_600_00)
    assert (await (await Officer.sign_in(client, "derby.head")).sign(schedule)).status_code == 200
    (approved,) = await bus.hears("writeoff.write_off.approved", request_id=request.request_id)
    assert approved.amount_pence == 1_600_00
