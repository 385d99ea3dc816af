"""Billing running in-process against the session's real RabbitMQ and PostgreSQL, and a listener on the bus
that hears everything billing publishes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.integration.billing.bus_listener import BusListener


@pytest.fixture(scope="package")
def council_billing_rules(tmp_path_factory) -> Path:
    """The shipped rules with Derby's late payment options taken up for sundry debt: the Late Payment Act for
    business debtors, and 8% and £40 after 30 days where a charge's contract provides them; and for commercial
    property rent, 8% and £40 where the lease provides them (a debt with ongoing liabilities under a breathing
    space)."""
    from services.billing.domain.billing_rules import DEFAULT_RULES_PATH

    rules = yaml.safe_load(DEFAULT_RULES_PATH.read_text())
    rules["late_payment"] = {
        "sundry": {
            "late_payment_act": True,
            "annual_interest_percent": "8",
            "late_fee": "40.00",
            "fee_after_days": 30,
        },
        "commercial_property_rent": {
            "annual_interest_percent": "8",
            "late_fee": "40.00",
            "fee_after_days": 30,
        },
    }
    path = tmp_path_factory.mktemp("billing") / "billing_rules.yaml"
    path.write_text(yaml.safe_dump(rules))
    return path


@pytest.fixture(scope="package")
async def billing(council_billing_rules):
    from services.billing.bootstrap import bootstrap

    billing = bootstrap(billing_rules_file=council_billing_rules)
    await billing.runtime.start()
    yield billing
    await billing.runtime.stop()


@pytest.fixture(scope="package")
async def heard(billing):
    listener = BusListener("billing.#")
    await listener.start()
    yield listener
    await listener.stop()
