"""The setup the breathing space tests share: a person billing knows, with the debts they owe already known to
breathing space; a standard breathing space notified for them (and its hold heard on the bus); the services'
confirmations of a hold; a moratorium's entries on the status page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID

import httpx

from shared.contracts.agents_gateway import AgentsGatewayConfirmedHold
from shared.contracts.billing import BillingConfirmedHold
from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from shared.contracts.council_systems import LiableParty
from shared.contracts.recovery import RecoveryConfirmedHold
from tests.council_bus import eventually, publish
from tests.integration.breathing_space.council import (
    BusListener,
    a_moratorium_reference,
    a_person,
    known_to_breathing_space,
    notification,
    raise_debt,
    register,
    send_to_notifications_queue,
)

STARTS_ON = date(2026, 5, 4)
"""The start of the tests' breathing spaces unless a test says otherwise (the business date is 10 May 2026)."""

CONFIRMATIONS = {
    "billing": BillingConfirmedHold,
    "recovery": RecoveryConfirmedHold,
    "agents_gateway": AgentsGatewayConfirmedHold,
}


async def a_person_owing(
    *debts: tuple[str, str, int],
    registered_as: Callable[[LiableParty], LiableParty] | None = None,
    **raised: Any,
) -> tuple[LiableParty, UUID, dict[str, UUID]]:
    """A person billing registers (as `registered_as` makes of them, else as they are) and raises each
    (reference prefix, debt type, pence) against: the person, their customer id and each debt's id by its
    reference (prefix-first eight of the customer id), every debt known to breathing space before the test goes
    on. `raised` goes to every `raise_debt` (raised_on, instalments)."""
    person = a_person()
    customer = await register(registered_as(person) if registered_as else person)
    suffix = str(customer)[:8].upper()
    ids = {
        f"{prefix}-{suffix}": await raise_debt([customer], debt_type, f"{prefix}-{suffix}", amount, **raised)
        for prefix, debt_type, amount in debts
    }
    for debt_id in ids.values():
        await eventually(partial(known_to_breathing_space, debt_id), bool)
    return person, customer, ids


async def notify_standard_space(
    person: LiableParty,
    debts: list[tuple[str, str, int]],
    *,
    start_date: date = STARTS_ON,
    moratorium: str | None = None,
    **fields: Any,
) -> str:
    """The Insolvency Service notifies a standard breathing space for the person naming `debts` (on the
    notifications queue, signed); its moratorium reference."""
    moratorium = moratorium or a_moratorium_reference()
    await send_to_notifications_queue(
        notification(
            "new_standard_breathing_space", moratorium, person, debts, start_date=start_date, **fields
        )
    )
    return moratorium


async def a_standard_space_held(
    bus: BusListener, person: LiableParty, debts: list[tuple[str, str, int]], **notified: Any
) -> tuple[str, BreathingSpaceHoldStarted]:
    """`notify_standard_space`, then the hold the service broadcasts for it, heard on `bus`."""
    moratorium = await notify_standard_space(person, debts, **notified)
    [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
    return moratorium, started


async def confirmed_by(moratorium: str, hold_version: int, debt_ids: list[UUID], *services: str) -> None:
    """Each named service confirms holding the debts under that version of the hold."""
    for service in services:
        confirmation = CONFIRMATIONS[service](
            moratorium_reference=moratorium, hold_version=hold_version, confirmed_debt_ids=debt_ids
        )
        await publish(confirmation, producer=service)


async def on_the_status_page(http: httpx.AsyncClient, section: str, moratorium: str) -> list[dict[str, Any]]:
    """The moratorium's entries in one section of the status page (open_moratoria, unconfirmed_holds, ...)."""
    status = (await http.get("/status")).json()
    return [entry for entry in status[section] if entry["moratorium_reference"] == moratorium]
