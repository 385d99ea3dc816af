"""Bringing one moratorium's hold up to date with everything known: its notifications, the customers and debts
billing has told us about, an officer's decision on a possible match, and the business date.

This is the one place that decides what to broadcast. It is called after a notification is taken in, when
billing's events change the customers or debts a moratorium could cover, when an officer decides a match, and
when the date moves on (daily run, expiry check). Every call re-derives the moratorium from its stored
notifications and compares with what has been broadcast, so calling it twice changes nothing the second time
and events arriving in any order converge:

- the person is matched among the council's customers: an exact match is applied at once; a possible match is
  queued for an officer (the notified debts are held meanwhile, by their reference); no match leaves the
  notified debts held by reference and is shown on the status page;
- the search (reg. 14) finds every debt the matched customers owe, joint debts too; the hold covers them all;
- the first debts covered go out as `BreathingSpaceHoldStarted`, later ones as `BreathingSpaceDebtsAdded`;
  debts found beyond those notified are reported back to the Insolvency Service (`debts_reported_back`
  document, and `breathing_space.debts.reported_back` on the bus);
- once the business date is past the last protected day, `BreathingSpaceHoldEnded` goes out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.domain.customer_matching import (
    CustomerAddress,
    CustomerProjection,
    MatchKind,
    match_debtor,
    name_key,
)
from services.breathing_space.domain.debt_search import DebtProjection, reference_key, search_every_debt
from services.breathing_space.domain.moratorium import (
    DebtSource,
    Moratorium,
    MoratoriumKind,
    MoratoriumStatus,
)
from services.breathing_space.domain.notifications import (
    BreathingSpaceNotification,
    Cancelled,
    EndedEarly,
    NotifiedDebt,
    parse_notification,
    render_notification,
)
from services.breathing_space.domain.report_back import debts_reported_back
from services.breathing_space.service import rules, runtime
from shared.contracts import breathing_space as hold_events
from shared.contracts.envelope import Envelope

log = structlog.get_logger("breathing_space.moratoria")

# Match states that are settled: matching is not run again for them.
_SETTLED_MATCHES = frozenset({"exact", "confirmed", "rejected", "pending"})


async def lock_moratorium(session: AsyncSession, moratorium_reference: str) -> None:
    """Serialise all work on one moratorium (several replicas, several routes) until the transaction ends."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:reference, 7))"),
        {"reference": moratorium_reference},
    )


async def load_moratorium(session: AsyncSession, moratorium_reference: str) -> Moratorium:
    """The moratorium as its stored notifications (inbound and outbound) tell it."""
    moratorium = Moratorium(moratorium_reference, rules.period)
    rows = await session.execute(
        text("SELECT document FROM notification WHERE moratorium_reference = :reference"),
        {"reference": moratorium_reference},
    )
    for (document,) in rows:
        parsed = parse_notification(document)
        if parsed.notification is not None:  # stored only once accepted, so always true
            moratorium.apply(parsed.notification)
    return moratorium


@dataclass
class _Row:
    exists: bool
    match_state: str
    customer_ids: list[UUID]
    searched_on: date | None
    hold_version: int
    hold_started: bool
    hold_ended: bool
    explanation: str | None = None


async def _current_row(session: AsyncSession, moratorium_reference: str) -> _Row:
    row = (
        await session.execute(
            text(
                "SELECT match_state, customer_ids, searched_on, hold_version, hold_started, hold_ended "
                "FROM moratorium WHERE moratorium_reference = :reference"
            ),
            {"reference": moratorium_reference},
        )
    ).first()
    if row is None:
        return _Row(False, "awaiting_start", [], None, 0, False, False)
    return _Row(True, row[0], list(row[1]), row[2], row[3], row[4], row[5])


def notified_debts(moratorium: Moratorium) -> list[NotifiedDebt]:
    """The debts the Insolvency Service notified (at the start or added later), not those we found."""
    return [
        NotifiedDebt(
            creditor_reference=d.creditor_reference, debt_type=d.debt_type, amount_pence=d.amount_pence
        )
        for d in moratorium.covered_debts()
        if d.source is not DebtSource.FOUND_BY_SEARCH
    ]


async def bring_moratorium_up_to_date(
    session: AsyncSession,
    moratorium_reference: str,
    today: date,
    *,
    causation: Envelope | None = None,
) -> None:
    """Match, search, hold, report back and end, as far as everything known today allows (see module doc)."""
    await lock_moratorium(session, moratorium_reference)
    moratorium = await load_moratorium(session, moratorium_reference)
    row = await _current_row(session, moratorium_reference)
    notified = notified_debts(moratorium)
    notified_keys = sorted({reference_key(d.creditor_reference) for d in notified})
    notes = moratorium.anomalies()

    if moratorium.start_date is None:
        await _save(session, moratorium, row, today, notified_keys, notes)
        return

    if row.match_state not in _SETTLED_MATCHES:
        await _match(session, moratorium, row, notified)
    if row.searched_on is None:
        row.searched_on = today

    search, projections = await _search(session, row, notified, notified_keys)
    notes += [
        f"notified debt {ref} is not known to billing (or already paid)"
        for ref in search.notified_but_not_found
    ]
    # The search covers debts owed when the council searched; a debt raised afterwards is an ongoing liability
    # (unless the Insolvency Service notifies it, which a later `debts_added` does).
    to_hold = [
        d
        for d in search.owed
        if d in search.notified_and_found
        or (projections[d][1] is None or projections[d][1] <= row.searched_on)
    ]
    held = await _held_debt_ids(session, moratorium_reference)
    new = [d for d in to_hold if projections[d][0] not in held]

    never_active = moratorium.end_date is not None and moratorium.end_date < moratorium.start_date
    if new and not row.hold_ended and not never_active:  # ended before it started: nothing to hold
        await _cover(session, moratorium, row, new, search.notified_and_found, projections, today, causation)

    end = moratorium.end_date
    if row.hold_started and not row.hold_ended and end is not None and today > end:
        await _end(session, moratorium, row, end, causation)

    await _save(session, moratorium, row, today, notified_keys, notes)


async def _match(
    session: AsyncSession, moratorium: Moratorium, row: _Row, notified: list[NotifiedDebt]
) -> None:
    debtor = moratorium.debtor
    assert debtor is not None  # a started moratorium has at least its start notification
    customers = await _candidate_customers(session, moratorium, notified)
    outcome = match_debtor(debtor, notified, customers, rules.matching)
    if outcome.kind is MatchKind.EXACT:
        row.match_state = "exact"
        row.customer_ids = [UUID(c) for c in outcome.customer_ids_to_apply]
        log.info("debtor matched exactly", moratorium_reference=moratorium.moratorium_reference)
    elif outcome.kind is MatchKind.POSSIBLE:
        row.match_state = "pending"
        candidates = [
            {"customer_id": c.customer_id, "score": c.score, "reasons": list(c.reasons), "exact": c.exact}
            for c in outcome.candidates
        ]
        await session.execute(
            text(
                "INSERT INTO pending_match (moratorium_reference, explanation, candidates) "
                "VALUES (:reference, :explanation, CAST(:candidates AS jsonb)) "
                "ON CONFLICT (moratorium_reference) DO NOTHING"
            ),
            {
                "reference": moratorium.moratorium_reference,
                "explanation": outcome.explanation,
                "candidates": _json(candidates),
            },
        )
        log.warning(
            "possible match queued for an officer",
            moratorium_reference=moratorium.moratorium_reference,
            candidates=len(candidates),
        )
    else:
        row.match_state = "none"
    row.explanation = outcome.explanation


def _json(value: Any) -> str:
    return json.dumps(value)


async def _candidate_customers(
    session: AsyncSession, moratorium: Moratorium, notified: list[NotifiedDebt]
) -> list[CustomerProjection]:
    """Customers worth scoring: sharing a surname, date of birth, postcode or reference with the debtor."""
    debtor = moratorium.debtor
    assert debtor is not None
    surnames = sorted({name_key(debtor.surname), *(name_key(n.surname) for n in debtor.previous_names)})
    postcodes = sorted({a.postcode for a in (debtor.current_address, *debtor.previous_addresses)})
    references = sorted({reference_key(d.creditor_reference) for d in notified})
    rows = await session.execute(
        text(
            """
            SELECT c.customer_id, c.forenames, c.surname, c.date_of_birth, c.addresses, c.reference_keys,
                   coalesce((SELECT array_agg(d.reference_key) FROM debt d
                             WHERE d.customer_ids @> ARRAY[c.customer_id] AND d.reference_key IS NOT NULL),
                            '{}') AS debt_references
            FROM customer c
            WHERE c.kind = 'person' AND (
                  c.surname_key = ANY(CAST(:surnames AS text[]))
               OR c.date_of_birth = :date_of_birth
               OR c.postcode_keys && CAST(:postcodes AS text[])
               OR c.reference_keys && CAST(:references AS text[])
               OR c.customer_id IN (SELECT unnest(d.customer_ids) FROM debt d
                                    WHERE d.reference_key = ANY(CAST(:references AS text[]))))
            """
        ),
        {
            "surnames": surnames,
            "date_of_birth": debtor.date_of_birth,
            "postcodes": postcodes,
            "references": references,
        },
    )
    customers = []
    for customer_id, forenames, surname, born, addresses, refs, debt_refs in rows:
        address_list = [CustomerAddress(lines=tuple(a["lines"]), postcode=a["postcode"]) for a in addresses]
        customers.append(
            CustomerProjection(
                customer_id=str(customer_id),
                forenames=forenames or "",
                surname=surname or "",
                date_of_birth=born,
                current_address=address_list[0] if address_list else None,
                previous_addresses=tuple(address_list[1:]),
                references=frozenset([*refs, *debt_refs]),
            )
        )
    return customers


async def _search(
    session: AsyncSession, row: _Row, notified: list[NotifiedDebt], notified_keys: list[str]
) -> tuple[Any, dict[DebtProjection, tuple[UUID, date | None]]]:
    """Every debt owed by the matched customers, or known by a notified reference (see domain/debt_search)."""
    rows = await session.execute(
        text(
            """
            SELECT debt_id, customer_ids, debt_type, external_reference, balance_pence, raised_on FROM debt
            WHERE closed IS NULL AND external_reference IS NOT NULL
              AND (customer_ids && CAST(:customers AS uuid[]) OR reference_key = ANY(CAST(:references AS text[])))
            """
        ),
        {"customers": [str(c) for c in row.customer_ids], "references": notified_keys},
    )
    projections: dict[DebtProjection, tuple[UUID, date | None]] = {}
    for debt_id, customer_ids, debt_type, external_reference, balance, raised_on in rows:
        projection = DebtProjection(
            debt_reference=external_reference,
            debt_type=debt_type,
            liable_customer_ids=frozenset(str(c) for c in customer_ids),
            balance_pence=balance or 0,
            other_references=frozenset({str(debt_id)}),
        )
        projections[projection] = (debt_id, raised_on)
    result = search_every_debt([str(c) for c in row.customer_ids], projections.keys(), notified)
    return result, projections


async def _held_debt_ids(session: AsyncSession, moratorium_reference: str) -> set[UUID]:
    rows = await session.execute(
        text("SELECT debt_id FROM held_debt WHERE moratorium_reference = :reference"),
        {"reference": moratorium_reference},
    )
    return {r[0] for r in rows}


async def _cover(
    session: AsyncSession,
    moratorium: Moratorium,
    row: _Row,
    new: list[DebtProjection],
    notified_and_found: tuple[DebtProjection, ...],
    projections: dict[DebtProjection, tuple[UUID, date | None]],
    today: date,
    causation: Envelope | None,
) -> None:
    """Hold the new debts (start the hold, or add to it) and report back the ones found beyond those notified."""
    reference = moratorium.moratorium_reference
    assert moratorium.start_date is not None and moratorium.kind is not None
    found_beyond = [d for d in new if d not in notified_and_found]
    report_reference = None
    if found_beyond:
        report_reference = await _report_back(
            session, moratorium, found_beyond, projections, today, causation
        )
    row.hold_version += 1
    debt_ids = [projections[d][0] for d in new]
    await session.execute(
        text(
            "INSERT INTO held_debt (moratorium_reference, debt_id, creditor_reference, debt_type, source, "
            "hold_version, reported_back_in) "
            "SELECT :reference, unnest(CAST(:debt_ids AS uuid[])), unnest(CAST(:refs AS text[])), "
            "unnest(CAST(:types AS text[])), unnest(CAST(:sources AS text[])), :version, "
            "unnest(CAST(:reports AS text[]))"
        ),
        {
            "reference": reference,
            "debt_ids": [str(i) for i in debt_ids],
            "refs": [d.debt_reference for d in new],
            "types": [d.debt_type for d in new],
            "sources": ["notified" if d in notified_and_found else "found_by_search" for d in new],
            "version": row.hold_version,
            "reports": [report_reference if d in found_beyond else None for d in new],
        },
    )
    change = "debts_added" if row.hold_started else "started"
    await _record_broadcast(session, reference, row.hold_version, change, debt_ids)
    if not row.hold_started:
        message: Any = hold_events.BreathingSpaceHoldStarted(
            moratorium_reference=reference,
            hold_version=row.hold_version,
            kind=moratorium.kind.value,
            starts_on=moratorium.start_date,
            expected_end_on=moratorium.end_date,
            customer_ids=row.customer_ids,
            debt_ids=debt_ids,
        )
        row.hold_started = True
    else:
        message = hold_events.BreathingSpaceDebtsAdded(
            moratorium_reference=reference,
            hold_version=row.hold_version,
            starts_on=moratorium.start_date,
            debt_ids=debt_ids,
        )
    await runtime.outbox.add(session, message, causation=causation)
    log.info("hold broadcast", moratorium_reference=reference, hold_version=row.hold_version, change=change)


async def _report_back(
    session: AsyncSession,
    moratorium: Moratorium,
    found: list[DebtProjection],
    projections: dict[DebtProjection, tuple[UUID, date | None]],
    today: date,
    causation: Envelope | None,
) -> str:
    """The outbound `debts_reported_back` document: stored as an outbound notification (the moratorium then
    knows the debts as found by search), queued for the outbound folder, and announced on the bus."""
    reference = moratorium.moratorium_reference
    count = (
        await session.execute(
            text("SELECT count(*) FROM debts_report WHERE moratorium_reference = :reference"),
            {"reference": reference},
        )
    ).scalar_one()
    report_reference = f"BSR-{reference}-{count + 1}"
    debtor = moratorium.debtor
    assert debtor is not None
    document = debts_reported_back(
        moratorium_reference=reference,
        notification_reference=report_reference,
        issued_at=datetime.now(UTC),
        reported_on=today,
        debtor=debtor,
        creditor_name=rules.creditor_name,
        found=found,
    )
    assert document is not None  # `found` is never empty here
    rendered = render_notification(document)
    debt_ids = [projections[d][0] for d in found]
    await store_notification(session, document, rendered, direction="outbound", received_document_id=None)
    await session.execute(
        text(
            "INSERT INTO debts_report (report_reference, moratorium_reference, reported_on, debt_ids, document) "
            "VALUES (:report, :reference, :reported_on, CAST(:debt_ids AS uuid[]), :document)"
        ),
        {
            "report": report_reference,
            "reference": reference,
            "reported_on": today,
            "debt_ids": [str(i) for i in debt_ids],
            "document": rendered,
        },
    )
    await runtime.outbox.add(
        session,
        hold_events.DebtsReportedBack(
            moratorium_reference=reference,
            debt_ids=debt_ids,
            reported_on=today,
            report_reference=report_reference,
            document=rendered,
        ),
        causation=causation,
    )
    log.info("debts reported back", moratorium_reference=reference, debts=len(found))
    return report_reference


async def store_notification(
    session: AsyncSession,
    notification: BreathingSpaceNotification,
    document: str,
    *,
    direction: str,
    received_document_id: int | None,
) -> bool:
    """Keep an accepted notification; False when the same reference and version is already held (duplicate)."""
    inserted = await session.execute(
        text(
            "INSERT INTO notification (notification_reference, version, moratorium_reference, kind, direction, "
            "issued_at, document, received_document_id) VALUES (:ref, :version, :moratorium, :kind, :direction, "
            ":issued_at, :document, :received) ON CONFLICT DO NOTHING RETURNING 1"
        ),
        {
            "ref": notification.notification_reference,
            "version": notification.version,
            "moratorium": notification.moratorium_reference,
            "kind": notification.kind.value,
            "direction": direction,
            "issued_at": notification.issued_at,
            "document": document,
            "received": received_document_id,
        },
    )
    return inserted.first() is not None


async def _record_broadcast(
    session: AsyncSession, reference: str, version: int, change: str, debt_ids: list[UUID]
) -> None:
    await session.execute(
        text(
            "INSERT INTO hold_broadcast (moratorium_reference, hold_version, change, debt_ids) "
            "VALUES (:reference, :version, :change, CAST(:debt_ids AS uuid[]))"
        ),
        {
            "reference": reference,
            "version": version,
            "change": change,
            "debt_ids": [str(i) for i in debt_ids],
        },
    )


def _how_it_ended(moratorium: Moratorium) -> tuple[str, str | None]:
    reason = moratorium.end_reason
    if reason is MoratoriumStatus.CANCELLED:
        cancelled = [n for n in moratorium.notifications() if isinstance(n, Cancelled)]
        return "cancelled", cancelled[0].reason if cancelled else None
    if reason is MoratoriumStatus.ENDED_EARLY:
        ended = [n for n in moratorium.notifications() if isinstance(n, EndedEarly)]
        return "ended_early", ended[0].reason if ended else None
    if moratorium.kind is MoratoriumKind.MENTAL_HEALTH_CRISIS and moratorium.treatment_ended_on is not None:
        return "crisis_treatment_ended", None
    return "expired", None


async def _end(
    session: AsyncSession, moratorium: Moratorium, row: _Row, end: date, causation: Envelope | None
) -> None:
    reference = moratorium.moratorium_reference
    held = sorted(await _held_debt_ids(session, reference))
    how, reason = _how_it_ended(moratorium)
    row.hold_version += 1
    row.hold_ended = True
    await _record_broadcast(
        session, reference, row.hold_version, "cancelled" if how == "cancelled" else "ended", held
    )
    await runtime.outbox.add(
        session,
        hold_events.BreathingSpaceHoldEnded(
            moratorium_reference=reference,
            hold_version=row.hold_version,
            how=how,
            last_protected_day=end,
            debt_ids=held,
            reason=reason,
        ),
        causation=causation,
    )
    log.info("hold ended", moratorium_reference=reference, how=how, hold_version=row.hold_version)


def debtor_keys(moratorium: Moratorium, notified_keys: list[str]) -> list[str]:
    """What the debtor could be found by: `s:` surnames, `d:` date of birth, `p:` postcodes, `r:` references
    (the same keys `customers_and_debts.customer_keys` gives a customer)."""
    debtor = moratorium.debtor
    if debtor is None:
        return []
    keys = {f"s:{name_key(debtor.surname)}", f"d:{debtor.date_of_birth.isoformat()}"}
    keys |= {f"s:{name_key(n.surname)}" for n in debtor.previous_names}
    keys |= {f"p:{a.postcode}" for a in (debtor.current_address, *debtor.previous_addresses)}
    keys |= {f"r:{k}" for k in notified_keys}
    return sorted(keys)


async def _save(
    session: AsyncSession,
    moratorium: Moratorium,
    row: _Row,
    today: date,
    notified_keys: list[str],
    notes: list[str],
) -> None:
    status = moratorium.status(today).value
    await session.execute(
        text(
            """
            INSERT INTO moratorium (moratorium_reference, kind, start_date, end_date, status, match_state,
                match_explanation, customer_ids, notified_reference_keys, searched_on, hold_version,
                hold_started, hold_ended, notes, debtor_keys, updated_at)
            VALUES (:reference, :kind, :start, :end, :status, :match_state, :explanation,
                CAST(:customers AS uuid[]), CAST(:refs AS text[]), :searched_on, :version, :started, :ended,
                CAST(:notes AS jsonb), CAST(:debtor_keys AS text[]), now())
            ON CONFLICT (moratorium_reference) DO UPDATE SET kind = EXCLUDED.kind,
                start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, status = EXCLUDED.status,
                match_state = EXCLUDED.match_state,
                match_explanation = coalesce(EXCLUDED.match_explanation, moratorium.match_explanation),
                customer_ids = EXCLUDED.customer_ids, notified_reference_keys = EXCLUDED.notified_reference_keys,
                searched_on = EXCLUDED.searched_on, hold_version = EXCLUDED.hold_version,
                hold_started = EXCLUDED.hold_started, hold_ended = EXCLUDED.hold_ended, notes = EXCLUDED.notes,
                debtor_keys = EXCLUDED.debtor_keys, updated_at = now()
            """
        ),
        {
            "reference": moratorium.moratorium_reference,
            "kind": moratorium.kind.value if moratorium.kind else None,
            "start": moratorium.start_date,
            "end": moratorium.end_date,
            "status": status,
            "match_state": row.match_state,
            "explanation": row.explanation,
            "customers": [str(c) for c in row.customer_ids],
            "refs": notified_keys,
            "searched_on": row.searched_on if moratorium.start_date is not None else None,
            "version": row.hold_version,
            "started": row.hold_started,
            "ended": row.hold_ended,
            "notes": _json(notes),
            "debtor_keys": debtor_keys(moratorium, notified_keys),
        },
    )


async def moratoria_touching(
    session: AsyncSession, customer_ids: list[UUID], reference_keys: list[str]
) -> list[str]:
    """Open moratoria whose matched customers or notified references include these (billing's news)."""
    rows = await session.execute(
        text(
            "SELECT moratorium_reference FROM moratorium WHERE NOT hold_ended AND start_date IS NOT NULL AND "
            "(customer_ids && CAST(:customers AS uuid[]) OR notified_reference_keys && CAST(:refs AS text[])) "
            "ORDER BY moratorium_reference"
        ),
        {"customers": [str(c) for c in customer_ids], "refs": reference_keys},
    )
    return [r[0] for r in rows]
