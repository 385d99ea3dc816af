"""The AsyncAPI documents committed in docs/asyncapi/ (what a council's integrator reads) are exactly what the
services declare today: regenerate them with `council-debt asyncapi` after changing a contract or a queue."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import jsonschema
import pytest

DOCUMENTS = Path(__file__).resolve().parents[3] / "docs" / "asyncapi"
SERVICES = ("billing", "recovery", "breathing_space", "agents_gateway", "writeoff")
ASYNCAPI_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "asyncapi-3.0.0.json").read_text())


@pytest.mark.parametrize("service", SERVICES)
def test_the_committed_asyncapi_document_is_what_the_service_declares(service: str) -> None:
    running = importlib.import_module(f"services.{service}.bootstrap").bootstrap()
    declared = running.runtime.asyncapi_document()
    committed = json.loads((DOCUMENTS / f"{service}.json").read_text())
    # The broker's address is where the document was generated, not part of the contract.
    declared.pop("servers", None)
    committed.pop("servers", None)
    assert committed == declared, f"docs/asyncapi/{service}.json is stale: run `council-debt asyncapi`"


@pytest.mark.parametrize("service", SERVICES)
def test_every_event_a_service_owns_is_in_its_document(service: str) -> None:
    from shared.broker_identity import owner_of
    from shared.contracts.envelope import CONTRACTS

    committed = json.loads((DOCUMENTS / f"{service}.json").read_text())
    addresses = {channel["address"] for channel in committed["channels"].values()}
    owned = {message_type for message_type, _ in CONTRACTS if owner_of(message_type) == service}
    assert owned, f"{service} owns no events"
    assert owned <= addresses, f"missing from docs/asyncapi/{service}.json: {sorted(owned - addresses)}"


def test_the_correlation_id_is_documented_where_it_travels() -> None:
    committed = json.loads((DOCUMENTS / "billing.json").read_text())
    for message in committed["components"]["messages"].values():
        assert message["correlationId"]["location"] == "$message.payload#/correlation_id"


@pytest.mark.parametrize("document", [*SERVICES, "council_systems"])
def test_every_document_is_valid_asyncapi_3(document: str) -> None:
    committed = json.loads((DOCUMENTS / f"{document}.json").read_text())
    validator = jsonschema.validators.validator_for(ASYNCAPI_SCHEMA)(ASYNCAPI_SCHEMA)
    problems = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(committed)]
    assert problems == []


@pytest.mark.parametrize("document", [*SERVICES, "council_systems"])
def test_every_message_is_named_and_described_by_its_contract(document: str) -> None:
    committed = json.loads((DOCUMENTS / f"{document}.json").read_text())
    for key, message in committed["components"]["messages"].items():
        assert message.get("name") and message.get("summary") and message.get("description"), key


def test_the_council_systems_document_is_current_and_lists_every_request_they_may_publish() -> None:
    from shared.asyncapi_documents import council_systems_document
    from shared.contracts.envelope import CONTRACTS

    committed = json.loads((DOCUMENTS / "council_systems.json").read_text())
    declared = council_systems_document()
    committed.pop("servers", None)
    assert committed == declared, "docs/asyncapi/council_systems.json is stale: run `council-debt asyncapi`"
    requests = {t for (t, _) in CONTRACTS if t.startswith("council_systems.")}
    sent = {
        op["channel"]["$ref"].rsplit("/", 1)[-1]
        for op in committed["operations"].values()
        if op["action"] == "send"
    }
    assert sent == requests


def test_every_field_a_council_system_sends_is_described() -> None:
    from pydantic import BaseModel

    from shared.contracts.envelope import CONTRACTS

    undescribed: list[str] = []

    def walk(model: type[BaseModel], seen: set[type]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            if not field.description:
                undescribed.append(f"{model.__name__}.{name}")
            for part in (*getattr(field.annotation, "__args__", ()), field.annotation):
                if isinstance(part, type) and issubclass(part, BaseModel):
                    walk(part, seen)

    seen: set[type] = set()
    for (message_type, _), model in CONTRACTS.items():
        if message_type.startswith("council_systems."):
            walk(model, seen)
    assert undescribed == []
