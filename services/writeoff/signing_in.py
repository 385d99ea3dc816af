"""Signing in and out of the write-off service (issue 14).

A session ends at sign-out: its id is kept as revoked until the token would have expired, so the token is
refused afterwards although its signature still verifies. Wrong passwords are throttled per approver and per
client address (`domain/sign_in_throttle.py`): while either is locked an attempt is refused unchecked with how
long to wait, and the counts are kept in the database (never the password), locked row by row, so concurrent
attempts for one approver queue behind each other and every replica sees the same counts.

Times here are wall-clock, like the tokens' expiry: the business clock that tests and the demo move is for
the council's dates, not for how long a person must wait.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog

from services.writeoff.approvers import Person
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain.sign_in_throttle import (
    PER_CLIENT_ADDRESS,
    PER_PERSON,
    after_failure,
    seconds_locked,
)
from services.writeoff.sessions import IdentityRefused, SessionClaims
from services.writeoff.stores import WriteOffStores

log = structlog.get_logger("writeoff.sign_in")

# Longer than any person id in a directory: such an id is refused without a row being kept for it.
_LONGEST_PERSON_ID = 100


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A sign-in that succeeded: the person and their new session token."""

    person: Person
    token: str


@dataclass(frozen=True, slots=True)
class NotRecognised:
    """The person id or password was wrong (which, deliberately, is not said)."""


@dataclass(frozen=True, slots=True)
class Throttled:
    """Too many wrong passwords lately: nothing was checked; try again after `retry_after_seconds`."""

    retry_after_seconds: int


SignInOutcome = SignedIn | NotRecognised | Throttled


def _now() -> datetime:
    return datetime.now(UTC)


async def sign_in(service: WriteOff, person_id: str, password: str, client_address: str) -> SignInOutcome:
    """Check the password unless the approver or the address is locked, count a failure, reset on success."""
    if not person_id or len(person_id) > _LONGEST_PERSON_ID:
        return NotRecognised()
    async with service.runtime.transaction(WriteOffStores.on, service) as handling:
        store = handling.stores.sign_ins
        now = _now()
        # Always the address before the person: two attempts never wait for each other's rows in turn.
        by_address = await store.locked_count("client_address", client_address)
        by_person = await store.locked_count("person", person_id)
        wait = max(seconds_locked(by_address, now), seconds_locked(by_person, now))
        if wait:
            log.warning(
                "sign-in refused unchecked: too many wrong passwords", person_id=person_id, retry_after=wait
            )
            return Throttled(wait)
        # scrypt takes tens of milliseconds: off the event loop, while this transaction holds the rows.
        person = await asyncio.to_thread(service.directory.authenticate, person_id, password)
        if person is None:
            await store.save_count(
                "client_address", client_address, after_failure(by_address, PER_CLIENT_ADDRESS, now)
            )
            await store.save_count("person", person_id, after_failure(by_person, PER_PERSON, now))
            log.warning("sign-in failed: person id or password not recognised", person_id=person_id)
            return NotRecognised()
        # The approver's count ends here; the address's does not, so one genuine account signed in from an
        # address cannot clear the way for guessing others' passwords from it.
        await store.reset("person", person_id)
    return SignedIn(person, service.sessions.issue(person.person_id))


async def signed_in_person(service: WriteOff, token: str | None) -> Person:
    """The directory's person for a genuine, unexpired, not signed-out token; IdentityRefused otherwise."""
    claims = service.sessions.verify(token)
    async with service.runtime.transaction(WriteOffStores.on, service) as handling:
        revoked = await handling.stores.sign_ins.is_revoked(claims.session_id)
    if revoked:
        raise IdentityRefused("the session was signed out: sign in again")
    person = service.directory.get(claims.person_id)
    if person is None:
        raise IdentityRefused(f"{claims.person_id} is not in the approver directory")
    return person


async def sign_out(service: WriteOff, token: str | None) -> SessionClaims:
    """End the token's session for good (IdentityRefused when it is not a live session of this service)."""
    claims = service.sessions.verify(token)
    async with service.runtime.transaction(WriteOffStores.on, service) as handling:
        await handling.stores.sign_ins.revoke(
            claims.session_id,
            claims.person_id,
            _now(),
            datetime.fromtimestamp(claims.expires_at, UTC),
        )
    return claims
