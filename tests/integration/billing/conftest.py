"""Billing running in-process against the session's real RabbitMQ and PostgreSQL, and a listener on the bus
that hears everything billing publishes."""

from __future__ import annotations

import pytest

from tests.integration.billing.bus_listener import BusListener


@pytest.fixture(scope="package")
async def billing():
    from services.billing.bootstrap import bootstrap

    billing = bootstrap()
    await billing.runtime.start()
    yield billing
    await billing.runtime.stop()


@pytest.fixture(scope="package")
async def heard(billing):
    listener = BusListener("billing.#")
    await listener.start()
    yield listener
    await listener.stop()
