"""The documented notification format: every example parses, malformed documents are refused with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.breathing_space.domain.notifications import (
    NotificationKind,
    parse_notification,
    render_notification,
)

from .notification_documents import COUNCIL_TAX, document

EXAMPLES = Path(__file__).resolve().parents[3] / "services" / "breathing_space" / "examples"


def test_there_is_one_documented_example_for_every_kind() -> None:
    assert {p.stem for p in EXAMPLES.glob("*.json")} == {k.value for k in NotificationKind}


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_documented_example_is_accepted_and_round_trips(example: Path) -> None:
    parsed = parse_notification(example.read_bytes())
    assert parsed.notification is not None, parsed.refusal
    assert parsed.notification.kind == example.stem
    again = parse_notification(render_notification(parsed.notification))
    assert again.notification == parsed.notification


def _refusal(doc: object) -> str:
    parsed = parse_notification(json.dumps(doc))
    assert parsed.notification is None
    assert parsed.refusal
    return parsed.refusal


def test_a_document_that_is_not_json_is_refused_with_a_reason() -> None:
    parsed = parse_notification(b"\xff{not json")
    assert not parsed.accepted
    assert parsed.refusal is not None and "not JSON" in parsed.refusal


def test_an_unsupported_schema_version_is_refused_naming_the_version() -> None:
    doc = document("new_standard_breathing_space", "N1", start_date="2025-03-01")
    doc["schema_version"] = "2"
    assert "'2'" in _refusal(doc)


def test_an_unknown_kind_is_refused() -> None:
    assert "unknown kind" in _refusal(document("debts_forgiven", "N1"))


def test_a_float_amount_is_refused_rather_than_rounded() -> None:
    debt = {**COUNCIL_TAX, "amount_pence": 842.17}
    reason = _refusal(document("new_standard_breathing_space", "N1", start_date="2025-03-01", debts=[debt]))
    assert "debts.0.amount_pence" in reason


def test_a_bad_postcode_is_refused_without_echoing_personal_data() -> None:
    doc = document("new_standard_breathing_space", "N1", start_date="2025-03-01")
    doc["debtor"] = {
        **doc["debtor"],
        "current_address": {"lines": ["14 Abbey Street"], "postcode": "NOT A CODE"},
    }
    reason = _refusal(doc)
    assert "debtor.current_address.postcode" in reason
    assert "Fletcher" not in reason and "NOT A CODE" not in reason


def test_a_new_breathing_space_without_debts_is_refused() -> None:
    reason = _refusal(document("new_standard_breathing_space", "N1", start_date="2025-03-01", debts=[]))
    assert "debts" in reason


def test_a_cancellation_must_say_who_cancelled_it_and_why() -> None:
    reason = _refusal(document("cancelled", "N1", cancelled_on="2025-03-10", cancelled_by="debtor"))
    assert "cancelled_by" in reason and "reason" in reason


def test_an_issue_time_without_a_time_zone_is_refused() -> None:
    doc = document("expired", "N1", expired_on="2025-04-30")
    doc["issued_at"] = "2025-04-30T09:00:00"
    assert "issued_at" in _refusal(doc)


def test_unknown_fields_are_refused() -> None:
    doc = document("expired", "N1", expired_on="2025-04-30", colour="blue")
    assert "colour" in _refusal(doc)


def test_postcodes_are_normalised() -> None:
    doc = document("new_standard_breathing_space", "N1", start_date="2025-03-01")
    doc["debtor"] = {**doc["debtor"], "current_address": {"lines": ["1 High St"], "postcode": " de223sj "}}
    parsed = parse_notification(json.dumps(doc))
    assert parsed.notification is not None
    assert parsed.notification.debtor.current_address.postcode == "DE22 3SJ"


@given(st.binary(max_size=300))
def test_parsing_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    parsed = parse_notification(raw)
    assert parsed.accepted != (parsed.refusal is not None)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=20,
    )
)
def test_parsing_never_raises_on_arbitrary_json(value: object) -> None:
    base = document("new_standard_breathing_space", "N1", start_date="2025-03-01")
    for doc in (value, {**base, "debtor": value}, {**base, "debts": value}):
        parsed = parse_notification(json.dumps(doc))
        assert parsed.accepted != (parsed.refusal is not None)
