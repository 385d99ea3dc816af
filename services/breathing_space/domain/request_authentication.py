"""Authenticating a notification, whichever route brought it (HTTPS push, RabbitMQ queue, watched folder).
Pure functions: the caller passes the shared secret, the time and the store of nonces already seen.

The sender signs ``"<timestamp>.<nonce>." + body`` with HMAC-SHA256 under the shared secret and sends
three headers: ``X-Breathing-Space-Timestamp`` (Unix seconds), ``X-Breathing-Space-Nonce`` (unique per
request) and ``X-Breathing-Space-Signature`` (``sha256=<hex digest>``). The nonce is inside the signed
text so that a replay cannot simply swap in a fresh one. A request is refused if the signature does
not verify (compared in constant time), if the timestamp is outside the tolerance window either way,
or if the nonce has been seen before. The caller records the nonce only after the document is stored.

A document on the queue or in the folder carries the same three values (as message headers, or in a
``<file>.signature`` beside the file) and is verified by `check_forwarded_document`: the same signature over
the same text, refused for the same faults, except that it may have waited (a queue held through an outage, a
transfer delivered late), so only a timestamp in the future is refused. Its replay needs no nonce ledger: the
signature covers the nonce, the timestamp and every byte, so a replay is the very document already taken in,
and the same notification reference and version again is a duplicate that changes nothing.
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


def _verify_signature(
    headers: Mapping[str, str], body: bytes, secret: bytes
) -> RequestCheck | tuple[int, str]:
    """The refusal, or the signed (timestamp, nonce) when the signature verifies."""
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
    return int(timestamp), nonce


def check_request(
    headers: Mapping[str, str],
    body: bytes,
    secret: bytes,
    now: datetime,
    seen_nonces: Container[str],
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> RequestCheck:
    """Decide whether a pushed notification is authentic and fresh. Never raises."""
    verified = _verify_signature(headers, body, secret)
    if isinstance(verified, RequestCheck):
        return verified
    sent, nonce = verified
    skew = abs(now.timestamp() - sent)
    if skew > tolerance.total_seconds():
        return _refused(f"timestamp outside the {int(tolerance.total_seconds())}s window")
    if nonce in seen_nonces:
        return _refused("replayed request (nonce already seen)")
    return RequestCheck(accepted=True, nonce=nonce)


def check_forwarded_document(
    headers: Mapping[str, str],
    body: bytes,
    secret: bytes,
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> RequestCheck:
    """Decide whether a document that came by the queue or the folder is the Insolvency Service's, unaltered.
    The same signature as a pushed request; a timestamp more than `tolerance` ahead of `now` is refused (no
    genuine sender signs in the future); an old one is not, since a queue or a transfer may hold a document for
    a while and a replay of a signed document is a duplicate (module docstring). Never raises."""
    verified = _verify_signature(headers, body, secret)
    if isinstance(verified, RequestCheck):
        return verified
    sent, nonce = verified
    if sent - now.timestamp() > tolerance.total_seconds():
        return _refused(f"timestamp more than {int(tolerance.total_seconds())}s in the future")
    return RequestCheck(accepted=True, nonce=nonce)


def signature_file_text(timestamp: str, nonce: str, signature: str) -> str:
    """The ``<file>.signature`` beside a notification file: the three header lines, as `sign` prints them."""
    return f"{TIMESTAMP_HEADER}: {timestamp}\n{NONCE_HEADER}: {nonce}\n{SIGNATURE_HEADER}: {signature}\n"


def read_signature_file(text: str) -> dict[str, str]:
    """The header values of a ``<file>.signature`` (``Name: value`` lines; other lines ignored)."""
    headers: dict[str, str] = {}
    for line in text.splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip():
            headers[name.strip()] = value.strip()
    return headers
