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

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import UUID

import structlog

from services.breathing_space.breathing_space_service import BreathingSpaceHandling
from services.breathing_space.domain.customer_matching import MatchKind, match_debtor, name_key
from services.breathing_space.domain.customer_merges import searched_customers
from services.breathing_space.domain.debt_search import (
    DebtProjection,
    DebtSearchResult,
    is_moratorium_debt,
    joint_liability,
    reference_key,
    search_every_debt,
)
from services.breathing_space.domain.finding_keys import debtor_keys
from services.breathing_space.domain.hold_lifecycle import (
    SETTLED_MATCHES,
    hold_due_to_end,
    how_it_ended,
    never_active,
    notified_debts,
)
from services.breathing_space.domain.hold_scope import (
    OTHER_PARTIES_WHY,
    OtherPartiesPolicy,
    debt_scope,
    other_parties,
)
from services.breathing_space.domain.moratorium import Moratorium
from services.breathing_space.domain.notifications import (
    NotifiedDebt,
    parse_notification,
    render_notification,
)
from services.breathing_space.domain.report_back import debts_reported_back
from services.breathing_space.stores.debts import SearchedDebt
from services.breathing_space.stores.holds import HeldDebt, NewlyHeldDebt
from services.breathing_space.stores.moratoria import HoldProgress, MoratoriumRecord
from shared.contracts import breathing_space as hold_events
from shared.contracts.envelope import Contract, Envelope

log = structlog.get_logger("breathing_space.moratoria")

Found = dict[DebtProjection, SearchedDebt]
"""Each debt the search considered, with its stored row (id, raised on)."""


async def load_moratorium(handling: BreathingSpaceHandling, moratorium_reference: str) -> Moratorium:
    """The moratorium as its stored notifications (inbound and outbound) tell it."""
    moratorium = Moratorium(moratorium_reference, handling.service.rules.period)
    for document in await handling.stores.notifications.documents_of(moratorium_reference):
        parsed = parse_notification(document)
        if parsed.notification is not None:  # stored only once accepted, so always true
            moratorium.apply(parsed.notification)
    return moratorium


async def bring_moratorium_up_to_date(
    handling: BreathingSpaceHandling,
    moratorium_reference: str,
    today: date,
    *,
    causation: Envelope | None = None,
) -> None:
    """Match, search, hold, report back and end, as far as everything known today allows (see module doc)."""
    stores = handling.stores
    await stores.moratoria.lock(moratorium_reference)
    moratorium = await load_moratorium(handling, moratorium_reference)
    row = await stores.moratoria.progress(moratorium_reference) or HoldProgress.not_yet_recorded()
    notified = notified_debts(moratorium)
    notified_keys = sorted({reference_key(d.creditor_reference) for d in notified})
    notes = moratorium.anomalies()

    if moratorium.start_date is None:
        await _save(handling, moratorium, row, today, notified_keys, notes)
        return

    if row.match_state not in SETTLED_MATCHES:
        row = await _match(handling, moratorium, row, notified)
    searched_on = row.searched_on or today
    row = replace(row, searched_on=searched_on)

    search, found = await _search(handling, row, notified, notified_keys)
    notes += [
        f"notified debt {ref} is not known to billing (or already paid)"
        for ref in search.notified_but_not_found
    ]
    # The moratorium debts are those owed at the application date (reg 6), not when the council searched; a
    # debt raised afterwards is an ongoing liability unless the Insolvency Service notifies it (`debts_added`).
    applied_on = moratorium.application_date
    assert applied_on is not None  # a started moratorium has its start notification
    to_hold = [
        d
        for d in search.owed
        if is_moratorium_debt(
            raised_on=found[d].raised_on,
            application_date=applied_on,
            notified=d in search.notified_and_found,
        )
    ]
    held = await stores.holds.held_debt_ids(moratorium_reference)
    new = [d for d in to_hold if found[d].debt_id not in held]

    end = moratorium.end_date
    if new and not never_active(moratorium):  # ended before it started: nothing to hold
        ended_already = row.hold_ended
        row = await _cover(handling, moratorium, row, new, search.notified_and_found, found, today, causation)
        if ended_already and end is not None:
            # Debts added after the hold ended (an amendment arriving late): held above from the start, so the
            # services void what they did on them inside the period, then the end is restated for them too.
            row = await _end(handling, moratorium, replace(row, hold_ended=False), end, causation)

    if row.hold_started and end != row.broadcast_end:
        row = await _restate_revised_end(handling, moratorium, row, today, causation)

    if end is not None and hold_due_to_end(
        hold_started=row.hold_started, hold_ended=row.hold_ended, last_protected_day=end, today=today
    ):
        row = await _end(handling, moratorium, row, end, causation)

    await _save(handling, moratorium, row, today, notified_keys, notes)


async def _match(
    handling: BreathingSpaceHandling, moratorium: Moratorium, row: HoldProgress, notified: list[NotifiedDebt]
) -> HoldProgress:
    debtor = moratorium.debtor
    assert debtor is not None  # a started moratorium has at least its start notification
    customers = await handling.stores.customers.candidates(
        surname_keys=sorted(
            {name_key(debtor.surname), *(name_key(n.surname) for n in debtor.previous_names)}
        ),
        date_of_birth=debtor.date_of_birth,
        postcodes=sorted({a.postcode for a in (debtor.current_address, *debtor.previous_addresses)}),
        reference_keys=sorted({reference_key(d.creditor_reference) for d in notified}),
    )
    outcome = match_debtor(debtor, notified, customers, handling.service.rules.matching)
    reference = moratorium.moratorium_reference
    if outcome.kind is MatchKind.EXACT:
        log.info("debtor matched exactly", moratorium_reference=reference)
        return replace(
            row,
            match_state="exact",
            customer_ids=tuple(UUID(c) for c in outcome.customer_ids_to_apply),
            explanation=outcome.explanation,
        )
    if outcome.kind is MatchKind.POSSIBLE:
        await handling.stores.matches.queue(reference, outcome.explanation, list(outcome.candidates))
        log.warning(
            "possible match queued for an officer",
            moratorium_reference=reference,
            candidates=len(outcome.candidates),
        )
        return replace(row, match_state="pending", explanation=outcome.explanation)
    return replace(row, match_state="none", explanation=outcome.explanation)


async def _search(
    handling: BreathingSpaceHandling,
    row: HoldProgress,
    notified: list[NotifiedDebt],
    notified_keys: list[str],
) -> tuple[DebtSearchResult, Found]:
    """Every debt owed by the matched customers, or known by a notified reference (see domain/debt_search)."""
    found: Found = {}
    # A moratorium matched to a record billing has since merged searches the record it was merged into too.
    customers = searched_customers(row.customer_ids, await handling.stores.debts.merges())
    for debt in await handling.stores.debts.considered_by_search(customers, notified_keys):
        projection = DebtProjection(
            debt_reference=debt.external_reference,
            debt_type=debt.debt_type,
            liable_customer_ids=frozenset(str(c) for c in debt.customer_ids),
            balance_pence=debt.balance_pence,
            other_references=frozenset({str(debt.debt_id)}),
        )
        found[projection] = debt
    result = search_every_debt([str(c) for c in customers], found.keys(), notified)
    return result, found


async def _publish(handling: BreathingSpaceHandling, message: Contract, causation: Envelope | None) -> None:
    await handling.outbox.add(message, causation=causation)


async def _cover(
    handling: BreathingSpaceHandling,
    moratorium: Moratorium,
    row: HoldProgress,
    new: list[DebtProjection],
    notified_and_found: tuple[DebtProjection, ...],
    found: Found,
    today: date,
    causation: Envelope | None,
) -> HoldProgress:
    """Hold the new debts (start the hold, or add to it) and report back the ones found beyond those notified."""
    reference = moratorium.moratorium_reference
    assert moratorium.start_date is not None and moratorium.kind is not None
    found_beyond = [d for d in new if d not in notified_and_found]
    report_reference = None
    if found_beyond:
        report_reference = await _report_back(handling, moratorium, found_beyond, found, today, causation)
    version = row.hold_version + 1
    debt_ids = [found[d].debt_id for d in new]
    # The protection is the applicant's: a joint debt is held as their liability, the others stay outside it.
    applicants = [str(c) for c in searched_customers(row.customer_ids, await handling.stores.debts.merges())]
    rules = handling.service.rules.scope
    held: list[NewlyHeldDebt] = []
    for d in new:
        scope = debt_scope(
            debt_type=d.debt_type,
            instalments=found[d].instalments,
            starts_on=moratorium.start_date,
            rules=rules,
        )
        others = other_parties(joint_liability(d, applicants).not_protected, rules)
        held.append(
            NewlyHeldDebt(
                debt_id=found[d].debt_id,
                creditor_reference=d.debt_reference,
                debt_type=d.debt_type,
                source="notified" if d in notified_and_found else "found_by_search",
                reported_back_in=report_reference if d in found_beyond else None,
                not_protected_customer_ids=tuple(UUID(c) for c in others.customer_ids),
                protected_up_to=scope.protected_up_to,
                ongoing_liabilities_pence=scope.ongoing_liabilities_pence,
                ongoing_from=scope.ongoing_from,
                other_parties_policy=others.policy.value if others.policy else None,
            )
        )
    await handling.stores.holds.hold(reference, version, held)
    change = "debts_added" if row.hold_started else "started"
    await handling.stores.holds.record_broadcast(reference, version, change, debt_ids)
    message: Contract
    if not row.hold_started:
        message = _started(moratorium, row, version, held)
    else:
        message = hold_events.BreathingSpaceDebtsAdded(
            moratorium_reference=reference,
            hold_version=version,
            starts_on=moratorium.start_date,
            debt_ids=debt_ids,
            scope=[_scope_of(h) for h in held],
        )
    await _publish(handling, message, causation)
    log.info("hold broadcast", moratorium_reference=reference, hold_version=version, change=change)
    return replace(row, hold_version=version, hold_started=True, broadcast_end=moratorium.end_date)


def _scope_of(debt: NewlyHeldDebt | HeldDebt) -> hold_events.HeldDebtScope:
    policy = OtherPartiesPolicy(debt.other_parties_policy) if debt.other_parties_policy else None
    assert debt.protected_up_to is not None  # every debt held since scope existed has it; older ones restated
    return hold_events.HeldDebtScope(
        debt_id=debt.debt_id,
        protected_up_to=debt.protected_up_to,
        ongoing_liabilities_pence=debt.ongoing_liabilities_pence,
        ongoing_from=debt.ongoing_from,
        other_liable_customer_ids=list(debt.not_protected_customer_ids),
        other_parties_policy=policy.value if policy else None,
        other_parties_why=OTHER_PARTIES_WHY[policy] if policy else None,
    )


def _started(
    moratorium: Moratorium,
    row: HoldProgress,
    version: int,
    held: list[NewlyHeldDebt] | list[HeldDebt],
    restates: int | None = None,
) -> hold_events.BreathingSpaceHoldStarted:
    assert moratorium.start_date is not None and moratorium.kind is not None
    return hold_events.BreathingSpaceHoldStarted(
        moratorium_reference=moratorium.moratorium_reference,
        hold_version=version,
        kind=moratorium.kind.value,
        starts_on=moratorium.start_date,
        expected_end_on=moratorium.end_date,
        customer_ids=list(row.customer_ids),
        debt_ids=[h.debt_id for h in held],
        scope=[_scope_of(h) for h in held if h.protected_up_to is not None],
        application_date=moratorium.application_date,
        application_date_notified=moratorium.application_date_notified,
        restates_hold_version=restates,
    )


async def _restate_revised_end(
    handling: BreathingSpaceHandling,
    moratorium: Moratorium,
    row: HoldProgress,
    today: date,
    causation: Envelope | None,
) -> HoldProgress:
    """The end date differs from the one last broadcast (a revised notification, a crisis treatment end, an end
    withdrawn): an ended hold whose new end has passed too is ended again with the new last protected day; any
    other hold is restated as started (every held debt, the new expected end), in force again if it had ended."""
    end = moratorium.end_date
    if row.hold_ended and end is not None and today > end:
        return await _end(handling, moratorium, replace(row, hold_ended=False), end, causation)
    if end is not None and today > end:
        return row  # still open but now due: `_end` below ends it with the new day
    reference = moratorium.moratorium_reference
    held = await handling.stores.holds.held_debts(reference)
    version = row.hold_version + 1
    await handling.stores.holds.record_broadcast(reference, version, "restated", [h.debt_id for h in held])
    await _publish(handling, _started(moratorium, row, version, held, restates=row.hold_version), causation)
    log.info("hold restated with a revised end", moratorium_reference=reference, hold_version=version)
    return replace(row, hold_version=version, hold_ended=False, broadcast_end=end)


async def _report_back(
    handling: BreathingSpaceHandling,
    moratorium: Moratorium,
    beyond: list[DebtProjection],
    found: Found,
    today: date,
    causation: Envelope | None,
) -> str:
    """The outbound `debts_reported_back` document: stored as an outbound notification (the moratorium then
    knows the debts as found by search), queued for the outbound folder, and announced on the bus."""
    stores = handling.stores
    reference = moratorium.moratorium_reference
    report_reference = f"BSR-{reference}-{await stores.reports.count_for(reference) + 1}"
    debtor = moratorium.debtor
    assert debtor is not None
    document = debts_reported_back(
        moratorium_reference=reference,
        notification_reference=report_reference,
        issued_at=datetime.now(UTC),
        reported_on=today,
        debtor=debtor,
        creditor_name=handling.service.rules.creditor_name,
        found=beyond,
    )
    assert document is not None  # `beyond` is never empty here
    rendered = render_notification(document)
    debt_ids = [found[d].debt_id for d in beyond]
    await stores.notifications.keep(document, rendered, direction="outbound", received_document_id=None)
    await stores.reports.add(report_reference, reference, today, debt_ids, rendered)
    await _publish(
        handling,
        hold_events.DebtsReportedBack(
            moratorium_reference=reference,
            debt_ids=debt_ids,
            reported_on=today,
            report_reference=report_reference,
            document=rendered,
        ),
        causation,
    )
    log.info("debts reported back", moratorium_reference=reference, debts=len(beyond))
    return report_reference


async def _end(
    handling: BreathingSpaceHandling,
    moratorium: Moratorium,
    row: HoldProgress,
    end: date,
    causation: Envelope | None,
) -> HoldProgress:
    reference = moratorium.moratorium_reference
    held = sorted(await handling.stores.holds.held_debt_ids(reference))
    how, reason = how_it_ended(moratorium)
    version = row.hold_version + 1
    await handling.stores.holds.record_broadcast(
        reference, version, "cancelled" if how == "cancelled" else "ended", held
    )
    await _publish(
        handling,
        hold_events.BreathingSpaceHoldEnded(
            moratorium_reference=reference,
            hold_version=version,
            how=how,
            last_protected_day=end,
            debt_ids=held,
            reason=reason,
        ),
        causation,
    )
    log.info("hold ended", moratorium_reference=reference, how=how, hold_version=version)
    return replace(row, hold_version=version, hold_ended=True, broadcast_end=end)


async def _save(
    handling: BreathingSpaceHandling,
    moratorium: Moratorium,
    row: HoldProgress,
    today: date,
    notified_keys: list[str],
    notes: list[str],
) -> None:
    await handling.stores.moratoria.save(
        MoratoriumRecord(
            moratorium_reference=moratorium.moratorium_reference,
            kind=moratorium.kind.value if moratorium.kind else None,
            start_date=moratorium.start_date,
            end_date=moratorium.end_date,
            status=moratorium.status(today).value,
            progress=row,
            notified_reference_keys=notified_keys,
            notes=notes,
            application_date=moratorium.application_date,
            application_date_notified=moratorium.application_date_notified,
            debtor_keys=debtor_keys(moratorium.debtor, notified_keys),
        )
    )
