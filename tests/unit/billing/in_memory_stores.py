"""In-memory stand-ins for the billing stores a handler under test uses: no database, only what the handler
asks of them and what it would have written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from services.billing.debt_accounts import DebtAccount
from services.billing.domain.billing_rules import DEFAULT_RULES_PATH, billing_rules_from_yaml
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.debt_position import InstalmentPosition
from services.billing.domain.debt_types import DebtType
from services.billing.payment_book import IncomingPayment, PaymentBatch
from services.billing.stores.payments import IdentifiedPayment
from shared.clock import clock
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling


def a_debt(
    debt_id: UUID,
    customer_id: UUID,
    instalments: list[tuple[date, int]],
    *,
    debt_type: DebtType = DebtType.COUNCIL_TAX,
    account_reference: str | None = None,
    status: str = "open",
) -> DebtAccount:
    """A debt as the debts store would load it: its unpaid instalments (due date, pence owed)."""
    lines = tuple(InstalmentPosition(n, due, owed) for n, (due, owed) in enumerate(instalments, start=1))
    return DebtAccount(
        debt_id=debt_id,
        debt_type=debt_type,
        financial_year="2026/27",
        originating_service="Revenues",
        income_code="CT01",
        status=status,
        balance_pence=sum(owed for _, owed in instalments),
        written_off_pence=0,
        requesting_system="revenues",
        external_reference=f"EXT-{debt_id.hex[:6]}",
        account_reference=account_reference,
        due_date=instalments[0][0],
        interest_accrued_to=None,
        late_fee_charged=False,
        amount_pence=sum(owed for _, owed in instalments),
        customer_ids=(customer_id,),
        lines=lines,
        line_kinds=tuple("instalment" for _ in lines),
    )


@dataclass
class InMemoryDebts:
    """The debts store's reads, over a list of debts."""

    debts: list[DebtAccount] = field(default_factory=list)

    async def of_customers(self, customer_ids: list[UUID]) -> list[DebtAccount]:
        return [d for d in self.debts if set(d.customer_ids) & set(customer_ids)]


@dataclass
class InMemoryPayments:
    """The payments store: channel references already applied, who an account reference belongs to, and the
    batches written."""

    applied: set[tuple[str, str]] = field(default_factory=set)
    accounts: dict[str, UUID] = field(default_factory=dict)
    batches: list[PaymentBatch] = field(default_factory=list)

    async def identify(self, payments: list[IncomingPayment]) -> list[IdentifiedPayment]:
        return [
            IdentifiedPayment(
                (p.channel, p.channel_reference) in self.applied,
                p.customer_id or (self.accounts.get(p.account_reference) if p.account_reference else None),
            )
            for p in payments
        ]

    async def record_batch(self, batch: PaymentBatch) -> None:
        self.batches.append(batch)
        self.applied.update((p.payment.channel, p.payment.channel_reference) for p in batch.payments)


@dataclass
class InMemoryHolds:
    """The breathing space holds kept per debt, with their scope."""

    held: dict[UUID, list[BreathingSpaceHold]] = field(default_factory=dict)

    async def by_debt(self, debt_ids: list[UUID]) -> dict[UUID, list[BreathingSpaceHold]]:
        return {d: self.held[d] for d in debt_ids if d in self.held}


@dataclass
class InMemoryBillingStores:
    """The stores the payment handlers use."""

    debts: InMemoryDebts = field(default_factory=InMemoryDebts)
    payments: InMemoryPayments = field(default_factory=InMemoryPayments)
    holds: InMemoryHolds = field(default_factory=InMemoryHolds)
    placements: InMemoryPlacements = field(default_factory=lambda: InMemoryPlacements())
    refunds: InMemoryRefundRequests = field(default_factory=lambda: InMemoryRefundRequests())


@dataclass
class InMemoryPlacements:
    """Debts placed with agents: debt id -> agent."""

    placed: dict[UUID, str] = field(default_factory=dict)

    async def agents_holding(self, debt_ids: list[UUID]) -> dict[UUID, str]:
        return {d: self.placed[d] for d in debt_ids if d in self.placed}


@dataclass
class InMemoryRefundRequests:
    """Accounts whose taxpayer asked for overpayments to be repaid."""

    accounts: set[str] = field(default_factory=set)

    async def accounts_repaid_on_request(self, account_references: list[str]) -> set[str]:
        return self.accounts & set(account_references)


def handling_for(stores: InMemoryBillingStores) -> tuple[Handling[Any, Any], CollectedEvents]:
    """What the runtime would give a billing handler, in memory: the stores, a collecting outbox, and a
    service with the default billing rules."""
    published = CollectedEvents(producer="billing")
    rules = billing_rules_from_yaml(DEFAULT_RULES_PATH.read_text())
    return Handling(stores, published, SimpleNamespace(rules=rules, clock=clock)), published


@dataclass
class InMemoryChargeStores:
    """The stores raising or refusing a charge uses: nobody known yet, and what was raised or refused."""

    raised: list[Any] = field(default_factory=list)
    refused: list[Any] = field(default_factory=list)
    registered: list[UUID] = field(default_factory=list)

    @property
    def debts(self) -> InMemoryChargeStores:
        return self

    @property
    def customers(self) -> InMemoryChargeStores:
        return self

    @property
    def corrections(self) -> InMemoryChargeStores:
        return self

    async def already_raised(self, requesting_system: str, external_reference: str) -> bool:
        return any(r.external_reference == external_reference for r in self.raised)

    async def record(self, raised: Any, **_: Any) -> None:
        self.raised.append(raised)

    async def candidates(self, party: Any) -> list[Any]:
        return []

    async def register(self, customer_id: UUID, party: Any) -> None:
        self.registered.append(customer_id)

    async def keep_refusal(self, refused: Any) -> None:
        self.refused.append(refused)
