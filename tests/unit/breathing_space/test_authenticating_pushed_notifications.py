"""The HTTPS endpoint accepts only signed, fresh, never-seen requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.breathing_space.domain.request_authentication import (
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    check_request,
    sign_request,
)

SECRET = b"shared-secret-for-tests"
NOW = datetime(2025, 3, 3, 9, 15, tzinfo=UTC)
BODY = b'{"kind": "expired"}'


def _headers(
    body: bytes = BODY, at: datetime = NOW, nonce: str = "n-1", secret: bytes = SECRET
) -> dict[str, str]:
    timestamp = str(int(at.timestamp()))
    return {
        TIMESTAMP_HEADER: timestamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: sign_request(secret, timestamp, nonce, body),
    }


def test_a_correctly_signed_fresh_request_is_accepted() -> None:
    check = check_request(_headers(), BODY, SECRET, NOW, seen_nonces=set())
    assert check.accepted and check.nonce == "n-1" and check.refusal is None


def test_header_names_are_case_insensitive() -> None:
    headers = {k.lower(): v for k, v in _headers().items()}
    assert check_request(headers, BODY, SECRET, NOW, seen_nonces=set()).accepted


def test_a_tampered_body_is_refused() -> None:
    check = check_request(_headers(), BODY + b" ", SECRET, NOW, seen_nonces=set())
    assert not check.accepted and check.refusal == "signature does not match"


def test_a_request_signed_with_another_secret_is_refused() -> None:
    check = check_request(_headers(secret=b"wrong"), BODY, SECRET, NOW, seen_nonces=set())
    assert not check.accepted


def test_swapping_in_a_fresh_nonce_breaks_the_signature() -> None:
    headers = {**_headers(), NONCE_HEADER: "n-2"}
    assert (
        check_request(headers, BODY, SECRET, NOW, seen_nonces={"n-1"}).refusal == "signature does not match"
    )


def test_a_replayed_nonce_is_refused() -> None:
    check = check_request(_headers(), BODY, SECRET, NOW, seen_nonces={"n-1"})
    assert not check.accepted and "replayed" in (check.refusal or "")


def test_timestamps_outside_the_window_either_way_are_refused_and_inside_accepted() -> None:
    window = timedelta(minutes=5)
    for skew, accepted in (
        (timedelta(minutes=6), False),
        (-timedelta(minutes=6), False),
        (timedelta(minutes=4), True),
    ):
        check = check_request(_headers(at=NOW + skew), BODY, SECRET, NOW, seen_nonces=set(), tolerance=window)
        assert check.accepted is accepted, skew


def test_missing_headers_are_named_in_the_refusal() -> None:
    check = check_request({TIMESTAMP_HEADER: "1"}, BODY, SECRET, NOW, seen_nonces=set())
    assert not check.accepted
    assert NONCE_HEADER in (check.refusal or "") and SIGNATURE_HEADER in (check.refusal or "")


def test_a_non_numeric_timestamp_is_refused() -> None:
    headers = {**_headers(), TIMESTAMP_HEADER: "yesterday"}
    assert not check_request(headers, BODY, SECRET, NOW, seen_nonces=set()).accepted
