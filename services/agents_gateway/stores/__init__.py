"""The agents gateway's SQL, one store per table group, each constructed with the transaction's session.

Statements are built once (module constants); rows come back as frozen dataclasses (or pydantic models) with
real types. Bulk work (a 100,000-record return file, a 50,000-case placement file) is set-based.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.agents_gateway.stores.agent_returns import AgentReturnStore
from services.agents_gateway.stores.breathing_spaces import BreathingSpaceStore
from services.agents_gateway.stores.debtors import DebtorStore
from services.agents_gateway.stores.files import ReceivedFileStore, SentFileStore
from services.agents_gateway.stores.instructions import InstructionStore
from services.agents_gateway.stores.placements import PlacementStore
from services.agents_gateway.stores.status import StatusStore
from shared.persistence.stores import StoresOfOneTransaction


@dataclass(frozen=True)
class AgentsGatewayStores(StoresOfOneTransaction):
    """The gateway's stores bound to one transaction."""

    placements: PlacementStore
    instructions: InstructionStore
    debtors: DebtorStore
    breathing_spaces: BreathingSpaceStore
    sent_files: SentFileStore
    received_files: ReceivedFileStore
    agent_returns: AgentReturnStore
    status: StatusStore
