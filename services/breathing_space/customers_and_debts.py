"""The council's customers and debts as breathing space needs them, built from billing's events.

Matching needs each customer's name, date of birth, addresses and references; the search needs each debt's
liable customers, reference, type and balance. When a debt or customer arrives that an open moratorium could
cover (events arrive in any order: a debt may be raised, or billing's event may arrive, after the notification),
that moratorium is brought up to date, so a hold that arrived first is applied when the debt arrives.

A debt comes to belong to the person when it is raised against them, when it is owed again, when a billing
officer confirms that a provisional customer is them (`CustomerMatchResolved`: billing merges the records and
moves the debts), or when billing transfers it to them (`DebtTransferred`). Each brings it into every open
moratorium covering it, whatever order the events arrive in; a debt transferred away from the person stays held
where it already is (a hold, once broadcast, is only ended by the moratorium's end).
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from services.breathing_space.breathing_space_service import BreathingSpaceHandling, breathing_space_router
from services.breathing_space.domain.debt_search import reference_key
from services.breathing_space.domain.finding_keys import customer_keys
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from shared.contracts.billing import (
    BalancesChanged,
    CustomerAmended,
    CustomerMatchResolved,
    CustomerRegistered,
    DebtCancelled,
    DebtRaised,
    DebtReinstated,
    DebtSettled,
    DebtTransferred,
    DebtWrittenOff,
    each_balance_change,
)
from shared.contracts.council_systems import LiableParty
from shared.contracts.envelope import Envelope

router = breathing_space_router()


async def _keep_customers(handling: BreathingSpaceHandling, batch: list[tuple[UUID, LiableParty]]) -> None:
    latest = dict(batch)  # in arrival order: the last identity of a customer stands
    await handling.stores.customers.keep(latest)
    # A moratorium that matched nobody is tried again when a customer it could match arrives or changes.
    keys = sorted(set().union(*(customer_keys(i) for i in latest.values())))
    for reference in await handling.stores.moratoria.unmatched_sharing_keys(keys):
        await bring_moratorium_up_to_date(handling, reference, handling.service.clock.today())


@router.handles_batch(CustomerRegistered)
async def customers_registered(
    batch: list[tuple[CustomerRegistered, Envelope]], handling: BreathingSpaceHandling
) -> None:
    """Keep new customers' identities for matching (many at once: billing's annual run registers thousands)."""
    await _keep_customers(handling, [(m.customer_id, m.identity) for m, _ in batch])


@router.handles_batch(CustomerAmended)
async def customers_amended(
    batch: list[tuple[CustomerAmended, Envelope]], handling: BreathingSpaceHandling
) -> None:
    """Keep customers' corrected identities for matching."""
    await _keep_customers(handling, [(m.customer_id, m.identity) for m, _ in batch])


async def _bring_touched_moratoria_up_to_date(
    handling: BreathingSpaceHandling,
    customer_ids: Sequence[UUID],
    references: Sequence[str],
    envelope: Envelope | None,
) -> None:
    for reference in await handling.stores.moratoria.touching(customer_ids, references):
        await bring_moratorium_up_to_date(
            handling, reference, handling.service.clock.today(), causation=envelope
        )


@router.handles(CustomerMatchResolved)
async def customer_match_resolved(message: CustomerMatchResolved, handling: BreathingSpaceHandling) -> None:
    """An officer in billing confirmed that a provisional customer is an existing one (a merge): the provisional
    record's debts now belong to that person, so every open moratorium of either record covers them at once
    (held, and reported back when beyond those notified). A rejected match changes nothing."""
    if message.outcome != "confirmed" or message.confirmed_customer_id is None:
        return
    into = message.confirmed_customer_id
    if into == message.customer_id:
        return
    await handling.stores.debts.merge_customers(message.customer_id, into, message.decided_by)
    await _bring_touched_moratoria_up_to_date(handling, [message.customer_id, into], [], handling.envelope)


@router.handles(DebtTransferred)
async def debt_transferred(message: DebtTransferred, handling: BreathingSpaceHandling) -> None:
    """Billing corrected who is liable for a debt: it now belongs to the new customers, so an open moratorium of
    one of them covers it at once (held, and reported back when beyond those notified), even if billing's
    `DebtRaised` for it has not arrived yet (it is held once it does: the search needs its reference)."""
    customers = await handling.stores.debts.transfer(message)
    await _bring_touched_moratoria_up_to_date(handling, customers, [], handling.envelope)


@router.handles_batch(DebtRaised)
async def debts_raised(batch: list[tuple[DebtRaised, Envelope]], handling: BreathingSpaceHandling) -> None:
    """Keep debts for the search (many at once: billing's annual run raises thousands); an open moratorium of one
    of a debt's customers, or one notifying its reference, now covers it."""
    debts = list({message.debt_id: message for message, _ in batch}.values())
    # Their liable customers as billing's merges leave them: a debt raised against a record since merged is the
    # person's.
    customers = await handling.stores.debts.keep_raised(debts)
    references = sorted({reference_key(d.external_reference) for d in debts})
    await _bring_touched_moratoria_up_to_date(handling, customers, references, batch[-1][1])


@router.handles_batch(BalancesChanged)
async def balances_changed(
    statements: list[tuple[BalancesChanged, Envelope]], handling: BreathingSpaceHandling
) -> None:
    """Keep each debt's balance (the search covers debts with money owing), many at once: balance changes are
    the busiest of billing's events, stated many to a message. A debt owing again may now be covered by an open
    moratorium."""
    batch = each_balance_change(statements)
    latest = {message.debt_id: message for message, _ in batch}  # in arrival order: the last one stands
    customers = await handling.stores.debts.keep_balances(list(latest.values()))
    if customers:
        await _bring_touched_moratoria_up_to_date(handling, customers, [], batch[-1][1])


@router.handles(DebtSettled)
async def debt_settled(message: DebtSettled, handling: BreathingSpaceHandling) -> None:
    """A settled debt is no longer owed: later searches leave it out (a hold already on it stays)."""
    await handling.stores.debts.close(message.debt_id, "settled")


@router.handles(DebtCancelled)
async def debt_cancelled(message: DebtCancelled, handling: BreathingSpaceHandling) -> None:
    """A cancelled debt was never owed: later searches leave it out."""
    await handling.stores.debts.close(message.debt_id, "cancelled")


@router.handles(DebtWrittenOff)
async def debt_written_off(message: DebtWrittenOff, handling: BreathingSpaceHandling) -> None:
    """A written-off debt is not pursued: later searches leave it out until it is reinstated."""
    await handling.stores.debts.close(message.debt_id, "written_off")


@router.handles(DebtReinstated)
async def debt_reinstated(message: DebtReinstated, handling: BreathingSpaceHandling) -> None:
    """A reinstated debt is owed again: an open moratorium of its customers covers it."""
    await handling.stores.debts.close(message.debt_id, None)
    customers = await handling.stores.debts.customers_of(message.debt_id)
    await _bring_touched_moratoria_up_to_date(handling, customers, [], handling.envelope)
