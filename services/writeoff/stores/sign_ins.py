"""What sign-in remembers between requests: revoked sessions (`writeoff.revoked_session`, kept until they
would have expired) and failed sign-ins per approver and per client address (`writeoff.sign_in_failure`,
never the password)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain.sign_in_throttle import FailureCount

SubjectKind = Literal["person", "client_address"]


class SignInStore:
    """Revoked sessions and failed sign-in counts."""

    _REVOKE = text(
        "INSERT INTO writeoff.revoked_session (session_id, person_id, revoked_at, expires_at) "
        "VALUES (:session_id, :person_id, :revoked_at, :expires_at) ON CONFLICT (session_id) DO NOTHING"
    )
    _FORGET_EXPIRED = text("DELETE FROM writeoff.revoked_session WHERE expires_at <= :now")
    _IS_REVOKED = text("SELECT 1 FROM writeoff.revoked_session WHERE session_id = :session_id")
    # The row is created first so that FOR UPDATE has something to lock even on a first attempt: concurrent
    # attempts for one approver then queue behind each other instead of all being checked at once.
    _ENSURE_COUNT = text(
        "INSERT INTO writeoff.sign_in_failure (subject_kind, subject) VALUES (:kind, :subject) "
        "ON CONFLICT (subject_kind, subject) DO NOTHING"
    )
    _LOCK_COUNT = text(
        "SELECT failures, last_failed_at, locked_until FROM writeoff.sign_in_failure "
        "WHERE subject_kind = :kind AND subject = :subject FOR UPDATE"
    )
    _SAVE_COUNT = text(
        "UPDATE writeoff.sign_in_failure SET failures = :failures, last_failed_at = :last_failed_at, "
        "locked_until = :locked_until WHERE subject_kind = :kind AND subject = :subject"
    )
    _RESET = text("DELETE FROM writeoff.sign_in_failure WHERE subject_kind = :kind AND subject = :subject")

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def revoke(self, session_id: str, person_id: str, now: datetime, expires_at: datetime) -> None:
        """Refuse this session from now until it would have expired; revocations already past expiry go."""
        await self.session.execute(self._FORGET_EXPIRED, {"now": now})
        await self.session.execute(
            self._REVOKE,
            {"session_id": session_id, "person_id": person_id, "revoked_at": now, "expires_at": expires_at},
        )

    async def is_revoked(self, session_id: str) -> bool:
        """True when this session was signed out."""
        return (await self.session.execute(self._IS_REVOKED, {"session_id": session_id})).first() is not None

    async def locked_count(self, kind: SubjectKind, subject: str) -> FailureCount:
        """The failures counted for an approver or address, locked until this transaction ends."""
        values = {"kind": kind, "subject": subject}
        await self.session.execute(self._ENSURE_COUNT, values)
        row = (await self.session.execute(self._LOCK_COUNT, values)).one()
        return FailureCount(row.failures, row.last_failed_at, row.locked_until)

    async def save_count(self, kind: SubjectKind, subject: str, count: FailureCount) -> None:
        """Keep the count after a failure."""
        await self.session.execute(
            self._SAVE_COUNT,
            {
                "kind": kind,
                "subject": subject,
                "failures": count.failures,
                "last_failed_at": count.last_failed_at,
                "locked_until": count.locked_until,
            },
        )

    async def reset(self, kind: SubjectKind, subject: str) -> None:
        """Forget the failures of an approver (or address) after a successful sign-in."""
        await self.session.execute(self._RESET, {"kind": kind, "subject": subject})
