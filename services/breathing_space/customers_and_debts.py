"""The council's customers and debts as breathing space needs them, built from billing's events.

Matching needs each customer's name, date of birth, addresses and references; the search needs each debt's
liable customers, reference, type and balance. When a debt or customer arrives that an open moratorium could
cover (events arrive in any order: a debt may be raised, or billing's event may arrive, after the notification),
that moratorium is brought up to date, so a hold that arrived first is applied when the debt arrives.
"""

from __future__ import annotations

import json
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.domain.customer_matching import name_key
from services.breathing_space.domain.debt_search import reference_key
from services.breathing_space.domain.notifications import normalise_postcode
from services.breathing_space.moratoria import bring_moratorium_up_to_date, moratoria_touching
from services.breathing_space.service import runtime
from shared.clock import clock
from shared.contracts.billing import (
    BalanceChanged,
    CustomerAmended,
    CustomerRegistered,
    DebtCancelled,
    DebtRaised,
    DebtReinstated,
    DebtSettled,
    DebtWrittenOff,
)
from shared.contracts.council_systems import LiableParty
from shared.contracts.envelope import Envelope


async def _keep_customer(session: AsyncSession, customer_id: UUID, identity: LiableParty) -> None:
    addresses = [identity.address, *identity.previous_addresses]
    await session.execute(
        text(
            """
            INSERT INTO customer (customer_id, kind, forenames, surname, surname_key, date_of_birth, addresses,
                postcode_keys, reference_keys)
            VALUES (:id, :kind, :forenames, :surname, :surname_key, :born, CAST(:addresses AS jsonb),
                CAST(:postcodes AS text[]), CAST(:refs AS text[]))
            ON CONFLICT (customer_id) DO UPDATE SET kind = EXCLUDED.kind, forenames = EXCLUDED.forenames,
                surname = EXCLUDED.surname, surname_key = EXCLUDED.surname_key,
                date_of_birth = EXCLUDED.date_of_birth, addresses = EXCLUDED.addresses,
                postcode_keys = EXCLUDED.postcode_keys, reference_keys = EXCLUDED.reference_keys, updated_at = now()
            """
        ),
        {
            "id": customer_id,
            "kind": identity.kind,
            "forenames": identity.first_names,
            "surname": identity.surname,
            "surname_key": name_key(identity.surname) if identity.surname else None,
            "born": identity.date_of_birth,
            "addresses": json.dumps([{"lines": a.lines, "postcode": a.postcode} for a in addresses]),
            "postcodes": sorted({normalise_postcode(a.postcode) for a in addresses}),
            "refs": sorted({reference_key(r) for r in identity.references.values() if r.strip()}),
        },
    )
    # A moratorium that matched nobody is tried again: the debtor may be this new or corrected customer.
    unmatched = await session.execute(
        text(
            "SELECT moratorium_reference FROM moratorium "
            "WHERE match_state = 'none' AND NOT hold_ended AND start_date IS NOT NULL ORDER BY 1"
        )
    )
    for (reference,) in unmatched.all():
        await bring_moratorium_up_to_date(session, reference, clock.today())


@runtime.inbox.handles(CustomerRegistered)
async def customer_registered(session: AsyncSession, message: CustomerRegistered, envelope: Envelope) -> None:
    """Keep the new customer's identity for matching."""
    await _keep_customer(session, message.customer_id, message.identity)


@runtime.inbox.handles(CustomerAmended)
async def customer_amended(session: AsyncSession, message: CustomerAmended, envelope: Envelope) -> None:
    """Keep the customer's corrected identity for matching."""
    await _keep_customer(session, message.customer_id, message.identity)


async def _bring_touched_moratoria_up_to_date(
    session: AsyncSession, customer_ids: list[UUID], references: list[str], envelope: Envelope
) -> None:
    for reference in await moratoria_touching(session, customer_ids, references):
        await bring_moratorium_up_to_date(session, reference, clock.today(), causation=envelope)


@runtime.inbox.handles(DebtRaised)
async def debt_raised(session: AsyncSession, message: DebtRaised, envelope: Envelope) -> None:
    """Keep the debt for the search; an open moratorium of one of its customers (or notifying its reference)
    now covers it."""
    key = reference_key(message.external_reference)
    await session.execute(
        text(
            """
            INSERT INTO debt (debt_id, customer_ids, debt_type, external_reference, reference_key, raised_on,
                balance_pence)
            VALUES (:id, CAST(:customers AS uuid[]), :type, :ref, :key, :raised_on, :amount)
            ON CONFLICT (debt_id) DO UPDATE SET customer_ids = EXCLUDED.customer_ids,
                debt_type = EXCLUDED.debt_type, external_reference = EXCLUDED.external_reference,
                reference_key = EXCLUDED.reference_key, raised_on = EXCLUDED.raised_on,
                -- a balance change that arrived first is newer than the amount raised
                balance_pence = coalesce(debt.balance_pence, EXCLUDED.balance_pence), updated_at = now()
            """
        ),
        {
            "id": message.debt_id,
            "customers": [str(c) for c in message.customer_ids],
            "type": message.debt_type,
            "ref": message.external_reference,
            "key": key,
            "raised_on": message.raised_on,
            "amount": message.amount_pence,
        },
    )
    await _bring_touched_moratoria_up_to_date(session, message.customer_ids, [key], envelope)


_KEEP_BALANCES = text(
    """
    WITH incoming AS (
        SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[]), CAST(:balances AS bigint[]),
                             CAST(:customers AS text[])) AS t(debt_id, debt_type, balance, customers)
    ), before AS (
        SELECT d.debt_id, d.balance_pence FROM debt d JOIN incoming USING (debt_id)
    ), kept AS (
        INSERT INTO debt (debt_id, customer_ids, debt_type, balance_pence)
        SELECT debt_id, CAST(string_to_array(customers, ',') AS uuid[]), debt_type, balance FROM incoming
        ON CONFLICT (debt_id) DO UPDATE SET balance_pence = EXCLUDED.balance_pence, updated_at = now()
        RETURNING debt_id, balance_pence, customer_ids
    )
    SELECT kept.customer_ids FROM kept LEFT JOIN before USING (debt_id)
    WHERE kept.balance_pence > 0 AND (before.balance_pence IS NULL OR before.balance_pence <= 0)
    """
)


@runtime.inbox.handles_batch(BalanceChanged)
async def balances_changed(session: AsyncSession, batch: list[tuple[BalanceChanged, Envelope]]) -> None:
    """Keep each debt's balance (the search covers debts with money owing), many at once: balance changes are
    the busiest of billing's events. A debt owing again may now be covered by an open moratorium."""
    latest = {message.debt_id: message for message, _ in batch}  # in arrival order: the last one stands
    revived = await session.execute(
        _KEEP_BALANCES,
        {
            "ids": [str(d) for d in latest],
            "types": [m.debt_type for m in latest.values()],
            "balances": [m.balance_pence for m in latest.values()],
            "customers": [",".join(str(c) for c in m.customer_ids) for m in latest.values()],
        },
    )
    customers = sorted({c for (ids,) in revived for c in ids})
    if customers:
        await _bring_touched_moratoria_up_to_date(session, customers, [], batch[-1][1])


async def _close(session: AsyncSession, debt_id: UUID, why: str | None) -> None:
    await session.execute(
        text(
            "INSERT INTO debt (debt_id, closed) VALUES (:id, :why) "
            "ON CONFLICT (debt_id) DO UPDATE SET closed = EXCLUDED.closed, updated_at = now()"
        ),
        {"id": debt_id, "why": why},
    )


@runtime.inbox.handles(DebtSettled)
async def debt_settled(session: AsyncSession, message: DebtSettled, envelope: Envelope) -> None:
    """A settled debt is no longer owed: later searches leave it out (a hold already on it stays)."""
    await _close(session, message.debt_id, "settled")


@runtime.inbox.handles(DebtCancelled)
async def debt_cancelled(session: AsyncSession, message: DebtCancelled, envelope: Envelope) -> None:
    """A cancelled debt was never owed: later searches leave it out."""
    await _close(session, message.debt_id, "cancelled")


@runtime.inbox.handles(DebtWrittenOff)
async def debt_written_off(session: AsyncSession, message: DebtWrittenOff, envelope: Envelope) -> None:
    """A written-off debt is not pursued: later searches leave it out until it is reinstated."""
    await _close(session, message.debt_id, "written_off")


@runtime.inbox.handles(DebtReinstated)
async def debt_reinstated(session: AsyncSession, message: DebtReinstated, envelope: Envelope) -> None:
    """A reinstated debt is owed again: an open moratorium of its customers covers it."""
    await _close(session, message.debt_id, None)
    customers = await session.execute(
        text("SELECT customer_ids FROM debt WHERE debt_id = :id"), {"id": message.debt_id}
    )
    await _bring_touched_moratoria_up_to_date(session, list(customers.scalar_one() or []), [], envelope)
