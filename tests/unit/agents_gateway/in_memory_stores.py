"""The gateway's stores in memory, for unit tests of handlers: only the methods the tested handlers use, with the
same answers the SQL gives, and a `GatewayHandling` made of them with `CollectedEvents` (no broker, no database)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast
from uuid import UUID

from services.agents_gateway.agents import AgentDirectory
from services.agents_gateway.domain.agent_registry import parse_agent_registry
from services.agents_gateway.gateway_service import AgentsGateway, GatewayHandling
from services.agents_gateway.settings import AgentsGatewaySettings
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.agent_returns import PaymentPosted
from services.agents_gateway.stores.instructions import Instruction
from services.agents_gateway.stores.placements import OPEN_STATUSES, WITH_AN_AGENT, OpenPlacement, Placement
from shared.clock import BusinessClock
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling
from shared.runtime import ServiceRuntime

TODAY = date(2026, 6, 2)

REGISTRY = """
council: derby
agents:
  - code: BRISTOW
    name: Bristow Enforcement
    kind: enforcement_agent
    debt_types: [council_tax, business_rates, sundry]
    sftp: {host: sftp.bristow.example, username: derby, password: {env: PW}, host_key: "ssh-ed25519 AAAA"}
    keys: {our_private_key: {env: KEY}, agent_public_key: {inline: bristow-key}}
  - code: MARSTON
    name: Marston Enforcement
    kind: enforcement_agent
    debt_types: [council_tax]
    sftp: {host: sftp.marston.example, username: derby, password: {env: PW}, host_key: "ssh-ed25519 AAAB"}
    keys: {our_private_key: {env: KEY}, agent_public_key: {inline: marston-key}}
  - code: COLLECTCO
    name: Collect Co
    kind: collection_agency
    debt_types: [sundry, housing_benefit_overpayment]
    sftp: {host: files.collectco.example, username: derby, password: {env: PW}, host_key: "ssh-ed25519 AAAC"}
    keys: {our_private_key: {env: KEY}, agent_public_key: {inline: collectco-key}}
"""


class InMemoryPlacements:
    """`PlacementStore` as a dictionary of placements by referral."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Placement] = {}

    async def get(self, referral_id: UUID) -> Placement | None:
        return self.rows.get(referral_id)

    async def add(self, placement: Placement) -> None:
        assert placement.referral_id not in self.rows, "a placement is recorded once"
        self.rows[placement.referral_id] = placement

    async def open_cases_by_agent(self) -> dict[str, int]:
        return dict(
            Counter(p.agent_code for p in self.rows.values() if p.status in OPEN_STATUSES and p.agent_code)
        )

    async def open_of_debts(self, debt_ids: Sequence[UUID]) -> list[OpenPlacement]:
        return self._of_debts(debt_ids, OPEN_STATUSES)

    async def with_agents(self, debt_ids: Sequence[UUID]) -> list[OpenPlacement]:
        return self._of_debts(debt_ids, WITH_AN_AGENT)

    def _of_debts(self, debt_ids: Sequence[UUID], statuses: Sequence[str]) -> list[OpenPlacement]:
        return [
            OpenPlacement(
                p.referral_id,
                p.case_reference,
                p.agent_code or "",
                p.debt_id,
                p.balance_pence,
                p.status,
                p.payments_ahead_pence,
            )
            for p in sorted(self.rows.values(), key=lambda p: p.referral_id)
            if p.debt_id in debt_ids and p.status in statuses
        ]

    async def set_balances(self, balances: dict[UUID, int], payments_ahead: dict[UUID, int]) -> None:
        for referral_id, balance in balances.items():
            self.rows[referral_id] = self.rows[referral_id].model_copy(
                update={"balance_pence": balance, "payments_ahead_pence": payments_ahead.get(referral_id, 0)}
            )

    async def recall(self, referral_id: UUID, status: str, recalled_on: date) -> None:
        self.rows[referral_id] = self.rows[referral_id].model_copy(
            update={"status": status, "recalled_on": recalled_on}
        )


class InMemoryInstructions:
    """`InstructionStore` as the list of instructions queued, in order."""

    def __init__(self) -> None:
        self.queued: list[Instruction] = []

    async def add(self, instructions: Sequence[Instruction]) -> None:
        self.queued.extend(instructions)

    async def held_under(self, moratorium_reference: str) -> set[UUID]:
        return {
            i.referral_id
            for i in self.queued
            if i.record.kind == "hold" and i.moratorium_reference == moratorium_reference
        }


@dataclass
class InMemoryBreathingSpaces:
    """`BreathingSpaceStore` as periods by (moratorium, debt) and the hold versions awaiting confirmation."""

    periods: dict[tuple[str, UUID], dict[str, Any]] = field(default_factory=dict)
    awaiting: dict[tuple[str, int], list[UUID]] = field(default_factory=dict)

    async def protect(
        self, moratorium_reference: str, kind: str, starts_on: date, debt_ids: Sequence[UUID]
    ) -> None:
        for debt_id in debt_ids:
            period = self.periods.setdefault(
                (moratorium_reference, debt_id), {"kind": kind, "starts_on": starts_on, "ends_on": None}
            )
            period["starts_on"] = starts_on

    async def kind_of(self, moratorium_reference: str) -> str | None:
        return next((p["kind"] for (ref, _), p in self.periods.items() if ref == moratorium_reference), None)

    async def end(self, moratorium_reference: str, last_day: date, debt_ids: Sequence[UUID]) -> None:
        for debt_id in debt_ids:
            if (moratorium_reference, debt_id) in self.periods:
                self.periods[(moratorium_reference, debt_id)]["ends_on"] = last_day

    async def await_confirmation(
        self, moratorium_reference: str, hold_version: int, debt_ids: Sequence[UUID]
    ) -> None:
        self.awaiting[(moratorium_reference, hold_version)] = list(debt_ids)


class InMemoryAgentReturns:
    """`AgentReturnStore` as the payments billing posted through the agent channel, once each."""

    def __init__(self) -> None:
        self.posted: dict[tuple[UUID, UUID], PaymentPosted] = {}

    async def record_posted(self, posted: Sequence[PaymentPosted]) -> None:
        for payment in posted:
            self.posted.setdefault((payment.payment_id, payment.debt_id), payment)


@dataclass
class InMemoryGateway:
    """A gateway for handler tests: its in-memory stores, the events it published and the `Handling` to pass."""

    placements: InMemoryPlacements = field(default_factory=InMemoryPlacements)
    instructions: InMemoryInstructions = field(default_factory=InMemoryInstructions)
    breathing_spaces: InMemoryBreathingSpaces = field(default_factory=InMemoryBreathingSpaces)
    agent_returns: InMemoryAgentReturns = field(default_factory=InMemoryAgentReturns)
    published: CollectedEvents = field(default_factory=CollectedEvents)
    court: str = "Derby Magistrates' Court"

    @property
    def handling(self) -> GatewayHandling:
        """What the inbox would give a handler, made of these stores."""
        settings = AgentsGatewaySettings(liability_order_court=self.court, generate_development_keys=False)
        agents = AgentDirectory(settings)
        agents.use(parse_agent_registry(REGISTRY, {"PW": "sftp-password", "KEY": "council-key"}))
        gateway = AgentsGateway(
            settings=settings,
            runtime=cast(
                ServiceRuntime, None
            ),  # handlers never reach the runtime: they get stores and an outbox
            agents=agents,
            clock=BusinessClock(TODAY),
        )
        stores = cast(
            AgentsGatewayStores,
            _Stores(self.placements, self.instructions, self.breathing_spaces, self.agent_returns),
        )
        return Handling(stores, self.published, gateway)


@dataclass(frozen=True)
class _Stores:
    placements: InMemoryPlacements
    instructions: InMemoryInstructions
    breathing_spaces: InMemoryBreathingSpaces
    agent_returns: InMemoryAgentReturns
