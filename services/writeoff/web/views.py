"""How schedules, lines and refusals are shown to people and API clients (one shape for both)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from services.writeoff.approvers import COMMITTEE_CLERK, Person
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import (
    CouncilWriteOffPolicy,
    LineTakenOff,
    PanelFinding,
    Refusal,
    RefusalCode,
    banded_amount,
    required_band,
    schedule_hash,
    schedules_awaiting,
    split_debts,
)
from services.writeoff.domain.debtors import account_reference, debt_age
from services.writeoff.schedule_decisions import split_debt_view
from services.writeoff.schedules import LoadedSchedule
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.debtors import DebtDescribed, Debtor
from shared.messaging.inbox_router import Handling
from shared.money import format_pounds

# A refusal that means "not yours to decide" (403), "the schedule moved under you" (409), or a faulty form (422).
_FORBIDDEN = {
    RefusalCode.SELF_APPROVAL,
    RefusalCode.DECLARED_INTEREST,
    RefusalCode.BEYOND_BAND,
    RefusalCode.COMMITTEE_DECISION_REQUIRED,
    RefusalCode.NOT_A_COMMITTEE_OF_THIS_TABLE,
    RefusalCode.OTHER_COUNCIL,
    RefusalCode.OTHER_REASON_APPROVED_BY_NAMED_OFFICERS,  # Derby App.1 s8: not the committee's to decide
}
_CONFLICT = {
    RefusalCode.PANEL_FINDING_REQUIRED,
    RefusalCode.PANEL_DID_NOT_RECOMMEND,
    RefusalCode.SCHEDULE_CHANGED,
    RefusalCode.SCHEDULE_NOT_AWAITING_DECISION,
    RefusalCode.LINE_NOW_BLOCKED,
}


def refusal_status(refusals: tuple[Refusal, ...] | list[Refusal]) -> int:
    """The HTTP status for a refused decision."""
    codes = {refusal.code for refusal in refusals}
    if RefusalCode.IDENTITY_MISSING in codes:
        return 401
    if codes & _FORBIDDEN:
        return 403
    if codes & _CONFLICT:
        return 409
    return 422


def refusal_view(refusal: Refusal) -> dict[str, Any]:
    """A refusal as JSON."""
    return {"code": str(refusal.code), "message": refusal.message, "request_id": refusal.request_id}


def single_view_url(workbench_url: str, customer_id: str) -> str:
    """The debtor's single view on the officers' workbench."""
    return f"{workbench_url.rstrip('/')}/customers/{customer_id}"


def debtor_view(
    customer_id: str,
    debt_type: str,
    debtor: Debtor | None,
    debt: DebtDescribed | None,
    today: date,
    workbench_url: str,
) -> dict[str, Any]:
    """Who owes a line's debt, as an approver reads it: name, account reference, how long it has been owed,
    and the link to their single view (blank where billing has not described them to this service)."""
    references = debtor.account_references if debtor else {}
    fell_due = debt.due_date if debt else None
    return {
        "customer_id": customer_id,
        "name": debtor.name if debtor else "",
        "postcode": debtor.postcode if debtor else "",
        "account_reference": account_reference(
            debt_type, references, debt.external_reference if debt else None
        ),
        "debt_reference": debt.external_reference if debt else None,
        "fell_due": fell_due.isoformat() if fell_due else None,
        "debt_age": debt_age(fell_due, today),
        "single_view_url": single_view_url(workbench_url, customer_id) if customer_id else None,
    }


async def debtors_of_lines(
    handling: Handling[WriteOffStores, WriteOff], loaded: LoadedSchedule
) -> dict[str, dict[str, Any]]:
    """Each line's debtor (by request id), from this service's projection of billing's events: two queries
    for any number of lines."""
    lines = loaded.schedule.lines
    debtors = await handling.stores.debtors.debtors(line.customer_id for line in lines)
    debts = await handling.stores.debtors.debts(loaded.debt_ids.values())
    service = handling.service
    today = service.clock.today()
    return {
        line.request_id: debtor_view(
            line.customer_id,
            line.debt_type,
            debtors.get(line.customer_id),
            debts.get(UUID(line.debt_id)),
            today,
            service.settings.workbench_url,
        )
        for line in lines
    }


def schedule_view(
    loaded: LoadedSchedule,
    *,
    with_lines: bool = True,
    debtors: Mapping[str, dict[str, Any]] | None = None,
    taken_off: Sequence[LineTakenOff] | None = None,
) -> dict[str, Any]:
    """A schedule as presented for decision: its hash, aggregate, the band it needs and every line, each with
    its debtor when `debtors` (from `debtors_of_lines`) is given, and the lines taken off it (who, when, why)
    when `taken_off` is given."""
    schedule, policy, row = loaded.schedule, loaded.policy, loaded.row
    view: dict[str, Any] = {
        "schedule_id": str(row.schedule_id),
        "number": row.number,
        "council": row.council,
        "status": str(row.status),
        "built_by": row.built_by,
        "built_at": row.built_at.isoformat(),
        "line_count": len(schedule.lines),
        "aggregate_pence": schedule.aggregate_pence,
        "aggregate": format_pounds(schedule.aggregate_pence),
        "schedule_hash": schedule_hash(schedule),
        "statement_of_no_interest": policy.statement_of_no_interest,
    }
    if taken_off is not None:
        view["taken_off"] = [taken_off_view(removal) for removal in taken_off]
    if schedule.lines:
        # A debt split to stay under a band is banded on its combined sum; the schedule says so.
        splits = split_debts(schedule, policy)
        band = required_band(schedule, policy, splits)
        view["banded_amount_pence"] = banded_amount(schedule, policy, splits)
        view["split_debts"] = [split_debt_view(split) for split in splits]
        view["required_band"] = {
            "name": band.name,
            "title": band.title,
            "committee": band.committee,
            "limit": band.describe_limit(),
        }
    if with_lines:
        view["lines"] = [
            {
                "request_id": line.request_id,
                "debt_id": line.debt_id,
                "customer_id": line.customer_id,
                "debt_type": line.debt_type,
                "income_code": line.income_code,
                "amount_pence": line.amount_pence,
                "amount": format_pounds(line.amount_pence),
                "reason_code": line.reason_code,
                "reason": _reason_described(policy, line.reason_code),
                "written_report": line.written_report,
                "evidence": [
                    {"kind": e.kind, "reference": e.reference, "description": e.description}
                    for e in line.evidence
                ],
                "requested_by": line.requested_by,
                "channel": str(line.channel),
                "insolvency_order_date": (
                    line.insolvency_order_date.isoformat() if line.insolvency_order_date else None
                ),
                "owed_at_order_date_pence": line.owed_at_order_date_pence,
                "debtor": (debtors or {}).get(line.request_id),
                "requires_panel": _requires_panel(policy, line.reason_code),
                "panel_finding": (
                    panel_finding_view(loaded.panel_findings[line.request_id])
                    if line.request_id in loaded.panel_findings
                    else None
                ),
            }
            for line in schedule.lines
        ]
    return view


def taken_off_view(removal: LineTakenOff) -> dict[str, Any]:
    """A line taken off a schedule, as its history shows it."""
    return {
        "schedule_id": removal.schedule_id,
        "request_id": removal.request_id,
        "amount_pence": removal.amount_pence,
        "reason": removal.reason,
        "taken_off_by": removal.taken_off_by,
        "taken_off_at": removal.taken_off_at.isoformat(),
    }


def panel_finding_view(finding: PanelFinding) -> dict[str, Any]:
    """The independent panel's finding on a request (Derby App.1 §8)."""
    return {
        "request_id": finding.request_id,
        "panel_date": finding.panel_date.isoformat(),
        "members": list(finding.members),
        "reference": finding.reference,
        "outcome": str(finding.outcome),
        "note": finding.note,
        "recorded_by": finding.recorded_by,
        "recorded_at": finding.recorded_at.isoformat(),
    }


def _requires_panel(policy: CouncilWriteOffPolicy, reason_code: str) -> bool:
    reason = policy.reasons.get(reason_code)
    return reason is not None and reason.requires_panel


def _reason_described(policy: CouncilWriteOffPolicy, reason_code: str) -> str:
    """The council's wording for a reason (the code itself when the council has no such reason)."""
    reason = policy.reasons.get(reason_code)
    return reason.description if reason is not None else reason_code


def awaiting(person: Person, schedules: list[LoadedSchedule]) -> list[LoadedSchedule]:
    """The person's queue: schedules routed to their band, or, for a committee clerk, to a committee."""
    queue = []
    for loaded in schedules:
        if loaded.row.council != person.council or not loaded.schedule.lines:
            continue
        if schedules_awaiting(person.as_approver(), [loaded.schedule], loaded.policy) or (
            COMMITTEE_CLERK in person.roles
            and required_band(loaded.schedule, loaded.policy).decided_by_committee
        ):
            queue.append(loaded)
    return queue
