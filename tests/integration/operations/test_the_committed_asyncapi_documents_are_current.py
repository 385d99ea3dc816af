"""The AsyncAPI documents committed in docs/asyncapi/ (what a council's integrator reads) are exactly what the
services declare today: regenerate them with `council-debt asyncapi` after changing a contract or a queue."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

DOCUMENTS = Path(__file__).resolve().parents[3] / "docs" / "asyncapi"
SERVICES = ("billing", "recovery", "breathing_space", "agents_gateway", "writeoff")


@pytest.mark.parametrize("service", SERVICES)
def test_the_committed_asyncapi_document_is_what_the_service_declares(service: str) -> None:
    running = importlib.import_module(f"services.{service}.bootstrap").bootstrap()
    declared = json.loads(running.runtime.asyncapi().schema.to_specification().to_json())
    committed = json.loads((DOCUMENTS / f"{service}.json").read_text())
    # The broker's address is where the document was generated, not part of the contract.
    declared.pop("servers", None)
    committed.pop("servers", None)
    assert committed == declared, f"docs/asyncapi/{service}.json is stale: run `council-debt asyncapi`"
