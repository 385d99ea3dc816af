"""A request to write off a debt, and the checks it must pass before it can join a write-off schedule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.money import Pence, format_pounds

from .insolvency import InsolvencyOrder, insolvency_refusals
from .reasons import ReasonCatalogue
from .refusals import Refusal, RefusalCode


class RequestChannel(StrEnum):
    """Where a write-off request came from."""

    RECOVERY_EXHAUSTED = "recovery_exhausted"  # the recovery service has run out of options
    ORIGINATING_SERVICE = (
        "originating_service"  # a budget holder or officer of the service that raised the debt
    )


@dataclass(frozen=True, slots=True)
class Evidence:
    """A document or record supporting a write-off (death certificate, trace result, insolvency notice...)."""

    kind: str
    reference: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class WriteOffRequest:
    """A request to write off ``amount_pence`` of one debt for one reason; it becomes a line of a schedule.

    ``income_code`` is the code the debt was raised to: the write-off is posted against it
    (Sundry 9.5, NELC 3.11).
    ``requested_by`` is the person (or service) who asked, so they cannot approve it (segregation of duties).
    """

    request_id: str
    council: str
    debt_id: str
    customer_id: str
    debt_type: str
    income_code: str
    amount_pence: Pence
    reason_code: str
    evidence: tuple[Evidence, ...]
    requested_by: str
    channel: RequestChannel = RequestChannel.ORIGINATING_SERVICE
    written_report: str | None = None
    debt_area: str | None = None  # the area reported by (e.g. "Parking"); the debt type when not given
    requested_on: date | None = None  # when it was asked for: requests close together may be one split debt
    # A formal insolvency write-off: the order's date and what the debt owed on it, as the requester states them.
    insolvency_order_date: date | None = None
    owed_at_order_date_pence: Pence | None = None

    @property
    def reported_area(self) -> str:
        """The debt area this write-off is reported under (Leicester 6)."""
        return self.debt_area or self.debt_type


@dataclass(frozen=True, slots=True)
class DebtStanding:
    """What the other services say about the debt now, passed in by the caller (from their events)."""

    balance_pence: Pence
    on_hold: bool = False
    hold_reason: str | None = None
    in_breathing_space: bool = False
    open_agent_placement: bool = False
    raised_on: date | None = None  # when billing raised the debt, where it said


def validate_request(
    request: WriteOffRequest, standing: DebtStanding, reasons: ReasonCatalogue
) -> list[Refusal]:
    """Every reason this request cannot go forward for approval; an empty list means it can."""
    refusals: list[Refusal] = []

    def refuse(code: RefusalCode, message: str) -> None:
        refusals.append(Refusal(code, message, request.request_id))

    reason = reasons.get(request.reason_code)
    if reason is None:
        refuse(
            RefusalCode.REASON_UNKNOWN,
            f"{request.reason_code!r} is not one of the council's write-off reasons",
        )
    else:
        if not reason.applies_to(request.debt_type):
            refuse(
                RefusalCode.REASON_NOT_FOR_DEBT_TYPE,
                f"the reason {reason.code!r} cannot be given for a {request.debt_type} debt",
            )
        if reason.requires_written_report and not (request.written_report or "").strip():
            refuse(
                RefusalCode.WRITTEN_REPORT_REQUIRED,
                f"the reason {reason.code!r} needs a full written report justifying the write-off",
            )
    if not request.evidence:
        refuse(RefusalCode.EVIDENCE_MISSING, "no evidence is attached to support the write-off")
    if not request.requested_by.strip():
        refuse(RefusalCode.REQUESTER_MISSING, "the request does not say who asked for the write-off")
    if request.amount_pence <= 0:
        refuse(RefusalCode.AMOUNT_NOT_POSITIVE, "the amount to write off must be more than £0.00")
    elif request.amount_pence > standing.balance_pence:
        refuse(
            RefusalCode.AMOUNT_EXCEEDS_BALANCE,
            f"{format_pounds(request.amount_pence)} is more than the balance of "
            f"{format_pounds(standing.balance_pence)}",
        )
    refusals.extend(
        insolvency_refusals(
            request.request_id,
            request.reason_code,
            request.amount_pence,
            InsolvencyOrder(request.insolvency_order_date, request.owed_at_order_date_pence),
            request.requested_on,
            standing.raised_on,
        )
    )
    for obstacle in obstacles_to_write_off(standing):
        refuse(obstacle, _WHY_NOT_NOW[obstacle](standing))
    return refusals


def obstacles_to_write_off(standing: DebtStanding) -> list[RefusalCode]:
    """What stands in the way of writing the debt off now: a hold, a breathing space moratorium, or an agent
    holding it. Checked when a request arrives, when it is scheduled and again when its schedule is signed."""
    found: list[RefusalCode] = []
    if standing.on_hold:
        found.append(RefusalCode.DEBT_ON_HOLD)
    if standing.in_breathing_space:
        found.append(RefusalCode.DEBT_IN_BREATHING_SPACE)
    if standing.open_agent_placement:
        found.append(RefusalCode.OPEN_AGENT_PLACEMENT)
    return found


# How a request is told why it cannot go forward (it tells the officer what to resolve first).
_WHY_NOT_NOW: dict[RefusalCode, Callable[[DebtStanding], str]] = {
    RefusalCode.DEBT_ON_HOLD: lambda s: (
        f"the debt is on hold{f' ({s.hold_reason})' if s.hold_reason else ''}; resolve the hold first"
    ),
    RefusalCode.DEBT_IN_BREATHING_SPACE: lambda s: (
        "the debt is in a breathing space moratorium; it cannot be written off until that ends"
    ),
    RefusalCode.OPEN_AGENT_PLACEMENT: lambda s: (
        "the debt is placed with an enforcement agent; recall it before writing it off"
    ),
}

# How a scheduled line is told the same (its debt changed after it was scheduled).
_WHY_BLOCKED: dict[RefusalCode, Callable[[DebtStanding], str]] = {
    RefusalCode.DEBT_ON_HOLD: lambda s: f"the debt is on hold ({s.hold_reason})",
    RefusalCode.DEBT_IN_BREATHING_SPACE: lambda s: "the debt is in a breathing space moratorium",
    RefusalCode.OPEN_AGENT_PLACEMENT: lambda s: "the debt is placed with an enforcement agent",
}


def blocking_refusals(request_id: str, standing: DebtStanding) -> list[Refusal]:
    """Why a debt already requested cannot be written off now: on hold, in breathing space or with an agent."""
    return [
        Refusal(obstacle, _WHY_BLOCKED[obstacle](standing), request_id)
        for obstacle in obstacles_to_write_off(standing)
    ]
