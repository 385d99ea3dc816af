"""A debt split to stay under a band (Derby App.1 §10-11): £6,000 of a debtor's sundry debt written off by the
Head of Business Support, then another £6,000 of the same debtor's debt to the same income code asked for days
later, is banded on the £12,000 together: the Director of Finance signs, and the decision keeps why."""

from __future__ import annotations

from uuid import UUID, uuid4

from tests.council_bus import fetch_value, publish
from tests.integration.writeoff.desk import Officer, a_debt, debt_known, recovery_asks, settled_status


async def test_a_second_part_of_a_split_debt_is_banded_on_the_combined_sum(writeoff_service, client, bus):
    customer = uuid4()
    officer = await Officer.sign_in(client, "derby.officer")
    head = await Officer.sign_in(client, "derby.head")

    first = recovery_asks(await debt_known(a_debt(customer_ids=[customer], amount_pence=6_000_00)))
    await publish(first, producer="recovery")
    assert await settled_status(first.request_id) == "pending"
    first_schedule = await officer.schedule(first.request_id)
    assert first_schedule["split_debts"] == []
    assert first_schedule["required_band"]["name"] == "head_of_business_support"
    assert (await head.sign(first_schedule)).status_code == 200
    await bus.hears("writeoff.write_off.approved", request_id=first.request_id)

    second = recovery_asks(await debt_known(a_debt(customer_ids=[customer], amount_pence=6_000_00)))
    await publish(second, producer="recovery")
    assert await settled_status(second.request_id) == "pending"
    schedule = await officer.schedule(second.request_id)

    assert schedule["aggregate_pence"] == 6_000_00
    assert schedule["banded_amount_pence"] == 12_000_00
    assert schedule["required_band"]["name"] == "director_of_finance"
    (split,) = schedule["split_debts"]
    assert split["elsewhere"] == [str(first.request_id)]
    assert split["on_schedule"] == [str(second.request_id)]
    assert "£12,000.00" in split["reason"]

    refused = await head.sign(schedule)
    assert refused.status_code == 403
    assert "decided on their combined sum" in refused.json()["detail"]

    signed = await (await Officer.sign_in(client, "derby.director")).sign(schedule)
    assert signed.status_code == 200, signed.text
    assert signed.json()["split_debts"][0]["combined_pence"] == 12_000_00
    (approved,) = await bus.hears("writeoff.write_off.approved", request_id=second.request_id)
    assert approved.approval_band == "director_of_finance"
    assert approved.amount_pence == 6_000_00
    kept = await fetch_value(
        "SELECT split_debts::text FROM writeoff.schedule_decision WHERE schedule_id = $1",
        UUID(schedule["schedule_id"]),
    )
    assert str(first.request_id) in kept and "combined sum" in kept


async def test_the_councils_list_of_schedules_bands_each_part_of_a_split_debt_as_its_own_view_does(
    writeoff_service, client
):
    customer = uuid4()
    officer = await Officer.sign_in(client, "derby.officer")
    parts = [recovery_asks(await debt_known(a_debt(customer_ids=[customer], amount_pence=6_000_00)))]
    parts.append(recovery_asks(await debt_known(a_debt(customer_ids=[customer], amount_pence=6_000_00))))
    built = []
    for part in parts:
        await publish(part, producer="recovery")
        assert await settled_status(part.request_id) == "pending"
        built.append((await officer.schedule(part.request_id))["schedule_id"])

    listed = (await officer.get("/api/schedules")).json()

    by_id = {shown["schedule_id"]: shown for shown in listed}
    for schedule_id, part, other in zip(built, parts, reversed(parts), strict=True):
        own_view = (await officer.get(f"/api/schedules/{schedule_id}")).json()
        shown = by_id[schedule_id]
        assert shown["banded_amount_pence"] == own_view["banded_amount_pence"] == 12_000_00
        assert shown["required_band"] == own_view["required_band"]
        assert shown["required_band"]["name"] == "director_of_finance"
        assert shown["split_debts"] == own_view["split_debts"]
        (split,) = shown["split_debts"]
        assert split["on_schedule"] == [str(part.request_id)]
        assert split["elsewhere"] == [str(other.request_id)]
