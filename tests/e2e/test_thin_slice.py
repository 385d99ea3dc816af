"""A council tax bill requested by the council tax system becomes a debt in billing and a recovery case."""

from __future__ import annotations

from tests.council_bus import database, eventually, publish
from tests.demo_people import a_council_tax_bill
from tests.service_processes import ServiceProcess


async def test_a_charge_requested_by_a_council_system_opens_a_recovery_case():
    billing, recovery = ServiceProcess("billing").start(), ServiceProcess("recovery").start()
    connection = await database()
    try:
        request = a_council_tax_bill(7)
        await publish(request, producer="council_tax")
        debt_id = await eventually(
            lambda: connection.fetchval(
                "SELECT debt_id FROM billing.debt WHERE external_reference = $1", request.external_reference
            ),
            lambda value: value is not None,
        )
        case = await eventually(
            lambda: connection.fetchrow(
                "SELECT debt_type, due_date FROM recovery.recovery_case WHERE debt_id = $1", debt_id
            ),
            lambda row: row is not None,
        )
        assert case["debt_type"] == "council_tax"
    finally:
        billing.stop()
        recovery.stop()
        await connection.close()
