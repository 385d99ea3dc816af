"""The write-off stores a request's intake uses, kept in memory: no database, no broker. A handler given these
and `CollectedEvents` shows what it decides and what it would publish."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast
from uuid import UUID

from services.writeoff.domain import DebtStanding, request_awaits_decision
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.reinstatements import (
    RecordedConsideration,
    RecordedReinstatement,
    StandingWriteOff,
)
from services.writeoff.stores.requests import StoredRequest
from services.writeoff.stores.standing import KnownDebt, RaisedDebt


@dataclass
class InMemoryStanding:
    """What billing, recovery and breathing space have said of each debt."""

    debts: dict[UUID, KnownDebt] = field(default_factory=dict)

    def knows(self, debt_id: UUID, balance_pence: int, *customers: str, **standing: Any) -> None:
        self.debts[debt_id] = KnownDebt(DebtStanding(balance_pence=balance_pence, **standing), customers)

    async def debts_raised(self, debts: Sequence[RaisedDebt]) -> None:
        for debt in debts:
            known = self.debts.get(debt.debt_id)
            standing = known.standing if known else DebtStanding(balance_pence=debt.amount_pence)
            self.debts[debt.debt_id] = KnownDebt(standing, tuple(str(c) for c in debt.customer_ids))

    async def standings_of(self, debt_ids: Iterable[UUID]) -> dict[UUID, KnownDebt]:
        return {debt_id: self.debts[debt_id] for debt_id in debt_ids if debt_id in self.debts}


@dataclass
class InMemoryRequests:
    """Every request kept, in the order first kept."""

    kept: dict[UUID, StoredRequest] = field(default_factory=dict)

    async def known_ids(self, request_ids: Iterable[UUID]) -> set[UUID]:
        return {request_id for request_id in request_ids if request_id in self.kept}

    async def get(self, request_id: UUID) -> StoredRequest | None:
        return self.kept.get(request_id)

    async def awaiting_debt(self, debt_ids: Iterable[UUID]) -> list[StoredRequest]:
        wanted = set(debt_ids)
        return [r for r in self.kept.values() if r.debt_id in wanted and r.status == "awaiting_debt"]

    async def awaiting_decision_by_debt(self, debt_ids: Iterable[UUID]) -> dict[UUID, UUID]:
        wanted = set(debt_ids)
        return {
            r.debt_id: r.request_id
            for r in self.kept.values()
            if r.debt_id in wanted and request_awaits_decision(r.status)
        }

    async def save(self, requests: Sequence[StoredRequest]) -> None:
        for request in requests:
            self.kept[request.request_id] = request


@dataclass
class InMemoryReinstatements:
    """Write-offs standing (not yet reinstated), the reinstatements recorded and the payments put for
    consideration."""

    standing: dict[UUID, StandingWriteOff] = field(default_factory=dict)
    recorded: list[RecordedReinstatement] = field(default_factory=list)
    for_consideration: list[RecordedConsideration] = field(default_factory=list)

    async def payment_already_applied(self, payment_id: UUID) -> bool:
        applied = [r.payment_id for r in self.recorded] + [c.payment_id for c in self.for_consideration]
        return payment_id in applied

    async def put_for_consideration(self, consideration: RecordedConsideration) -> None:
        self.for_consideration.append(consideration)

    async def standing_write_off(self, debt_id: UUID) -> StandingWriteOff | None:
        return self.standing.get(debt_id)

    async def record(self, reinstatement: RecordedReinstatement) -> None:
        self.recorded.append(reinstatement)
        self.standing = {
            d: w for d, w in self.standing.items() if w.write_off_id != reinstatement.write_off_id
        }


@dataclass
class InMemoryStores:
    standing: InMemoryStanding = field(default_factory=InMemoryStanding)
    requests: InMemoryRequests = field(default_factory=InMemoryRequests)
    reinstatements: InMemoryReinstatements = field(default_factory=InMemoryReinstatements)

    def as_stores(self) -> WriteOffStores:
        """These stores where a handler expects the service's (it uses only the methods above)."""
        return cast(WriteOffStores, self)


TODAY = date(2026, 11, 23)
