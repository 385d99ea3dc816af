"""Each service's OpenAPI document is what an integrator generates a client from: valid OpenAPI 3.1, every
operation with a unique id and a tag, and the refusals every protected operation can give stated beside it."""

from __future__ import annotations

import importlib
import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

SERVICES = ("billing", "recovery", "breathing_space", "agents_gateway", "writeoff")
OPENAPI_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "openapi-3.1.json").read_text())


def document_of(service: str) -> dict:
    running = importlib.import_module(f"services.{service}.bootstrap").bootstrap()
    return running.runtime.served_http_app().openapi()


def operations_of(document: dict) -> list[dict]:
    return [op for item in document["paths"].values() for op in item.values() if isinstance(op, dict)]


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_is_valid_openapi_3_1(service: str) -> None:
    document = document_of(service)
    validator = jsonschema.validators.validator_for(OPENAPI_SCHEMA)(OPENAPI_SCHEMA)
    assert [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(document)] == []


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_has_a_unique_id_a_tag_and_its_refusals(service: str) -> None:
    operations = operations_of(document_of(service))
    ids = Counter(op["operationId"] for op in operations)
    assert [name for name, count in ids.items() if count > 1] == []
    assert all("_" not in name for name in ids), (
        "ids are the handlers' names, not FastAPI's path-derived ones"
    )
    assert all(op.get("tags") for op in operations)
    protected = [op for op in operations if op.get("security")]
    assert protected and all({"401", "403"} <= set(op["responses"]) for op in protected)
