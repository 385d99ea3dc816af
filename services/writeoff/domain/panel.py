"""The independent panel a council's "other" write-off reasons need before anyone may approve them.

"Where this is the case a full written report justifying the recommendation must be provided to the Debt
Manager, who will along with an independent panel, make a decision regarding the writing off of the debt and
then submit for final approval" (Derby App.1 §8). A reason flagged ``requires_panel`` in the council's bands file
is such a reason: a schedule line giving it cannot be signed, nor approved by a committee, until the panel's
finding (when it sat, who sat on it or the reference of its record, and what it decided) has been recorded by
an authorised officer; and a line the panel did not recommend can only be rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .interests import Approver
from .reasons import ReasonCatalogue
from .refusals import Refusal, RefusalCode
from .requests import WriteOffRequest


class PanelOutcome(StrEnum):
    """What the panel decided about the write-off put to it."""

    RECOMMENDS_WRITE_OFF = "recommends_write_off"
    DOES_NOT_RECOMMEND = "does_not_recommend"


@dataclass(frozen=True, slots=True)
class PanelFinding:
    """The panel's finding on one request: when it sat, its members and/or the reference of its record, its
    outcome, and the officer who recorded it (as the identity provider names them) and when."""

    request_id: str
    panel_date: date
    members: tuple[str, ...]
    reference: str
    outcome: PanelOutcome
    recorded_by: str
    recorded_at: datetime
    note: str = ""


def record_panel_finding(
    line: WriteOffRequest,
    reasons: ReasonCatalogue,
    panel_date: date,
    members: Iterable[str],
    reference: str,
    outcome: PanelOutcome,
    recorder: Approver,
    recorded_by: str,
    at: datetime,
    note: str = "",
) -> PanelFinding | list[Refusal]:
    """The panel's finding on ``line`` as recorded by ``recorder`` (named ``recorded_by``), or every reason it
    cannot be: the line's reason needs no panel; neither members nor a reference identify the panel; the panel
    is dated after today; or the recorder asked for the write-off themselves (they cannot vouch for the panel
    that judged their own request)."""
    refusals: list[Refusal] = []

    def refuse(code: RefusalCode, message: str) -> None:
        refusals.append(Refusal(code, message, line.request_id))

    reason = reasons.get(line.reason_code)
    if reason is None or not reason.requires_panel:
        refuse(
            RefusalCode.PANEL_NOT_REQUIRED,
            f"request {line.request_id} gives the reason {line.reason_code!r}, which needs no panel",
        )
    named = tuple(m.strip() for m in members if m.strip())
    if not named and not reference.strip():
        refuse(
            RefusalCode.PANEL_NOT_IDENTIFIED,
            "name the panel's members or give the reference of its record",
        )
    if panel_date > at.date():
        refuse(RefusalCode.PANEL_DATE_IN_FUTURE, f"the panel cannot have sat on {panel_date.isoformat()}")
    if line.requested_by == recorder.person_id:
        refuse(
            RefusalCode.SELF_APPROVAL,
            f"{recorder.person_id} asked for the write-off of request {line.request_id} and cannot record the "
            "panel's finding on it",
        )
    if refusals:
        return refusals
    return PanelFinding(
        request_id=line.request_id,
        panel_date=panel_date,
        members=named,
        reference=reference.strip(),
        outcome=outcome,
        recorded_by=recorded_by,
        recorded_at=at,
        note=note.strip(),
    )


def panel_refusals(
    lines: Iterable[WriteOffRequest],
    reasons: ReasonCatalogue,
    findings: Mapping[str, PanelFinding],
    rejections: Mapping[str, str],
) -> list[Refusal]:
    """Why lines needing a panel stop the schedule being approved: no finding recorded yet, or a panel that did
    not recommend the write-off (the line must then be rejected). Lines being rejected are never in the way."""
    refusals: list[Refusal] = []
    for line in lines:
        reason = reasons.get(line.reason_code)
        if reason is None or not reason.requires_panel or line.request_id in rejections:
            continue
        finding = findings.get(line.request_id)
        if finding is None:
            refusals.append(
                Refusal(
                    RefusalCode.PANEL_FINDING_REQUIRED,
                    f"request {line.request_id} gives the reason {line.reason_code!r}: the independent panel's "
                    "finding (date, members or reference, outcome) must be recorded before it can be approved "
                    "(Derby App.1 §8)",
                    line.request_id,
                )
            )
        elif finding.outcome is not PanelOutcome.RECOMMENDS_WRITE_OFF:
            refusals.append(
                Refusal(
                    RefusalCode.PANEL_DID_NOT_RECOMMEND,
                    f"the panel of {finding.panel_date.isoformat()} did not recommend writing off request "
                    f"{line.request_id}; reject this line (it returns to recovery) and sign again",
                    line.request_id,
                )
            )
    return refusals
