"""What the AsyncAPI documents say beyond what FastStream generates, so a council's integrator can work from them
alone: every message named by its routing key and described by its contract's docstring, every envelope field
described, and one document for the council's own systems (what they publish to the platform and what they hear
back), built from the same contracts as the services' documents.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from shared.contracts.envelope import CONTRACTS, Contract
from shared.docstrings import described

EXCHANGE = "council.events"

ENVELOPE_FIELDS = {
    "event_id": "Unique per event (a UUID). Also the AMQP message_id. A consumer applies an event once, whatever "
    "the redeliveries; reusing an id with different content is refused.",
    "type": "The contract's routing key, `<owner>.<entity>.<event>` in the past tense (or a request).",
    "version": "The contract's version; a consumer refuses a version it does not know.",
    "occurred_at": "When the event happened (ISO 8601 with offset).",
    "correlation_id": "Shared by every event caused, directly or not, by the same first event: set it on a "
    "request and find it on every answer.",
    "causation_id": "The event_id of the event that caused this one, if any.",
    "producer": "The service or system that produced the event; it must own the routing key's first part.",
    "data": "The contract's own fields (below).",
}

# What the council's own systems (revenues, finance, housing, benefits, the originating services) hear from the
# platform: answers to their requests and the requests the platform makes of them.
HEARD_BY_COUNCIL_SYSTEMS = (
    "billing.debt.raised",
    "billing.charge.refused",
    "billing.credit_note.issued",
    "billing.credit_note.refused",
    "billing.debt.cancelled",
    "billing.cancellation.refused",
    "billing.refund_request.answered",
    "billing.refund.authorised",
    "recovery.proof_of_debt.requested",
    "recovery.benefit_deduction.requested",
    "recovery.benefit_deduction.suspension_requested",
)


def _summary(docstring: str) -> str:
    first = " ".join(docstring.split()).split(". ")[0].rstrip(".")
    return first + "."


def _contract_of(message_type: str) -> type[Contract] | None:
    versions = sorted((v, cls) for (t, v), cls in CONTRACTS.items() if t == message_type)
    return versions[-1][1] if versions else None


def describe_messages(document: dict[str, Any]) -> dict[str, Any]:
    """Name each message by its routing key, give it its contract's summary and description, and describe the
    envelope's fields wherever the document shows them."""
    channels = document.get("channels", {})
    messages = document.get("components", {}).get("messages", {})
    schemas = document.get("components", {}).get("schemas", {})
    for channel in channels.values():
        address = channel.get("address", "")
        contract = _contract_of(address)
        for reference in channel.get("messages", {}).values():
            key = reference.get("$ref", "").rsplit("/", 1)[-1]
            if key not in messages:
                continue
            if contract is not None:
                text, title = described(contract.__doc__) or "", f"{address} (v{contract.message_version})"
            else:  # not an envelope (e.g. the Insolvency Service's signed documents): its schema says what it is
                payload = messages[key].get("payload", {}).get("$ref", "").rsplit("/", 1)[-1]
                text, title = str(schemas.get(payload, {}).get("description", address)).strip(), address
            messages[key].update(name=address, title=title, summary=_summary(text), description=text)
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        properties = schema.get("properties", {})
        if name.endswith("Message") and set(ENVELOPE_FIELDS) <= set(properties):
            for field, text in ENVELOPE_FIELDS.items():
                properties[field]["description"] = text
    return document


def council_systems_document(servers: dict[str, Any] | None = None) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the council's own systems: each `council_systems.*` request they may publish
    (as the `council_systems` broker user, to the `council.events` topic exchange, routing key = type), and each
    event they may hear by binding a queue of their own to that exchange."""
    published = sorted(t for (t, _) in CONTRACTS if t.startswith("council_systems."))
    contracts = {t: _contract_of(t) for t in (*published, *HEARD_BY_COUNCIL_SYSTEMS)}
    missing = [t for t, c in contracts.items() if c is None]
    if missing:
        raise ValueError(f"no contract for {missing}")
    _, definitions = models_json_schema(
        [(c, "validation") for c in contracts.values() if c is not None],
        ref_template="#/components/schemas/{model}",
    )
    schemas: dict[str, Any] = dict(definitions.get("$defs", {}))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for message_type, contract in contracts.items():
        assert contract is not None
        envelope = f"{contract.__name__}Envelope"
        schemas[envelope] = {
            "type": "object",
            "additionalProperties": False,
            "required": ["type", "version", "correlation_id", "producer", "data"],
            "properties": {
                **{field: {"description": text} for field, text in ENVELOPE_FIELDS.items()},
                "data": {
                    "$ref": f"#/components/schemas/{contract.__name__}",
                    "description": ENVELOPE_FIELDS["data"],
                },
                "type": {"const": message_type, "description": ENVELOPE_FIELDS["type"]},
                "version": {"const": contract.message_version, "description": ENVELOPE_FIELDS["version"]},
            },
        }
        text = described(contract.__doc__) or ""
        messages[message_type] = {
            "name": message_type,
            "title": f"{message_type} (v{contract.message_version})",
            "summary": _summary(text),
            "description": text,
            "contentType": "application/json",
            "correlationId": {"location": "$message.payload#/correlation_id"},
            "payload": {"$ref": f"#/components/schemas/{envelope}"},
        }
        channels[message_type] = {
            "address": message_type,
            "messages": {message_type: {"$ref": f"#/components/messages/{message_type}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {"name": EXCHANGE, "type": "topic", "durable": True, "vhost": "/"},
                    "bindingVersion": "0.3.0",
                }
            },
        }
        sends = message_type in published
        operations[f"{'publish' if sends else 'hear'} {message_type}"] = {
            "action": "send" if sends else "receive",
            "channel": {"$ref": f"#/channels/{message_type}"},
            "messages": [{"$ref": f"#/channels/{message_type}/messages/{message_type}"}],
            "bindings": {"amqp": {"deliveryMode": 2, "bindingVersion": "0.3.0"}} if sends else {},
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Council systems and the debt recovery platform",
            "version": "1.0.0",
            "description": "What a council's own systems publish to the platform (`council_systems.*`, as the "
            "`council_systems` broker user: the broker refuses any other routing key from it) and what they "
            "hear back. Every message is a JSON envelope (event_id, type, version, occurred_at, correlation_id, "
            "causation_id, producer, data), published persistent to the `council.events` topic exchange with "
            "the type as routing key. The platform answers a request with the same correlation_id.",
        },
        **({"servers": servers} if servers else {}),
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
