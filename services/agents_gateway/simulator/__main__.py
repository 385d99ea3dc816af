"""Run the development agents on this machine: `python -m services.agents_gateway.simulator`.

For each agent in the development registry (config/development_agents.yaml) an SFTP server listens on the
registry's port with the generated host key and password, rooted in var/agents_gateway/agents/<code>/. A simulated
agent acknowledges every placement it receives and returns recalled cases, so the gateway has someone to talk to.
"""

from __future__ import annotations

import asyncio

import asyncssh
import pysequoia
import structlog
import yaml
from pydantic import SecretStr

from services.agents_gateway.development_keys import COUNCIL_PRIVATE_KEY, agent_files, ensure_development_keys
from services.agents_gateway.domain.records import CaseReturned, PlacementAcknowledged, ReturnReason
from services.agents_gateway.settings import AgentsGatewaySettings
from services.agents_gateway.simulator.agent import SimulatedAgent
from services.agents_gateway.simulator.sftp_server import AgentSftpServer
from shared import event_loop
from shared.clock import clock
from shared.logs import configure_logging

log = structlog.get_logger("agents_gateway.simulator")


def _council_public_key(private_armoured: str) -> str:
    return str(pysequoia.Tsk.from_bytes(private_armoured.encode("utf-8")).extract_certificate())


async def run() -> None:
    settings = AgentsGatewaySettings()
    assert settings.secrets_dir is not None, "the simulator needs AGENTS_GATEWAY_SECRETS_DIR"
    document = yaml.safe_load(settings.registry_path.read_text(encoding="utf-8"))
    codes = [entry["code"] for entry in document["agents"]]
    ensure_development_keys(settings.secrets_dir, codes)
    secrets_dir = settings.secrets_dir
    council_public = _council_public_key((secrets_dir / COUNCIL_PRIVATE_KEY).read_text(encoding="utf-8"))
    agents: list[SimulatedAgent] = []
    for entry in document["agents"]:
        names = agent_files(entry["code"])
        root = secrets_dir.parent / "agents" / entry["code"]
        server = AgentSftpServer(
            root,
            asyncssh.import_private_key((secrets_dir / names["host_private"]).read_text(encoding="utf-8")),
            username=entry["sftp"]["username"],
            password=(secrets_dir / names["sftp_password"]).read_text(encoding="utf-8"),
        )
        await server.start(entry["sftp"]["port"])
        log.info("agent SFTP server listening", agent=entry["code"], port=server.port, root=str(root))
        agents.append(
            SimulatedAgent(
                entry["code"],
                document["council"],
                root,
                SecretStr((secrets_dir / names["agent_private"]).read_text(encoding="utf-8")),
                council_public,
            )
        )
    while True:
        for agent in agents:
            answers: list = []
            for report in agent.council_files():
                for record in report.records:
                    if record.kind == "placement":
                        answers.append(
                            PlacementAcknowledged(
                                case_reference=record.case_reference,
                                agent_reference=f"{agent.code}-{record.case_reference[:8]}",
                                acknowledged_on=clock.today(),
                            )
                        )
                    elif record.kind == "recall":
                        answers.append(
                            CaseReturned(
                                case_reference=record.case_reference,
                                returned_on=clock.today(),
                                reason=ReturnReason.NULLA_BONA,
                                balance_remaining_pence=0,
                                notes="returned on the council's recall",
                            )
                        )
            if answers:
                agent.send_returns(answers)
                log.info("agent answered", agent=agent.code, records=len(answers))
        await asyncio.sleep(5)


if __name__ == "__main__":
    configure_logging("agents_simulator", "INFO", "console")
    event_loop.run(run())
