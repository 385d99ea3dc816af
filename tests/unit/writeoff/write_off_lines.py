"""Example write-off lines, approvers and the councils' band files, shared by the write-off unit tests."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from services.writeoff.domain import (
    BANDS_DIRECTORY,
    Approver,
    CouncilWriteOffPolicy,
    Evidence,
    WriteOffRequest,
    WriteOffSchedule,
    assemble_schedule,
    load_council_policy,
)
from shared.money import Pence, pounds_to_pence

SIGNED_AT = datetime(2024, 6, 3, 10, 30, tzinfo=UTC)


@cache
def council_policy(council: str) -> CouncilWriteOffPolicy:
    """A council's write-off policy as configured in services/writeoff/bands."""
    return load_council_policy(BANDS_DIRECTORY / f"{council}.yaml")


def a_line(
    number: int,
    amount: Pence | str,
    *,
    council: str = "derby",
    debt_type: str = "sundry",
    reason: str = "absconded_untraceable",
    requested_by: str = "officer-requester",
    customer_id: str | None = None,
    written_report: str | None = None,
) -> WriteOffRequest:
    """A write-off request for ``amount`` (pence, or pounds given as text like "12000")."""
    pence = pounds_to_pence(amount) if isinstance(amount, str) else amount
    return WriteOffRequest(
        request_id=f"WO-{number:05d}",
        council=council,
        debt_id=f"DEBT-{number:05d}",
        customer_id=customer_id or f"CUST-{number:05d}",
        debt_type=debt_type,
        income_code="INC-4410",
        amount_pence=pence,
        reason_code=reason,
        evidence=(Evidence("trace_report", f"TR-{number}", "tracing agent found no forwarding address"),),
        requested_by=requested_by,
        written_report=written_report,
    )


def a_schedule(*lines: WriteOffRequest, schedule_id: str = "SCH-1") -> WriteOffSchedule:
    """The lines assembled into one schedule under their council's policy."""
    council = lines[0].council
    return assemble_schedule(schedule_id, council, lines, council_policy(council))


def an_approver(person_id: str, *roles: str) -> Approver:
    """An authenticated approver holding ``roles``."""
    return Approver(person_id=person_id, roles=frozenset(roles))
