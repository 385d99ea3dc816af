"""The agent registry loads from YAML with its secrets taken from the environment or secrets files."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.agents_gateway.domain.agent_registry import (
    AgentKind,
    AgentRegistryError,
    load_agent_registry,
    parse_agent_registry,
)
from services.agents_gateway.domain.debt_types import DebtType

REGISTRY = """
council: derby
agents:
  - code: BRISTOW
    name: Bristow Enforcement Ltd
    kind: enforcement_agent
    debt_types: [council_tax, business_rates]
    sftp:
      host: sftp.bristow.example
      port: 2222
      username: derby
      password: {env: BRISTOW_SFTP_PASSWORD}
      host_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample"
      inbox: /in
      outbox: /out
    keys:
      our_private_key: {file: council.key.asc}
      our_private_key_passphrase: {env: COUNCIL_KEY_PASSPHRASE}
      agent_public_key: {file: bristow.pub.asc}
    file_format_version: "1.0"
    schedule:
      placements_at: "17:30"
      poll_outbox_every_minutes: 5
  - code: COLLECTCO
    name: Collect Co
    kind: collection_agency
    debt_types: [sundry, housing_benefit_overpayment]
    sftp:
      host: files.collectco.example
      username: derby
      password: {env: COLLECTCO_SFTP_PASSWORD}
      host_key: "ssh-ed25519 AAAAOther"
    keys:
      our_private_key: {file: council.key.asc}
      agent_public_key: {inline: "-----BEGIN PGP PUBLIC KEY BLOCK-----"}
"""

ENVIRON = {
    "BRISTOW_SFTP_PASSWORD": "s3cret-sftp",
    "COUNCIL_KEY_PASSPHRASE": "pass-phrase",
    "COLLECTCO_SFTP_PASSWORD": "other-secret",
}


@pytest.fixture()
def registry_dir(tmp_path: Path) -> Path:
    (tmp_path / "council.key.asc").write_text("-----BEGIN PGP PRIVATE KEY BLOCK-----\nSECRETKEY\n")
    (tmp_path / "bristow.pub.asc").write_text("-----BEGIN PGP PUBLIC KEY BLOCK-----\n")
    (tmp_path / "agents.yaml").write_text(REGISTRY)
    return tmp_path


def test_the_registry_loads_each_agent_with_its_kind_debt_types_and_endpoint(registry_dir: Path) -> None:
    registry = load_agent_registry(registry_dir / "agents.yaml", ENVIRON)
    bristow = registry.agent("BRISTOW")
    assert registry.council == "derby"
    assert bristow.kind is AgentKind.ENFORCEMENT_AGENT
    assert bristow.takes(DebtType.COUNCIL_TAX) and not bristow.takes(DebtType.SUNDRY)
    assert (bristow.sftp.host, bristow.sftp.port, bristow.sftp.inbox, bristow.sftp.outbox) == (
        "sftp.bristow.example",
        2222,
        "/in",
        "/out",
    )
    assert bristow.schedule.poll_outbox_every_minutes == 5
    assert [agent.code for agent in registry.agents_taking(DebtType.SUNDRY)] == ["COLLECTCO"]


def test_secrets_are_resolved_from_the_environment_and_secrets_files(registry_dir: Path) -> None:
    bristow = load_agent_registry(registry_dir / "agents.yaml", ENVIRON).agent("BRISTOW")
    assert bristow.sftp.password is not None
    assert bristow.sftp.password.get_secret_value() == "s3cret-sftp"
    assert "SECRETKEY" in bristow.keys.our_private_key.get_secret_value()


def test_no_secret_appears_in_the_repr_or_str_of_the_registry(registry_dir: Path) -> None:
    registry = load_agent_registry(registry_dir / "agents.yaml", ENVIRON)
    shown = repr(registry) + str(registry) + registry.model_dump_json()
    for secret in ("s3cret-sftp", "pass-phrase", "other-secret", "SECRETKEY"):
        assert secret not in shown


def test_a_password_written_into_the_registry_itself_is_refused(registry_dir: Path) -> None:
    text = REGISTRY.replace("password: {env: BRISTOW_SFTP_PASSWORD}", "password: hunter2")
    with pytest.raises(AgentRegistryError, match=r"sftp\.password") as raised:
        parse_agent_registry(text, ENVIRON, registry_dir)
    assert "hunter2" not in str(raised.value)


def test_a_missing_environment_variable_names_the_variable_not_a_value(registry_dir: Path) -> None:
    environ = {key: value for key, value in ENVIRON.items() if key != "BRISTOW_SFTP_PASSWORD"}
    with pytest.raises(AgentRegistryError, match="BRISTOW_SFTP_PASSWORD"):
        parse_agent_registry(REGISTRY, environ, registry_dir)


def test_a_missing_secrets_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(AgentRegistryError, match=r"council\.key\.asc"):
        parse_agent_registry(REGISTRY, ENVIRON, tmp_path)


def test_an_unknown_debt_type_or_format_version_is_refused(registry_dir: Path) -> None:
    with pytest.raises(AgentRegistryError, match="debt_types"):
        parse_agent_registry(
            REGISTRY.replace("[council_tax, business_rates]", "[dog_licence]"), ENVIRON, registry_dir
        )
    with pytest.raises(AgentRegistryError, match="file_format_version"):
        parse_agent_registry(REGISTRY.replace('"1.0"', '"7.0"'), ENVIRON, registry_dir)


def test_two_agents_with_one_code_are_refused(registry_dir: Path) -> None:
    with pytest.raises(AgentRegistryError, match="COLLECTCO"):
        parse_agent_registry(REGISTRY.replace("code: BRISTOW", "code: COLLECTCO"), ENVIRON, registry_dir)
