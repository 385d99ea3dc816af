"""A real agent on the other side: an asyncssh SFTP server in the test process (host key generated here), real
OpenPGP keys, a simulated agent working in the server's folder, and the gateway's runtime talking to both."""

from __future__ import annotations

import secrets
from datetime import date
from uuid import UUID, uuid4

import asyncssh
import httpx
import pytest

from services.agents_gateway.domain.agent_registry import AgentRegistry, parse_agent_registry
from services.agents_gateway.domain.openpgp import GeneratedKey, generate_key
from services.agents_gateway.simulator.agent import SimulatedAgent
from services.agents_gateway.simulator.sftp_server import AgentSftpServer
from shared.contracts.billing import CustomerRegistered
from shared.contracts.council_systems import LiableParty, PostalAddress
from shared.contracts.recovery import CaseReferred
from tests.council_bus import eventually, fetch_value, publish
from tests.identity import officer_headers

COUNCIL = "derby"
AGENT = "BRISTOW"

REGISTRY_YAML = """
council: derby
agents:
  - code: BRISTOW
    name: Bristow Enforcement
    kind: enforcement_agent
    debt_types: [council_tax, business_rates, sundry]
    file_format_version: "1.1"
    sftp:
      host: 127.0.0.1
      port: {port}
      username: council
      password: {{env: BRISTOW_SFTP_PASSWORD}}
      host_key: {{env: BRISTOW_HOST_KEY}}
    keys:
      our_private_key: {{env: COUNCIL_PGP_PRIVATE}}
      agent_public_key: {{env: BRISTOW_PGP_PUBLIC}}
    schedule:
      poll_outbox_every_minutes: 60
      acknowledgement_due_within_days: 5
  - code: COLLECTCO
    name: Collect Co
    kind: collection_agency
    debt_types: [sundry, housing_benefit_overpayment]
    sftp:
      host: 127.0.0.1
      port: {port}
      username: council
      password: {{env: BRISTOW_SFTP_PASSWORD}}
      host_key: {{env: BRISTOW_HOST_KEY}}
      inbox: /collectco/inbox
      outbox: /collectco/outbox
    keys:
      our_private_key: {{env: COUNCIL_PGP_PRIVATE}}
      agent_public_key: {{env: BRISTOW_PGP_PUBLIC}}
    schedule:
      poll_outbox_every_minutes: 60
"""


@pytest.fixture(scope="package")
def council_key() -> GeneratedKey:
    return generate_key("Derby City Council", "debt@derby.example", bits=2048)


@pytest.fixture(scope="package")
def agent_key() -> GeneratedKey:
    return generate_key("Bristow Enforcement", "files@bristow.example", bits=2048)


@pytest.fixture(scope="package")
def stranger_key() -> GeneratedKey:
    return generate_key("Someone Else", "files@else.example", bits=2048)


@pytest.fixture(scope="package")
async def sftp_server(tmp_path_factory: pytest.TempPathFactory):
    server = AgentSftpServer(
        tmp_path_factory.mktemp("bristow_sftp"),
        asyncssh.generate_private_key("ssh-ed25519"),
        username="council",
        password=secrets.token_urlsafe(16),
    )
    await server.start()
    yield server
    await server.stop()


def registry_for(
    server: AgentSftpServer, council_key: GeneratedKey, agent_key: GeneratedKey
) -> AgentRegistry:
    """The registry pointing at the test's SFTP server, secrets given as environment variables."""
    return parse_agent_registry(
        REGISTRY_YAML.format(port=server.port),
        {
            "BRISTOW_SFTP_PASSWORD": server.password,
            "BRISTOW_HOST_KEY": server.pinned_host_key,
            "COUNCIL_PGP_PRIVATE": council_key.private_armoured.get_secret_value(),
            "BRISTOW_PGP_PUBLIC": agent_key.public_armoured,
        },
    )


@pytest.fixture(scope="package")
async def gateway(sftp_server, council_key, agent_key):
    """The gateway's runtime consuming from the real broker, its registry pointing at the test SFTP server.
    Scheduled batches and outbox polling are driven by the tests (the send-now and poll-now triggers); holds and
    recalls go by themselves."""
    from services.agents_gateway.bootstrap import bootstrap

    gateway = bootstrap(poll_agents=False, send_on_schedule=False)
    gateway.agents.use(registry_for(sftp_server, council_key, agent_key))
    await gateway.runtime.start()
    yield gateway
    await gateway.runtime.stop()


@pytest.fixture(scope="package")
async def http(gateway):
    """The gateway's HTTP app as the agents officer calls it (signed in at the test identity provider)."""
    transport = httpx.ASGITransport(app=gateway.runtime.http_app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://gateway", headers=officer_headers("agents.officer")
    ) as client:
        yield client


@pytest.fixture(scope="package")
def agent(sftp_server, council_key, agent_key) -> SimulatedAgent:
    return SimulatedAgent(
        AGENT, COUNCIL, sftp_server.root, agent_key.private_armoured, council_key.public_armoured
    )


async def a_debtor() -> UUID:
    """Register a debtor as billing would announce them."""
    customer_id = uuid4()
    await publish(
        CustomerRegistered(
            customer_id=customer_id,
            identity=LiableParty(
                kind="person",
                first_names="Jane",
                surname="Example",
                date_of_birth=date(1980, 2, 3),
                address=PostalAddress(lines=["1 High Street", "Derby"], postcode="DE1 1AA"),
            ),
        )
    )
    return customer_id


async def a_council_tax_referral(
    balance_pence: int = 850_00,
    *,
    customer_id: UUID | None = None,
    vulnerability_flags: list[str] | None = None,
) -> CaseReferred:
    """Recovery refers a council tax case with its liability order (of a new debtor unless `customer_id` names
    one already registered); returns the referral."""
    customer_id = customer_id or await a_debtor()
    referral = CaseReferred(
        referral_id=uuid4(),
        case_id=uuid4(),
        debt_id=uuid4(),
        customer_ids=[customer_id],
        debt_type="council_tax",
        balance_pence=balance_pence,
        referred_on=date(2026, 6, 1),
        agency_kind="enforcement_agent",
        liability_order_reference=f"LO-{uuid4().hex[:8]}",
        liability_order_date=date(2026, 4, 20),
        vulnerability_flags=vulnerability_flags or [],
    )
    await publish(referral)
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM agents_gateway.placement p JOIN agents_gateway.debtor d "
            "ON d.customer_id = p.customer_ids[1] WHERE p.referral_id = $1",
            referral.referral_id,
        ),
        lambda count: count == 1,
    )
    return referral


async def placement_status(referral_id: UUID) -> str:
    return await fetch_value(
        "SELECT status FROM agents_gateway.placement WHERE referral_id = $1", referral_id
    )


async def published(routing_key: str, field: str, value: str) -> list[dict]:
    """Events the gateway wrote to its outbox of this type whose data[field] equals value."""
    import json

    from tests.council_bus import database

    connection = await database()
    try:
        rows = await connection.fetch(
            "SELECT body FROM agents_gateway.outbox WHERE routing_key = $1 "
            "AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> $2 = $3",
            routing_key,
            field,
            value,
        )
    finally:
        await connection.close()
    return [json.loads(row["body"])["data"] for row in rows]


async def placed_with_the_agent(http: httpx.AsyncClient, agent: SimulatedAgent, referral: CaseReferred):
    """Send waiting placements now; the placement record the agent received for this referral."""
    response = await http.post(f"/agents/{AGENT}/send-now")
    assert response.status_code == 200, response.text
    placements = agent.records_about(str(referral.referral_id), "placement")
    assert len(placements) == 1, "the placement did not reach the agent (once)"
    return placements[0]
