"""The message envelope and the registry of versioned contracts.

Every message on the bus is an `Envelope` whose `data` is one registered contract, identified by its `type`
(also the routing key, `<service>.<entity>.<event>` in the past tense) and `version`. A consumer refuses anything
it cannot identify: bad JSON, an envelope with missing fields, an unknown type or version, or data that does not
fit the contract. Those go to the dead-letter queue with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Self, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shared.contracts.bounds import check_bounds
from shared.ids import new_id


class Contract(BaseModel):
    """Base of every message contract: immutable, strict about unknown fields, registered by type+version, and
    within the bounds any message may carry (`bounds.py`: amounts, text lengths, printable names, list sizes,
    sane years)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message_type: ClassVar[str]
    message_version: ClassVar[int]

    @model_validator(mode="after")
    def _within_bounds(self) -> Self:
        check_bounds(self)
        return self


C = TypeVar("C", bound=type[Contract])

CONTRACTS: dict[tuple[str, int], type[Contract]] = {}


def contract(message_type: str, version: int = 1):
    """Register a contract class under its routing key and version."""

    def register(cls: C) -> C:
        key = (message_type, version)
        if key in CONTRACTS and CONTRACTS[key] is not cls:
            raise ValueError(f"contract {message_type} v{version} registered twice")
        cls.message_type = message_type
        cls.message_version = version
        CONTRACTS[key] = cls
        return cls

    return register


class Envelope(BaseModel):
    """What travels on the bus: identity, causality and provenance around one contract's data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID = Field(default_factory=new_id)
    type: str
    version: int
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    correlation_id: UUID
    causation_id: UUID | None = None
    producer: str
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        message: Contract,
        *,
        producer: str,
        correlation_id: UUID | None = None,
        causation: Envelope | None = None,
        event_id: UUID | None = None,
    ) -> Envelope:
        """Put `message` in an envelope. Caused by another message: inherit its correlation id."""
        event_id = event_id or new_id()
        if causation is not None:
            correlation_id = causation.correlation_id
        # Built from a contract that is already valid: validating the envelope again cost as much as everything
        # else a bulk run does per event.
        return cls.model_construct(
            event_id=event_id,
            type=message.message_type,
            version=message.message_version,
            occurred_at=datetime.now(UTC),
            correlation_id=correlation_id or event_id,
            causation_id=causation.event_id if causation else None,
            producer=producer,
            data=message.model_dump(mode="json"),
        )

    def to_bytes(self) -> bytes:
        """The JSON bytes published on the bus."""
        return self.model_dump_json().encode()


class MalformedMessage(Exception):
    """A message that can never be handled as it is; `reason` says why in words an operator can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ContractViolation(MalformedMessage):
    """An envelope that opened, whose data does not fit its contract (or is beyond the bounds any message may
    carry). The envelope is kept so that a service can answer its sender (a refused charge) instead of only
    dead-lettering it."""

    def __init__(self, reason: str, envelope: Envelope) -> None:
        super().__init__(reason)
        self.envelope = envelope


def _first_errors(error: ValidationError, limit: int = 3) -> str:
    parts = []
    for item in error.errors()[:limit]:
        where = ".".join(str(p) for p in item["loc"]) or "(root)"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def open_envelope(body: bytes) -> tuple[Envelope, Contract]:
    """Parse bytes into an envelope and its contract, or raise MalformedMessage with the reason."""
    try:
        envelope = Envelope.model_validate_json(body)
    except ValidationError as error:
        kinds = {e["type"] for e in error.errors()}
        if "json_invalid" in kinds or "json_type" in kinds:
            raise MalformedMessage(f"not valid JSON: {_first_errors(error)}") from None
        raise MalformedMessage(f"not a valid envelope: {_first_errors(error)}") from None
    model = CONTRACTS.get((envelope.type, envelope.version))
    if model is None:
        known = sorted(v for (t, v) in CONTRACTS if t == envelope.type)
        if known:
            raise MalformedMessage(f"unknown version {envelope.version} of {envelope.type} (known: {known})")
        raise MalformedMessage(f"unknown message type {envelope.type!r}")
    try:
        return envelope, model.model_validate(envelope.data)
    except ValidationError as error:
        raise ContractViolation(
            f"{envelope.type} v{envelope.version} does not fit its contract: {_first_errors(error)}", envelope
        ) from None
