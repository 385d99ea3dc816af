"""Authenticating a notification pushed to the HTTPS endpoint. Pure functions: the caller passes the
shared secret, the time and the store of nonces already seen.

The sender signs ``"<timestamp>.<nonce>." + body`` with HMAC-SHA256 under the shared secret and sends
three headers: ``X-Breathing-Space-Timestamp`` (Unix seconds), ``X-Breathing-Space-Nonce`` (unique per
request) and ``X-Breathing-Space-Signature`` (``sha256=<hex digest>``). The nonce is inside the signed
text so that a replay cannot simply swap in a fresh one. A request is refused if the signature does
not verify (compared in constant time), if the timestamp is outside the tolerance window either way,
or if the nonce has been seen before. The caller records the nonce only after the document is stored.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Container, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

TIMESTAMP_HEADER = "X-Breathing-Space-Timestamp"
NONCE_HEADER = "X-Breathing-Space-Nonce"
SIGNATURE_HEADER = "X-Breathing-Space-Signature"
SIGNATURE_PREFIX = "sha256="
DEFAULT_TOLERANCE = timedelta(minutes=5)
_MAX_NONCE_LENGTH = 128


def signed_text(timestamp: str, nonce: str, body: bytes) -> bytes:
    """The exact bytes the signature covers."""
    return f"{timestamp}.{nonce}.".encode() + body


def sign_request(secret: bytes, timestamp: str, nonce: str, body: bytes) -> str:
    """The signature header value a sender puts on a request (also used by tests and the demo)."""
    digest = hmac.new(secret, signed_text(timestamp, nonce, body), hashlib.sha256).hexdigest()
    return f"{SIGNATURE_PREFIX}{digest}"


@dataclass(frozen=True)
class RequestCheck:
    """The verdict on one request: accepted, or refused with a reason fit for the audit log."""

    accepted: bool
    refusal: str | None = None
    nonce: str | None = None


def _refused(reason: str) -> RequestCheck:
    return RequestCheck(accepted=False, refusal=reason)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    # HTTP header names are case-insensitive; frameworks differ in how they hand them over.
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def check_request(
    headers: Mapping[str, str],
    body: bytes,
    secret: bytes,
    now: datetime,
    seen_nonces: Container[str],
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> RequestCheck:
    """Decide whether a pushed notification is authentic and fresh. Never raises."""
    timestamp = _header(headers, TIMESTAMP_HEADER)
    nonce = _header(headers, NONCE_HEADER)
    signature = _header(headers, SIGNATURE_HEADER)
    if not timestamp or not nonce or not signature:
        given = {TIMESTAMP_HEADER: timestamp, NONCE_HEADER: nonce, SIGNATURE_HEADER: signature}
        missing = [name for name, value in given.items() if not value]
        return _refused(f"missing header(s): {', '.join(missing)}")
    if len(nonce) > _MAX_NONCE_LENGTH:
        return _refused("nonce too long")
    if not timestamp.isdigit():
        return _refused("timestamp is not Unix seconds")
    expected = sign_request(secret, timestamp, nonce, body)
    # Compare before looking at time or nonce, so an unsigned request learns nothing else.
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        return _refused("signature does not match")
    sent = int(timestamp)
    skew = abs(now.timestamp() - sent)
    if skew > tolerance.total_seconds():
        return _refused(f"timestamp outside the {int(tolerance.total_seconds())}s window")
    if nonce in seen_nonces:
        return _refused("replayed request (nonce already seen)")
    return RequestCheck(accepted=True, nonce=nonce)
