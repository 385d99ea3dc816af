"""A document that came by the queue or the folder is verified by the same signature as a pushed one: unsigned,
wrongly signed or altered is refused; a genuine one that waited on a queue is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.breathing_space.domain.request_authentication import (
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    check_forwarded_document,
    read_signature_file,
    sign_request,
    signature_file_text,
)

SECRET = b"shared-secret-for-tests"
NOW = datetime(2025, 4, 2, 16, 30, tzinfo=UTC)
CANCELLED = b'{"kind": "cancelled", "moratorium_reference": "BS-1"}'


def _signature(body: bytes = CANCELLED, at: datetime = NOW, secret: bytes = SECRET) -> dict[str, str]:
    timestamp = str(int(at.timestamp()))
    return {
        TIMESTAMP_HEADER: timestamp,
        NONCE_HEADER: "n-1",
        SIGNATURE_HEADER: sign_request(secret, timestamp, "n-1", body),
    }


def test_a_genuine_document_is_accepted() -> None:
    assert check_forwarded_document(_signature(), CANCELLED, SECRET, NOW).accepted


def test_an_unsigned_document_is_refused() -> None:
    check = check_forwarded_document({}, CANCELLED, SECRET, NOW)
    assert not check.accepted
    assert check.refusal == f"missing header(s): {TIMESTAMP_HEADER}, {NONCE_HEADER}, {SIGNATURE_HEADER}"


def test_a_document_signed_with_another_secret_is_refused() -> None:
    check = check_forwarded_document(_signature(secret=b"guessed"), CANCELLED, SECRET, NOW)
    assert check.refusal == "signature does not match"


def test_a_signature_moved_onto_another_document_is_refused() -> None:
    genuine = b'{"kind": "details_amended", "moratorium_reference": "BS-1"}'
    check = check_forwarded_document(_signature(genuine), CANCELLED, SECRET, NOW)
    assert check.refusal == "signature does not match"


def test_a_genuine_document_that_waited_on_the_queue_for_a_day_is_accepted() -> None:
    # An outage must not turn a genuine notification into a refusal; a replay of it is a duplicate anyway.
    signed_yesterday = _signature(at=NOW - timedelta(days=1))
    assert check_forwarded_document(signed_yesterday, CANCELLED, SECRET, NOW).accepted


def test_a_timestamp_in_the_future_is_refused() -> None:
    ahead = _signature(at=NOW + timedelta(minutes=6))
    check = check_forwarded_document(ahead, CANCELLED, SECRET, NOW, timedelta(minutes=5))
    assert check.refusal == "timestamp more than 300s in the future"


def test_the_signature_file_carries_the_three_headers() -> None:
    signature = _signature()
    text = signature_file_text(
        signature[TIMESTAMP_HEADER], signature[NONCE_HEADER], signature[SIGNATURE_HEADER]
    )
    assert read_signature_file(text) == signature
    assert check_forwarded_document(read_signature_file(text), CANCELLED, SECRET, NOW).accepted
