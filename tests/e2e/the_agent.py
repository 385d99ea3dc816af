"""The other side of the agents gateway for an end-to-end scenario: an agent's SFTP server running in the test
process (asyncssh, its own host key), real OpenPGP keys generated for the test, the simulated agent that reads
the council's files and writes returns, and the agent registry the gateway process is started with (secrets
passed as environment variables, never written into the registry)."""

from __future__ import annotations

import asyncio
import secrets
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

import asyncssh

from services.agents_gateway.domain.openpgp import GeneratedKey, generate_key
from services.agents_gateway.domain.records import AnyRecord
from services.agents_gateway.simulator.agent import SimulatedAgent
from services.agents_gateway.simulator.sftp_server import AgentSftpServer
from tests.council_bus import eventually
from tests.e2e.council_services import CouncilServices, row

COUNCIL = "derby"


@cache
def council_key() -> GeneratedKey:
    """The council's own signing and decrypting key, generated once for the test session."""
    return generate_key("Derby City Council", "debt@derby.example", bits=2048)


_REGISTRY_ENTRY = """
  - code: {code}
    name: {name}
    kind: {kind}
    debt_types: [{debt_types}]
    sftp:
      host: 127.0.0.1
      port: {port}
      username: council
      password: {{env: E2E_{code}_SFTP_PASSWORD}}
      host_key: {{env: E2E_{code}_HOST_KEY}}
    keys:
      our_private_key: {{env: E2E_COUNCIL_PGP_PRIVATE}}
      agent_public_key: {{env: E2E_{code}_PGP_PUBLIC}}
    schedule:
      poll_outbox_every_minutes: 60
      acknowledgement_due_within_days: 5
"""


def gateway_environment(*agents: AgentOnTheOtherSide) -> dict[str, str]:
    """What the gateway process is started with: a registry of these agents pointing at their servers, the
    secrets as environment variables (never in the registry), and scheduled batches and polling left to the
    test (holds and recalls go by themselves, at once)."""
    folder = Path(tempfile.mkdtemp(prefix="e2e-agents-registry-"))
    registry = folder / "agents.yaml"
    registry.write_text(
        f"council: {COUNCIL}\nagents:"
        + "".join(
            _REGISTRY_ENTRY.format(
                code=agent.code,
                name=agent.name,
                kind=agent.kind,
                debt_types=", ".join(agent.debt_types),
                port=agent.server.port,
            )
            for agent in agents
        )
    )
    environment = {
        "AGENTS_GATEWAY_REGISTRY_PATH": str(registry),
        "AGENTS_GATEWAY_GENERATE_DEVELOPMENT_KEYS": "false",
        "AGENTS_GATEWAY_POLL_AGENTS": "false",
        "AGENTS_GATEWAY_SEND_ON_SCHEDULE": "false",
        "AGENTS_GATEWAY_URGENT_CHECK_SECONDS": "0.2",
        "E2E_COUNCIL_PGP_PRIVATE": council_key().private_armoured.get_secret_value(),
    }
    for agent in agents:
        environment[f"E2E_{agent.code}_SFTP_PASSWORD"] = agent.server.password
        environment[f"E2E_{agent.code}_HOST_KEY"] = agent.server.pinned_host_key
        environment[f"E2E_{agent.code}_PGP_PUBLIC"] = agent.agent_key.public_armoured
    return environment


class AgentOnTheOtherSide:
    """One agent the council works with: its SFTP server, its keys, and the agent working its folders."""

    def __init__(self, code: str, name: str, kind: str, debt_types: list[str]) -> None:
        self.code, self.name, self.kind, self.debt_types = code, name, kind, debt_types
        self.folder = Path(tempfile.mkdtemp(prefix=f"e2e-agent-{code.lower()}-"))
        self.agent_key = generate_key(name, f"files@{code.lower()}.example", bits=2048)
        self.server = AgentSftpServer(
            self.folder / "sftp",
            asyncssh.generate_private_key("ssh-ed25519"),
            username="council",
            password=secrets.token_urlsafe(16),
        )
        self.agent = SimulatedAgent(
            code,
            COUNCIL,
            self.server.root,
            self.agent_key.private_armoured,
            council_key().public_armoured,
        )

    async def open(self) -> AgentOnTheOtherSide:
        await self.server.start()
        return self

    async def close(self) -> None:
        await self.server.stop()

    def files_received(self) -> list[str]:
        """Names of the council's files in the agent's inbox folder on the SFTP server."""
        return sorted(path.name for path in (self.server.root / "inbox").glob("*.pgp"))

    async def records_arriving(
        self, case_reference: str, kind: str, timeout: float = 20.0
    ) -> list[AnyRecord]:
        """Wait until the council's files on the server carry a record of this kind about the case."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.agent.records_about(case_reference, kind)
            if found:
                return found
            await asyncio.sleep(0.1)
        raise AssertionError(
            f"no {kind} record about case {case_reference} reached the agent within {timeout}s; "
            f"files on the server: {self.files_received()}"
        )


async def placed_with(council: CouncilServices, agent: AgentOnTheOtherSide, debt: dict[str, Any]) -> str:
    """The agents gateway's placement of the case recovery referred, sent to the agent now; the case reference."""
    referral = await eventually(
        lambda: row(
            "SELECT referral_id, balance_pence FROM recovery.referral WHERE case_id = $1", debt["case_id"]
        ),
        lambda found: found is not None,
    )
    placement = await eventually(
        lambda: row("SELECT * FROM agents_gateway.placement WHERE referral_id = $1", referral["referral_id"]),
        lambda found: found is not None,
    )
    assert placement["status"] == "awaiting_file", f"placement {placement['status']}: {placement['refusal']}"
    assert placement["agent_code"] == agent.code
    async with council["agents_gateway"].client() as gateway:
        sent = await gateway.post(f"/agents/{agent.code}/send-now")
        assert sent.status_code == 200, sent.text
    case = str(referral["referral_id"])
    [placed] = await agent.records_arriving(case, "placement")
    assert [d.balance_pence for d in placed.debts] == [referral["balance_pence"]]
    return case


async def agent_returns(council: CouncilServices, agent: AgentOnTheOtherSide, records: list[Any]) -> None:
    """The agent uploads a return file; the gateway fetches it now and applies it whole."""
    agent.agent.send_returns(records)
    async with council["agents_gateway"].client() as gateway:
        polled = await gateway.post(f"/agents/{agent.code}/poll-now")
    assert polled.status_code == 200, polled.text
    assert [f["outcome"] for f in polled.json()["files"]] == ["applied"], polled.text
