"""A good message at a bad moment is retried without limit; a bad message is the only thing dead-lettered. And
what a failure is called never quotes the personal data a database error may carry."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import exc as sqlalchemy_errors

from shared.messaging.failures import failure_reason, is_transient


def _wrapped(cause: BaseException) -> Exception:
    """As SQLAlchemy raises it: a DBAPIError whose `orig` and `__cause__` is the driver's error."""
    try:
        try:
            raise cause
        except BaseException as inner:
            raise sqlalchemy_errors.DBAPIError("INSERT ...", {"surname": "Hollis"}, inner) from inner
    except sqlalchemy_errors.DBAPIError as outer:
        return outer


@pytest.mark.parametrize(
    "failure",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        ConnectionResetError(104, "Connection reset by peer"),
        OSError("Multiple exceptions: [Errno 111] Connect call failed ('127.0.0.1', 5432)"),
        TimeoutError(),
        _wrapped(asyncpg.exceptions.CannotConnectNowError("the database system is starting up")),
        _wrapped(
            asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command")
        ),
        _wrapped(asyncpg.exceptions.SerializationError("could not serialize access")),
        _wrapped(asyncpg.exceptions.DeadlockDetectedError("deadlock detected")),
        _wrapped(asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already")),
        _wrapped(asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle")),
    ],
    ids=lambda e: type(e).__name__ + ":" + str(getattr(e, "orig", e))[:30],
)
def test_an_unavailable_or_contended_database_or_broker_is_the_infrastructures_fault(failure) -> None:
    assert is_transient(failure)


@pytest.mark.parametrize(
    "failure",
    [
        ValueError("an arrangement cannot end before it starts"),
        KeyError("policy"),
        FileNotFoundError(2, "No such file or directory"),
        _wrapped(asyncpg.exceptions.UniqueViolationError("duplicate key value violates unique constraint")),
        _wrapped(asyncpg.exceptions.NumericValueOutOfRangeError("value out of range for type bigint")),
        _wrapped(asyncpg.exceptions.StringDataRightTruncationError("value too long")),
    ],
    ids=lambda e: type(e).__name__,
)
def test_a_refused_rule_or_data_the_database_cannot_take_is_the_messages_own(failure) -> None:
    assert not is_transient(failure)


def test_a_database_error_is_named_without_its_text_or_parameters() -> None:
    violation = asyncpg.exceptions.UniqueViolationError(
        'duplicate key value violates unique constraint "customer_key" DETAIL: Key (surname)=(Hollis)'
    )
    violation.constraint_name = "customer_key"  # as asyncpg fills it from the server's fields
    reason = failure_reason(_wrapped(violation))
    assert reason == "UniqueViolationError (SQLSTATE 23505, constraint customer_key)"
    assert "Hollis" not in reason


def test_a_rule_refusing_a_message_is_named_as_written() -> None:
    assert failure_reason(ValueError("no policy for debt type 'rent'")) == (
        "ValueError: no policy for debt type 'rent'"
    )
