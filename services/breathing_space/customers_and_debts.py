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

_SEPARATOR = "\x1f"  # joins a customer's postcodes or references into one array element (never inside either)

_KEEP_CUSTOMERS = text(
    """
    INSERT INTO customer (customer_id, kind, forenames, surname, surname_key, date_of_birth, addresses,
        postcode_keys, reference_keys)
    SELECT id, kind, forenames, surname, surname_key, born, CAST(addresses AS jsonb),
        string_to_array(postcodes, E'\\x1f'), string_to_array(refs, E'\\x1f')
    FROM unnest(CAST(:ids AS uuid[]), CAST(:kinds AS text[]), CAST(:forenames AS text[]),
        CAST(:surnames AS text[]), CAST(:surname_keys AS text[]), CAST(:borns AS date[]),
        CAST(:addresses AS text[]), CAST(:postcodes AS text[]), CAST(:refs AS text[]))
        AS t(id, kind, forenames, surname, surname_key, born, addresses, postcodes, refs)
    ON CONFLICT (customer_id) DO UPDATE SET kind = EXCLUDED.kind, forenames = EXCLUDED.forenames,
        surname = EXCLUDED.surname, surname_key = EXCLUDED.surname_key, date_of_birth = EXCLUDED.date_of_birth,
        addresses = EXCLUDED.addresses, postcode_keys = EXCLUDED.postcode_keys,
        reference_keys = EXCLUDED.reference_keys, updated_at = now()
    """
)


def customer_keys(identity: LiableParty) -> set[str]:
    """What a customer could be found by, in the keys `moratoria.debtor_keys` gives a notified debtor."""
    keys = {f"p:{normalise_postcode(a.postcode)}" for a in [identity.address, *identity.previous_addresses]}
    keys |= {f"r:{reference_key(r)}" for r in identity.references.values() if r.strip()}
    if identity.surname:
        keys.add(f"s:{name_key(identity.surname)}")
    if identity.date_of_birth:
        keys.add(f"d:{identity.date_of_birth.isoformat()}")
    return keys


async def _keep_customers(session: AsyncSession, batch: list[tuple[UUID, LiableParty]]) -> None:
    latest = dict(batch)  # in arrival order: the last identity of a customer stands
    identities = list(latest.values())
    await session.execute(
        _KEEP_CUSTOMERS,
        {
            "ids": [str(c) for c in latest],
            "kinds": [i.kind for i in identities],
            "forenames": [i.first_names for i in identities],
            "surnames": [i.surname for i in identities],
            "surname_keys": [name_key(i.surname) if i.surname else None for i in identities],
            "borns": [i.date_of_birth for i in identities],
            "addresses": [
                json.dumps(
                    [{"lines": a.lines, "postcode": a.postcode} for a in [i.address, *i.previous_addresses]]
                )
                for i in identities
            ],
            "postcodes": [
                _SEPARATOR.join(
                    sorted({normalise_postcode(a.postcode) for a in [i.address, *i.previous_addresses]})
                )
                for i in identities
            ],
            "refs": [
                _SEPARATOR.join(sorted({reference_key(r) for r in i.references.values() if r.strip()}))
                for i in identities
            ],
        },
    )
    # A moratorium that matched nobody is tried again when a customer it could match arrives or changes.
    keys = sorted(set().union(*(customer_keys(i) for i in identities)))
    unmatched = await session.execute(
        text(
            "SELECT moratorium_reference FROM moratorium WHERE match_state = 'none' AND NOT hold_ended "
            "AND start_date IS NOT NULL AND debtor_keys && CAST(:keys AS text[]) ORDER BY 1"
        ),
        {"keys": keys},
    )
    for (reference,) in unmatched.all():
        await bring_moratorium_up_to_date(session, reference, clock.today())


@runtime.inbox.handles_batch(CustomerRegistered)
async def customers_registered(
    session: AsyncSession, batch: list[tuple[CustomerRegistered, Envelope]]
) -> None:
    """Keep new customers' identities for matching (many at once: billing's annual run registers thousands)."""
    await _keep_customers(session, [(m.customer_id, m.identity) for m, _ in batch])


@runtime.inbox.handles_batch(CustomerAmended)
async def customers_amended(session: AsyncSession, batch: list[tuple[CustomerAmended, Envelope]]) -> None:
    """Keep customers' corrected identities for matching."""
    await _keep_customers(session, [(m.customer_id, m.identity) for m, _ in batch])


async def _bring_touched_moratoria_up_to_date(
    session: AsyncSession, customer_ids: list[UUID], references: list[str], envelope: Envelope
) -> None:
    for reference in await moratoria_touching(session, customer_ids, references):
        await bring_moratorium_up_to_date(session, reference, clock.today(), causation=envelope)


_KEEP_DEBTS = text(
    """
    INSERT INTO debt (debt_id, customer_ids, debt_type, external_reference, reference_key, raised_on, balance_pence)
    SELECT id, CAST(string_to_array(customers, ',') AS uuid[]), debt_type, ref, key, raised_on, amount
    FROM unnest(CAST(:ids AS uuid[]), CAST(:customers AS text[]), CAST(:types AS text[]), CAST(:refs AS text[]),
        CAST(:keys AS text[]), CAST(:raised AS date[]), CAST(:amounts AS bigint[]))
        AS t(id, customers, debt_type, ref, key, raised_on, amount)
    ON CONFLICT (debt_id) DO UPDATE SET customer_ids = EXCLUDED.customer_ids, debt_type = EXCLUDED.debt_type,
        external_reference = EXCLUDED.external_reference, reference_key = EXCLUDED.reference_key,
        raised_on = EXCLUDED.raised_on,
        -- a balance change that arrived first is newer than the amount raised
        balance_pence = coalesce(debt.balance_pence, EXCLUDED.balance_pence), updated_at = now()
    """
)


@runtime.inbox.handles_batch(DebtRaised)
async def debts_raised(session: AsyncSession, batch: list[tuple[DebtRaised, Envelope]]) -> None:
    """Keep debts for the search (many at once: billing's annual run raises thousands); an open moratorium of one
    of a debt's customers, or one notifying its reference, now covers it."""
    latest = {message.debt_id: message for message, _ in batch}
    debts = list(latest.values())
    await session.execute(
        _KEEP_DEBTS,
        {
            "ids": [str(d) for d in latest],
            "customers": [",".join(str(c) for c in d.customer_ids) for d in debts],
            "types": [d.debt_type for d in debts],
            "refs": [d.external_reference for d in debts],
            "keys": [reference_key(d.external_reference) for d in debts],
            "raised": [d.raised_on for d in debts],
            "amounts": [d.amount_pence for d in debts],
        },
    )
    customers = sorted({c for d in debts for c in d.customer_ids})
    references = sorted({reference_key(d.external_reference) for d in debts})
    await _bring_touched_moratoria_up_to_date(session, customers, references, batch[-1][1])


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
