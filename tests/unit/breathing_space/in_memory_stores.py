"""Breathing space's stores kept in memory, for unit tests of its handlers: no broker, no database.

Each store answers the methods the handlers under test call, with the same meaning as its SQL twin in
`services/breathing_space/stores/`; where a store's SQL is a rule's twin, the in-memory one uses the domain rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast
from uuid import UUID

from services.breathing_space.breathing_space_service import BreathingSpace, BreathingSpaceHandling
from services.breathing_space.domain.customer_matching import (
    CandidateMatch,
    CustomerAddress,
    CustomerProjection,
)
from services.breathing_space.domain.customer_merges import liable_after_merges, records_of
from services.breathing_space.domain.debt_search import considered_by_search, reference_key
from services.breathing_space.domain.hold_lifecycle import hold_due_to_end
from services.breathing_space.domain.hold_scope import Instalment
from services.breathing_space.domain.notifications import BreathingSpaceNotification, render_notification
from services.breathing_space.domain.settings import BreathingSpaceRules
from services.breathing_space.settings import BreathingSpaceSettings
from services.breathing_space.stores import BreathingSpaceStores
from services.breathing_space.stores.debts import SearchedDebt
from services.breathing_space.stores.holds import HeldDebt, NewlyHeldDebt
from services.breathing_space.stores.moratoria import HoldProgress, MoratoriumRecord
from shared.clock import BusinessClock
from shared.contracts.billing import BalanceChanged, DebtRaised, DebtTransferred
from shared.contracts.council_systems import LiableParty
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling
from shared.runtime import ServiceRuntime


@dataclass
class _Debt:
    customer_ids: tuple[UUID, ...] = ()
    debt_type: str = ""
    external_reference: str | None = None
    raised_on: date | None = None
    balance_pence: int | None = None
    closed: str | None = None
    instalments: tuple[Instalment, ...] = ()
    transferred: bool = False


class InMemoryNotifications:
    def __init__(self) -> None:
        self.kept: dict[
            tuple[str, int], tuple[str, str, str]
        ] = {}  # (ref, version) -> moratorium, direction, doc

    async def keep(
        self,
        notification: BreathingSpaceNotification,
        document: str,
        *,
        direction: str,
        received_document_id: int | None,
    ) -> bool:
        key = (notification.notification_reference, notification.version)
        if key in self.kept:
            return False
        self.kept[key] = (notification.moratorium_reference, direction, document)
        return True

    async def documents_of(self, moratorium_reference: str) -> list[str]:
        return [doc for moratorium, _, doc in self.kept.values() if moratorium == moratorium_reference]


class InMemoryMoratoria:
    def __init__(self) -> None:
        self.records: dict[str, MoratoriumRecord] = {}

    async def lock(self, moratorium_reference: str) -> None:
        return None

    async def progress(self, moratorium_reference: str) -> HoldProgress | None:
        record = self.records.get(moratorium_reference)
        return None if record is None else record.progress

    async def save(self, record: MoratoriumRecord) -> None:
        self.records[record.moratorium_reference] = record

    def _open(self) -> list[MoratoriumRecord]:
        return [r for r in self.records.values() if not r.progress.hold_ended and r.start_date is not None]

    async def touching(self, customer_ids: Sequence[UUID], reference_keys: Sequence[str]) -> list[str]:
        return sorted(
            r.moratorium_reference
            for r in self._open()
            if set(r.progress.customer_ids) & set(customer_ids)
            or set(r.notified_reference_keys) & set(reference_keys)
        )

    async def unmatched_sharing_keys(self, keys: Sequence[str]) -> list[str]:
        return sorted(
            r.moratorium_reference
            for r in self._open()
            if r.progress.match_state == "none" and set(r.debtor_keys) & set(keys)
        )

    async def record_match_decision(
        self, moratorium_reference: str, decision: str, customer_ids: Sequence[UUID], explanation: str
    ) -> None:
        record = self.records[moratorium_reference]
        progress = replace(
            record.progress, match_state=decision, customer_ids=tuple(customer_ids), explanation=explanation
        )
        self.records[moratorium_reference] = replace(record, progress=progress)

    async def due_to_end(self, today: date) -> list[str]:
        return sorted(
            r.moratorium_reference
            for r in self.records.values()
            if hold_due_to_end(
                hold_started=r.progress.hold_started,
                hold_ended=r.progress.hold_ended,
                last_protected_day=r.end_date,
                today=today,
            )
        )


class InMemoryHolds:
    def __init__(self) -> None:
        self.held: dict[str, dict[UUID, NewlyHeldDebt]] = {}
        self.versions: dict[tuple[str, UUID], int] = {}
        self.broadcasts: list[tuple[str, int, str, list[UUID]]] = []
        self.confirmations: dict[tuple[str, int, str], list[UUID]] = {}

    async def held_debt_ids(self, moratorium_reference: str) -> set[UUID]:
        return set(self.held.get(moratorium_reference, {}))

    async def hold(
        self, moratorium_reference: str, hold_version: int, debts: Sequence[NewlyHeldDebt]
    ) -> None:
        self.held.setdefault(moratorium_reference, {}).update({d.debt_id: d for d in debts})
        self.versions.update({(moratorium_reference, d.debt_id): hold_version for d in debts})

    async def held_debts(self, moratorium_reference: str) -> list[HeldDebt]:
        return [
            HeldDebt(
                d.debt_id,
                d.creditor_reference,
                d.debt_type,
                d.source,
                self.versions[(moratorium_reference, d.debt_id)],
                d.reported_back_in,
                list(d.not_protected_customer_ids),
                d.protected_up_to,
                d.ongoing_liabilities_pence,
                d.ongoing_from,
                d.other_parties_policy,
            )
            for d in self.held.get(moratorium_reference, {}).values()
        ]

    async def record_broadcast(
        self, moratorium_reference: str, hold_version: int, change: str, debt_ids: Iterable[UUID]
    ) -> None:
        self.broadcasts.append((moratorium_reference, hold_version, change, list(debt_ids)))

    async def record_confirmation(
        self, service: str, moratorium_reference: str, hold_version: int, debt_ids: Iterable[UUID]
    ) -> None:
        self.confirmations.setdefault((moratorium_reference, hold_version, service), list(debt_ids))


class InMemoryMatches:
    def __init__(self) -> None:
        self.queued: dict[str, tuple[str, list[CandidateMatch]]] = {}

    async def queue(
        self, moratorium_reference: str, explanation: str, candidates: list[CandidateMatch]
    ) -> None:
        self.queued.setdefault(moratorium_reference, (explanation, candidates))


class InMemoryReports:
    def __init__(self) -> None:
        self.reports: dict[str, tuple[str, date, list[UUID], str]] = {}

    async def count_for(self, moratorium_reference: str) -> int:
        return sum(1 for m, *_ in self.reports.values() if m == moratorium_reference)

    async def add(
        self,
        report_reference: str,
        moratorium_reference: str,
        reported_on: date,
        debt_ids: Sequence[UUID],
        document: str,
    ) -> None:
        self.reports[report_reference] = (moratorium_reference, reported_on, list(debt_ids), document)


class InMemoryCustomers:
    def __init__(self) -> None:
        self.identities: dict[UUID, LiableParty] = {}
        self.debts: InMemoryDebts | None = None

    async def keep(self, identities: dict[UUID, LiableParty]) -> None:
        self.identities.update(identities)

    async def candidates(self, **_: Any) -> list[CustomerProjection]:
        # The SQL only narrows the field for speed; scoring (`match_debtor`) decides, so every person is offered.
        return [self._projection(c, i) for c, i in self.identities.items() if i.kind == "person"]

    def _projection(self, customer_id: UUID, identity: LiableParty) -> CustomerProjection:
        addresses = [
            CustomerAddress(tuple(a.lines), a.postcode)
            for a in [identity.address, *identity.previous_addresses]
        ]
        debt_refs = {
            reference_key(d.external_reference)
            for d in (self.debts.debts.values() if self.debts else [])
            if customer_id in d.customer_ids and d.external_reference
        }
        return CustomerProjection(
            customer_id=str(customer_id),
            forenames=identity.first_names or "",
            surname=identity.surname or "",
            date_of_birth=identity.date_of_birth,
            current_address=addresses[0],
            previous_addresses=tuple(addresses[1:]),
            references=frozenset({reference_key(r) for r in identity.references.values()} | debt_refs),
        )


class InMemoryDebts:
    def __init__(self) -> None:
        self.debts: dict[UUID, _Debt] = {}
        self.merged_into: dict[UUID, UUID] = {}

    async def merges(self) -> dict[UUID, UUID]:
        return dict(self.merged_into)

    async def merge_customers(self, merged: UUID, into: UUID, decided_by: str) -> list[UUID]:
        self.merged_into[merged] = into
        moved = [i for i, d in self.debts.items() if merged in d.customer_ids]
        for debt_id in moved:
            debt = self.debts[debt_id]
            debt.customer_ids = liable_after_merges(debt.customer_ids, {merged: into})
        return moved

    async def transfer(self, transfer: DebtTransferred) -> list[UUID]:
        to = liable_after_merges(transfer.to_customer_ids, self.merged_into)
        debt = self.debts.setdefault(transfer.debt_id, _Debt(debt_type=transfer.debt_type))
        debt.customer_ids, debt.transferred = to, True
        if debt.balance_pence is None:
            debt.balance_pence = transfer.balance_pence
        both = {*to, *liable_after_merges(transfer.from_customer_ids, self.merged_into)}
        return sorted(records_of(both, self.merged_into))

    async def keep_raised(self, debts: Sequence[DebtRaised]) -> list[UUID]:
        for d in debts:
            known = self.debts.get(d.debt_id)
            balance = known.balance_pence if known and known.balance_pence is not None else d.amount_pence
            closed = known.closed if known else None
            liable = liable_after_merges(d.customer_ids, self.merged_into)
            transferred = known is not None and known.transferred
            if transferred and known is not None:
                liable = known.customer_ids  # a transfer announced first is newer than the raise
            schedule = tuple(Instalment(i.due_date, i.amount_pence) for i in d.instalments)
            self.debts[d.debt_id] = _Debt(
                liable, d.debt_type, d.external_reference, d.raised_on, balance, closed, schedule, transferred
            )
        liable_now = {c for d in debts for c in self.debts[d.debt_id].customer_ids}
        return sorted(records_of(liable_now, self.merged_into))

    async def keep_balances(self, changes: Sequence[BalanceChanged]) -> list[UUID]:
        revived: set[UUID] = set()
        for m in changes:
            liable = liable_after_merges(m.customer_ids, self.merged_into)
            debt = self.debts.setdefault(m.debt_id, _Debt(liable, m.debt_type))
            before, debt.balance_pence = debt.balance_pence, m.balance_pence
            if m.balance_pence > 0 and (before is None or before <= 0):
                revived |= set(debt.customer_ids)
        return sorted(records_of(revived, self.merged_into))

    async def close(self, debt_id: UUID, why: str | None) -> None:
        self.debts.setdefault(debt_id, _Debt()).closed = why

    async def customers_of(self, debt_id: UUID) -> list[UUID]:
        return list(self.debts[debt_id].customer_ids) if debt_id in self.debts else []

    async def considered_by_search(
        self, customer_ids: Sequence[UUID], reference_keys: Sequence[str]
    ) -> list[SearchedDebt]:
        return [
            SearchedDebt(
                debt_id,
                d.customer_ids,
                d.debt_type,
                d.external_reference or "",
                d.balance_pence or 0,
                d.raised_on,
                d.instalments,
            )
            for debt_id, d in self.debts.items()
            if considered_by_search(
                closed=d.closed,
                external_reference=d.external_reference,
                liable_customer_ids=[str(c) for c in d.customer_ids],
                matched_customer_ids=[str(c) for c in customer_ids],
                notified_reference_keys=reference_keys,
            )
        ]


@dataclass
class InMemoryBreathingSpace:
    """The stores, the events published and the service, for one test: `handling()` gives a handler its
    arguments, as the inbox would."""

    today: date
    rules: BreathingSpaceRules = field(default_factory=BreathingSpaceRules)
    notifications: InMemoryNotifications = field(default_factory=InMemoryNotifications)
    moratoria: InMemoryMoratoria = field(default_factory=InMemoryMoratoria)
    holds: InMemoryHolds = field(default_factory=InMemoryHolds)
    matches: InMemoryMatches = field(default_factory=InMemoryMatches)
    reports: InMemoryReports = field(default_factory=InMemoryReports)
    customers: InMemoryCustomers = field(default_factory=InMemoryCustomers)
    debts: InMemoryDebts = field(default_factory=InMemoryDebts)
    published: CollectedEvents = field(default_factory=lambda: CollectedEvents(producer="breathing_space"))
    bootstrapped: BreathingSpace | None = None
    """A service built by `bootstrap()` whose settings and rules the handlers are given (default: the defaults)."""

    def __post_init__(self) -> None:
        self.customers.debts = self.debts

    def service(self) -> BreathingSpace:
        """A breathing space service on this test's business date (no runtime: handlers never reach for it)."""
        if self.bootstrapped is not None:
            return replace(self.bootstrapped, clock=BusinessClock(self.today))
        return BreathingSpace(
            settings=BreathingSpaceSettings(),
            runtime=cast(ServiceRuntime, None),
            rules=self.rules,
            clock=BusinessClock(self.today),
        )

    def handling(self) -> BreathingSpaceHandling:
        """What a handler is given for one delivery."""
        stores = BreathingSpaceStores(
            documents=cast(Any, None),
            notifications=cast(Any, self.notifications),
            moratoria=cast(Any, self.moratoria),
            holds=cast(Any, self.holds),
            matches=cast(Any, self.matches),
            reports=cast(Any, self.reports),
            customers=cast(Any, self.customers),
            debts=cast(Any, self.debts),
            review_requests=cast(Any, None),
        )
        return Handling(stores, self.published, self.service())

    async def notified(self, notification: BreathingSpaceNotification) -> None:
        """A notification already taken in (as `intake.take_in` keeps it)."""
        await self.notifications.keep(
            notification, render_notification(notification), direction="inbound", received_document_id=None
        )
