"""Which failures are the infrastructure's and which are the message's: the one place that decides.

A delivery that fails because PostgreSQL is restarting, a connection was refused or reset, a transaction lost a
serialisation race or a deadlock, or the broker's channel closed, is a good message at a bad moment: retrying it
later will succeed, so it must never use up a delivery attempt nor reach a dead-letter queue (a 16-second database
outage once sent 821 good charge requests to dead letters). Everything else a handler raises (a rule refused, data
that cannot be stored, a bug) is treated as the message's own problem, retried a bounded number of times and then
dead-lettered with its reason.

`is_transient` walks the whole chain of causes, because SQLAlchemy wraps asyncpg's errors, asyncpg wraps the
socket's, and a handler may wrap any of them in its own.
"""

from __future__ import annotations

import asyncio
import errno

import aiormq.exceptions
import asyncpg
from sqlalchemy import exc as sqlalchemy_errors

# SQLSTATE classes and codes that say "try again later", not "this is wrong":
# 08 connection exceptions; 40001 serialisation failure; 40P01 deadlock; 53 insufficient resources (too many
# connections, out of memory or disk); 57P01-57P03 the server shutting down, crashed or not yet accepting.
_TRANSIENT_SQLSTATE_CLASSES = ("08", "53")
_TRANSIENT_SQLSTATES = {"40001", "40P01", "57P01", "57P02", "57P03", "55P03"}

_TRANSIENT_TYPES: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused, reset, aborted, broken pipe
    TimeoutError,
    asyncio.TimeoutError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.PostgresConnectionError,
    sqlalchemy_errors.DisconnectionError,
    sqlalchemy_errors.TimeoutError,  # the pool had no connection to give in time
    aiormq.exceptions.AMQPConnectionError,
    aiormq.exceptions.ChannelInvalidStateError,
    aiormq.exceptions.ConnectionClosed,
)


def _causes(error: BaseException) -> list[BaseException]:
    """The error and everything it was raised from or during, each once."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or any(current is s for s in seen) or len(seen) > 20:
            continue
        seen.append(current)
        pending.extend([current.__cause__, current.__context__, getattr(current, "orig", None)])
    return seen


_NETWORK_ERRNOS = {
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.ENETDOWN,
    errno.ETIMEDOUT,
    errno.EPIPE,
}


def _is_network(error: OSError) -> bool:
    # asyncpg reports a refused connection as a bare OSError("Multiple exceptions: [Errno 111] Connect call
    # failed ..."), without an errno of its own; a missing file or a full disk is not a network fault.
    if error.errno is not None:
        return error.errno in _NETWORK_ERRNOS
    return "connect call failed" in str(error).lower()


def _sqlstate(error: BaseException) -> str | None:
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return state if isinstance(state, str) else None


def is_transient(error: BaseException) -> bool:
    """True when the failure is the infrastructure's (retry when it is back, never count it against the message);
    False when it is the message's own (bounded retries, then the dead-letter queue)."""
    for cause in _causes(error):
        if isinstance(cause, _TRANSIENT_TYPES):
            return True
        if isinstance(cause, sqlalchemy_errors.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, OSError) and _is_network(cause):
            return True
        state = _sqlstate(cause)
        if state and (state in _TRANSIENT_SQLSTATES or state[:2] in _TRANSIENT_SQLSTATE_CLASSES):
            return True
    return False


class BackOff:
    """Waits between attempts while the infrastructure is away: 0.1 s doubling to `longest` seconds."""

    def __init__(self, first: float = 0.1, longest: float = 5.0) -> None:
        self.first = first
        self.longest = longest
        self.waits = 0

    async def wait(self) -> None:
        """Sleep the next interval."""
        await asyncio.sleep(min(self.first * 2**self.waits, self.longest))
        self.waits += 1


def failure_reason(error: BaseException) -> str:
    """Why a delivery failed, in words fit for logs, dead-letter headers and the dead-letter tray.

    A database error's text and the statement's parameters can quote the personal data the message carried (a
    name in a unique violation, an address that did not fit), so for those only the kind of error, its SQLSTATE
    and the constraint, table or column it names are kept. Errors raised by our own code say what rule refused
    the message, as written.
    """
    for cause in _causes(error):
        state = _sqlstate(cause)
        if state:
            named = [
                f"{what} {value}"
                for what in ("constraint", "table", "column")
                if isinstance(value := getattr(cause, f"{what}_name", None), str) and value
            ]
            return f"{type(cause).__name__} (SQLSTATE {state}{', ' + ', '.join(named) if named else ''})"
    if isinstance(error, sqlalchemy_errors.StatementError):
        return f"{type(error).__name__} ({type(error.orig).__name__})" if error.orig else type(error).__name__
    return f"{type(error).__name__}: {error}"[:1000]
