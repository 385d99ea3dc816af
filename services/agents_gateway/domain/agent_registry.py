"""The registry of enforcement agents and collection agencies the council places debts with.

Loaded from a YAML file (see `load_agent_registry`). Passwords and keys never appear in the YAML itself: each is a
reference to an environment variable or a secrets file, resolved at load time into a pydantic `SecretStr` so that
neither `repr`, `str` nor a structured log line can print it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from services.agents_gateway.domain.breathing_space_scope import OngoingLiabilitiesOnPlacedDebts
from services.agents_gateway.domain.debt_types import DebtType
from services.agents_gateway.domain.file_format import SUPPORTED_FORMAT_VERSIONS


class AgentKind(StrEnum):
    """Enforcement agents take control of goods under Schedule 12 TCEA 2007; collection agencies only collect."""

    ENFORCEMENT_AGENT = "enforcement_agent"
    COLLECTION_AGENCY = "collection_agency"


class AgentRegistryError(ValueError):
    """The registry file is malformed or names a secret that cannot be found (the secret itself is never shown)."""


class SftpEndpoint(BaseModel):
    """Where the agent's SFTP server is and how we log in. `inbox` is where we upload; `outbox` is what we poll."""

    model_config = ConfigDict(frozen=True)

    host: str
    port: int = Field(default=22, ge=1, le=65535)
    username: str
    password: SecretStr | None = None
    client_private_key: SecretStr | None = None
    # Pinned in OpenSSH known_hosts form ("ssh-ed25519 AAAA..."): we never trust a key on first use.
    host_key: str
    inbox: str = "/inbox"
    outbox: str = "/outbox"

    @model_validator(mode="after")
    def _one_way_to_log_in(self) -> SftpEndpoint:
        if self.password is None and self.client_private_key is None:
            raise ValueError("an SFTP endpoint needs a password or a client private key")
        return self


class OpenPgpKeys(BaseModel):
    """Our signing (and decrypting) key and the agent's public key, all ASCII armoured."""

    model_config = ConfigDict(frozen=True)

    our_private_key: SecretStr
    our_private_key_passphrase: SecretStr | None = None
    agent_public_key: SecretStr


class ExchangeSchedule(BaseModel):
    """When placements are batched and how often the agent's outbox is polled.

    Holds and recalls ignore the batch time: breathing space obliges the council to stop enforcement at once.
    """

    model_config = ConfigDict(frozen=True)

    placements_at: time = time(18, 0)
    amendments_at: time = time(18, 0)
    poll_outbox_every_minutes: int = Field(default=15, ge=1)
    working_days_only: bool = True
    acknowledgement_due_within_days: int = Field(default=5, ge=1)


class Agent(BaseModel):
    """One enforcement agent or collection agency as the council contracts with it."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=r"^[A-Z0-9_]{2,20}$")
    name: str
    kind: AgentKind
    debt_types: frozenset[DebtType]
    sftp: SftpEndpoint
    keys: OpenPgpKeys
    file_format_version: str = "1.0"
    schedule: ExchangeSchedule = ExchangeSchedule()
    max_file_bytes: int | None = Field(default=None, gt=0)
    """The largest file the council reads from this agent (None: the gateway's AGENTS_GATEWAY_MAX_FILE_BYTES)."""

    @field_validator("file_format_version")
    @classmethod
    def _known_format(cls, version: str) -> str:
        if version not in SUPPORTED_FORMAT_VERSIONS:
            raise ValueError(f"file format version {version!r} is not one this gateway speaks")
        return version

    def takes(self, debt_type: DebtType) -> bool:
        """True when the council's contract lets this agent collect `debt_type`."""
        return debt_type in self.debt_types


class AgentRegistry(BaseModel):
    """Every agent and agency one council uses, by code."""

    model_config = ConfigDict(frozen=True)

    council: str
    agents: tuple[Agent, ...]
    ongoing_liabilities_in_breathing_space: OngoingLiabilitiesOnPlacedDebts = (
        OngoingLiabilitiesOnPlacedDebts.STOPPED
    )
    """What the council lets an agent do about the ongoing liabilities within a placed debt while a breathing
    space covers it (`domain/breathing_space_scope.py`): by default nothing, as the creditor guidance expects."""

    @model_validator(mode="after")
    def _codes_are_unique(self) -> AgentRegistry:
        codes = [agent.code for agent in self.agents]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"agent codes used twice: {', '.join(duplicates)}")
        return self

    def agent(self, code: str) -> Agent:
        """The agent with this code; KeyError when the council has none."""
        for agent in self.agents:
            if agent.code == code:
                return agent
        raise KeyError(code)

    def agents_taking(self, debt_type: DebtType) -> tuple[Agent, ...]:
        """Agents whose contract covers `debt_type`, in registry order."""
        return tuple(agent for agent in self.agents if agent.takes(debt_type))


# Fields whose YAML value is a reference ({env: NAME} or {file: path}) rather than the value itself.
_SECRET_FIELDS_IN_SFTP = ("password", "client_private_key")
_SECRET_FIELDS_IN_KEYS = ("our_private_key", "our_private_key_passphrase", "agent_public_key")
# Public material that may be written inline, or (for a generated development setup) read from a file.
_PUBLIC_FIELDS = ("agent_public_key", "host_key")


def _resolve_secret(reference: Any, where: str, environ: Mapping[str, str], base_dir: Path | None) -> str:
    """Turn `{env: NAME}` or `{file: path}` into the secret's text.

    A plain string is refused for private material so that nobody pastes a password into the registry; public
    keys may be given inline with `{inline: ...}` because they are not secret.
    """
    if not isinstance(reference, Mapping) or len(reference) != 1:
        raise AgentRegistryError(f"{where}: give exactly one of env, file or inline, not a bare value")
    ((source, name),) = reference.items()
    if source == "env":
        if name not in environ:
            raise AgentRegistryError(f"{where}: environment variable {name} is not set")
        return environ[name]
    if source == "file":
        path = Path(name)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise AgentRegistryError(
                f"{where}: secrets file {path} cannot be read ({error.strerror})"
            ) from None
    if source == "inline" and where.endswith(_PUBLIC_FIELDS):
        return str(name)
    raise AgentRegistryError(f"{where}: unknown secret source {source!r}")


def parse_agent_registry(
    yaml_text: str, environ: Mapping[str, str], base_dir: Path | None = None
) -> AgentRegistry:
    """Build the registry from YAML text, resolving secret references from `environ` and secrets files.

    `base_dir` anchors relative secrets-file paths (normally the directory of the registry file).
    """
    try:
        document = yaml.safe_load(yaml_text)
    except yaml.YAMLError as error:
        raise AgentRegistryError(f"agent registry is not valid YAML: {error}") from None
    if not isinstance(document, Mapping) or "agents" not in document:
        raise AgentRegistryError("agent registry needs a 'council' and a list of 'agents'")
    agents: list[dict[str, Any]] = []
    for position, raw in enumerate(document.get("agents") or []):
        entry = dict(raw)
        label = f"agents[{position}] ({entry.get('code', '?')})"
        sftp = dict(entry.get("sftp") or {})
        for field in _SECRET_FIELDS_IN_SFTP:
            if sftp.get(field) is not None:
                sftp[field] = _resolve_secret(sftp[field], f"{label}.sftp.{field}", environ, base_dir)
        if isinstance(sftp.get("host_key"), Mapping):
            sftp["host_key"] = _resolve_secret(
                sftp["host_key"], f"{label}.sftp.host_key", environ, base_dir
            ).strip()
        keys = dict(entry.get("keys") or {})
        for field in _SECRET_FIELDS_IN_KEYS:
            if keys.get(field) is not None:
                keys[field] = _resolve_secret(keys[field], f"{label}.keys.{field}", environ, base_dir)
        entry["sftp"] = sftp
        entry["keys"] = keys
        agents.append(entry)
    try:
        council_settings = {
            key: document[key] for key in ("ongoing_liabilities_in_breathing_space",) if key in document
        }
        return AgentRegistry.model_validate(
            {"council": document.get("council"), "agents": agents, **council_settings}
        )
    except ValueError as error:
        # pydantic echoes input values; secrets are SecretStr by then, but say only where the fault is.
        raise AgentRegistryError(_describe_without_values(error)) from None


def load_agent_registry(
    path: Path, environ: Mapping[str, str], secrets_dir: Path | None = None
) -> AgentRegistry:
    """Read the registry YAML at `path`; relative secrets-file paths are taken from `secrets_dir` when given,
    otherwise from the registry's own directory."""
    return parse_agent_registry(
        path.read_text(encoding="utf-8"), environ, base_dir=secrets_dir or path.parent
    )


def _describe_without_values(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if errors is None:
        return str(error)
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
        for item in errors(include_input=False, include_url=False)
    )
