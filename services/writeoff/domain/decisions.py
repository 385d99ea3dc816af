"""Deciding a write-off schedule: an officer's signature within their band, or a committee's decision.

Each decision names exactly what was approved (the hash of the schedule as presented), who decided and
when, and which lines were rejected and why. Whoever requested a line, or has declared an interest in one,
cannot sign.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from shared.money import Pence, format_pounds

from .bands import ApprovalBand, CouncilWriteOffPolicy
from .interests import Approver, DeclarationOfInterest
from .panel import PanelFinding, panel_refusals
from .reasons import OTHER_REASON_CODE
from .refusals import Refusal, RefusalCode
from .requests import WriteOffRequest
from .schedule import WriteOffSchedule, lines_hash, required_band, schedule_hash, split_debts
from .split_debts import SplitDebt


@dataclass(frozen=True, slots=True)
class LineRejection:
    """A line the decision-maker would not write off, with the reason returned to recovery."""

    request_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Signature:
    """An officer's signature: who, with which roles and band, over which schedule hash, when.

    It carries the signer's statement that they have no interest in any line.
    """

    person_id: str
    roles: frozenset[str]
    authority_band: str
    schedule_hash: str
    signed_at: datetime
    statement_of_no_interest: str


@dataclass(frozen=True, slots=True)
class CommitteeDecision:
    """A committee's decision (Cabinet, Executive, full Council) with its meeting reference and date."""

    committee: str
    meeting_reference: str
    meeting_date: date
    recorded_by: str
    schedule_hash: str
    recorded_at: datetime
    interests_declared_at_meeting: str = ""


@dataclass(frozen=True, slots=True)
class ScheduleDecision:
    """The outcome of a schedule: the lines written off, the lines rejected and the authority for it."""

    schedule_id: str
    council: str
    schedule_hash: str
    required_band: str
    approved_lines: tuple[WriteOffRequest, ...]
    rejected_lines: tuple[LineRejection, ...]
    approved_lines_hash: str
    rejected_total_pence: Pence
    decided_at: datetime
    signature: Signature | None = None
    committee_decision: CommitteeDecision | None = None
    split_debts: tuple[SplitDebt, ...] = ()  # why the band was decided on a combined sum, when it was

    @property
    def approved_total_pence(self) -> Pence:
        """The total actually written off."""
        return sum(line.amount_pence for line in self.approved_lines)

    @property
    def is_partial(self) -> bool:
        """True when some lines were approved and some rejected."""
        return bool(self.approved_lines) and bool(self.rejected_lines)


@dataclass(frozen=True, slots=True)
class DecisionOutcome:
    """Either a decision, or the refusals explaining why none was made (nothing may then be posted)."""

    decision: ScheduleDecision | None
    refusals: tuple[Refusal, ...] = ()

    @property
    def accepted(self) -> bool:
        """True when the decision stands."""
        return self.decision is not None and not self.refusals


def _identity_refusal(person: Approver | None, acting_as: str) -> Refusal | None:
    if person is None or not person.person_id.strip():
        return Refusal(
            RefusalCode.IDENTITY_MISSING, f"the {acting_as} is not identified; sign in and try again"
        )
    if not person.roles:
        return Refusal(
            RefusalCode.IDENTITY_MISSING, f"{person.person_id} holds no role that can act on write-offs"
        )
    return None


def _hash_refusal(schedule: WriteOffSchedule, presented_hash: str) -> Refusal | None:
    if presented_hash != schedule_hash(schedule):
        return Refusal(
            RefusalCode.SCHEDULE_CHANGED,
            f"schedule {schedule.schedule_id} has changed since it was presented; review it and sign again",
        )
    return None


def _rejection_refusals(schedule: WriteOffSchedule, rejections: Mapping[str, str]) -> list[Refusal]:
    refusals: list[Refusal] = []
    known = schedule.request_ids
    for request_id, reason in rejections.items():
        if request_id not in known:
            refusals.append(
                Refusal(
                    RefusalCode.REJECTION_OF_UNKNOWN_LINE,
                    f"request {request_id} is not on schedule {schedule.schedule_id}",
                    request_id,
                )
            )
        elif not reason.strip():
            refusals.append(
                Refusal(
                    RefusalCode.REJECTION_REASON_MISSING,
                    f"give a reason for rejecting request {request_id}; it goes back to recovery",
                    request_id,
                )
            )
    return refusals


def _split_debts_said(splits: tuple[SplitDebt, ...]) -> str:
    """Why a combined sum decided the band, for a refusal message (empty when none did)."""
    return "".join(f"; {split.reason}" for split in splits)


def _beyond_band(
    schedule: WriteOffSchedule, needed: ApprovalBand, authority: str, splits: tuple[SplitDebt, ...] = ()
) -> Refusal:
    who = f"a decision of {needed.committee}" if needed.decided_by_committee else needed.title
    return Refusal(
        RefusalCode.BEYOND_BAND,
        f"schedule {schedule.schedule_id} totals {format_pounds(schedule.aggregate_pence)}, "
        f"beyond {authority}; it goes up to {who} ({needed.describe_limit()}){_split_debts_said(splits)}",
    )


def _other_reason_refusals(
    schedule: WriteOffSchedule,
    policy: CouncilWriteOffPolicy,
    committee: ApprovalBand,
    rejections: Mapping[str, str],
) -> list[Refusal]:
    """A committee cannot give final approval to an "other" reason the policy sends to named officers.

    Derby App.1 §8: the Debt Manager and the independent panel decide, "and then submit for final approval to
    either the Head of Business Support and Debt Management or the Director of Finance as Section 151 Officer"
    (the table's ``other_reason_bands``). Such a line on a schedule a committee decides is taken off (or
    rejected) and approved by one of those officers on a schedule of its own.
    """
    table = policy.table_for(schedule.debt_type)
    if not table.other_reason_bands or committee.name in table.other_reason_bands:
        return []
    approvers = " or the ".join(table.band_named(name).title for name in table.other_reason_bands)
    return [
        Refusal(
            RefusalCode.OTHER_REASON_APPROVED_BY_NAMED_OFFICERS,
            f"request {line.request_id} is written off for another reason: after the independent panel its "
            f"final approval is for the {approvers}, not {committee.committee}; take it off the schedule to be "
            "signed on one of its own",
            line.request_id,
        )
        for line in schedule.lines
        if line.reason_code == OTHER_REASON_CODE and line.request_id not in rejections
    ]


def _decision(
    schedule: WriteOffSchedule,
    needed: ApprovalBand,
    presented_hash: str,
    rejections: Mapping[str, str],
    decided_at: datetime,
    signature: Signature | None = None,
    committee_decision: CommitteeDecision | None = None,
    splits: tuple[SplitDebt, ...] = (),
) -> ScheduleDecision:
    approved = tuple(line for line in schedule.lines if line.request_id not in rejections)
    rejected = tuple(
        LineRejection(line.request_id, rejections[line.request_id].strip())
        for line in schedule.lines
        if line.request_id in rejections
    )
    return ScheduleDecision(
        schedule_id=schedule.schedule_id,
        council=schedule.council,
        schedule_hash=presented_hash,
        required_band=needed.name,
        approved_lines=approved,
        rejected_lines=rejected,
        # With nothing rejected the approved lines are the schedule as presented, whose hash was just checked.
        approved_lines_hash=(
            presented_hash if not rejected else lines_hash(schedule.schedule_id, schedule.council, approved)
        ),
        rejected_total_pence=sum(
            line.amount_pence for line in schedule.lines if line.request_id in rejections
        ),
        decided_at=decided_at,
        signature=signature,
        committee_decision=committee_decision,
        split_debts=splits,
    )


def sign_schedule(
    schedule: WriteOffSchedule,
    policy: CouncilWriteOffPolicy,
    approver: Approver | None,
    presented_hash: str,
    signed_at: datetime,
    declarations: Iterable[DeclarationOfInterest],
    confirms_no_interest: bool,
    rejections: Mapping[str, str] | None = None,
    panel_findings: Mapping[str, PanelFinding] | None = None,
) -> DecisionOutcome:
    """An officer signs a schedule, approving every line except ``rejections`` (request id -> reason).

    Refused, with every reason, when: the approver is not identified; the schedule is not the one presented
    (hash); its aggregate needs a higher band or a committee; the approver requested a line or has declared an
    interest in one; the approver has not confirmed the statement of no interest; a rejection is malformed; or
    a line whose reason needs an independent panel has no recorded finding recommending it (``panel_findings``,
    by request id; Derby App.1 §8).
    """
    rejections = dict(rejections or {})
    missing = _identity_refusal(approver, "approver")
    if missing is not None or approver is None:
        return DecisionOutcome(None, (missing,) if missing else ())
    refusals: list[Refusal] = []
    changed = _hash_refusal(schedule, presented_hash)
    if changed is not None:
        refusals.append(changed)
    splits = split_debts(schedule, policy)
    needed = required_band(schedule, policy, splits)
    held = policy.table_for(schedule.debt_type).highest_officer_band_held(approver.roles)
    if needed.decided_by_committee:
        refusals.append(
            Refusal(
                RefusalCode.COMMITTEE_DECISION_REQUIRED,
                f"schedule {schedule.schedule_id} totals {format_pounds(schedule.aggregate_pence)} "
                f"and needs a decision of {needed.committee}, recorded with its meeting reference and date"
                f"{_split_debts_said(splits)}",
            )
        )
    elif held is None:
        refusals.append(_beyond_band(schedule, needed, "any band your roles sign for", splits))
    elif held.rank < needed.rank:
        refusals.append(
            _beyond_band(schedule, needed, f"your band ({held.title}, {held.describe_limit()})", splits)
        )
    own_declarations = [d for d in declarations if d.person_id == approver.person_id]
    for line in schedule.lines:
        if line.requested_by == approver.person_id:
            refusals.append(
                Refusal(
                    RefusalCode.SELF_APPROVAL,
                    f"{approver.person_id} requested the write-off of request {line.request_id} and cannot "
                    "approve it",
                    line.request_id,
                )
            )
        for declaration in own_declarations:
            if declaration.concerns(line):
                refusals.append(
                    Refusal(
                        RefusalCode.DECLARED_INTEREST,
                        f"{approver.person_id} has declared an interest ({declaration.kind}) in request "
                        f"{line.request_id} and cannot sign this schedule",
                        line.request_id,
                    )
                )
                break
    if not confirms_no_interest:
        refusals.append(
            Refusal(
                RefusalCode.NO_INTEREST_STATEMENT_MISSING,
                "the signature must carry your statement that you have no interest in any line",
            )
        )
    refusals.extend(_rejection_refusals(schedule, rejections))
    refusals.extend(panel_refusals(schedule.lines, policy.reasons, panel_findings or {}, rejections))
    if refusals or held is None:
        return DecisionOutcome(None, tuple(refusals))
    signature = Signature(
        person_id=approver.person_id,
        roles=approver.roles,
        authority_band=held.name,
        schedule_hash=presented_hash,
        signed_at=signed_at,
        statement_of_no_interest=policy.statement_of_no_interest,
    )
    return DecisionOutcome(
        _decision(schedule, needed, presented_hash, rejections, signed_at, signature=signature, splits=splits)
    )


def record_committee_decision(
    schedule: WriteOffSchedule,
    policy: CouncilWriteOffPolicy,
    committee: str,
    meeting_reference: str,
    meeting_date: date,
    recorded_by: Approver | None,
    presented_hash: str,
    recorded_at: datetime,
    rejections: Mapping[str, str] | None = None,
    interests_declared_at_meeting: str = "",
    panel_findings: Mapping[str, PanelFinding] | None = None,
) -> DecisionOutcome:
    """Record a committee's decision on a schedule (Cabinet, Executive, full Council).

    Refused when the recorder is not identified, the committee does not decide a band in this table or is
    below the band the aggregate needs, the meeting reference is missing, the schedule is not the one
    presented, a line whose reason needs an independent panel has no recorded finding recommending it
    (Derby App.1 §8: the panel decides before final approval), or a line gives an "other" reason whose final
    approval the council gives to named officers, not to this committee (``other_reason_bands``, App.1 §8).
    """
    rejections = dict(rejections or {})
    missing = _identity_refusal(recorded_by, "officer recording the decision")
    if missing is not None or recorded_by is None:
        return DecisionOutcome(None, (missing,) if missing else ())
    refusals: list[Refusal] = []
    changed = _hash_refusal(schedule, presented_hash)
    if changed is not None:
        refusals.append(changed)
    splits = split_debts(schedule, policy)
    needed = required_band(schedule, policy, splits)
    band = policy.table_for(schedule.debt_type).committee_band(committee)
    if band is None:
        refusals.append(
            Refusal(
                RefusalCode.NOT_A_COMMITTEE_OF_THIS_TABLE,
                f"{committee!r} does not decide write-offs of {schedule.debt_type} debts for {policy.name}",
            )
        )
    elif band.rank < needed.rank:
        refusals.append(_beyond_band(schedule, needed, f"{band.committee} ({band.describe_limit()})", splits))
    if not meeting_reference.strip():
        refusals.append(
            Refusal(
                RefusalCode.MEETING_REFERENCE_MISSING,
                "a committee decision must be recorded with its meeting reference",
            )
        )
    refusals.extend(_rejection_refusals(schedule, rejections))
    refusals.extend(panel_refusals(schedule.lines, policy.reasons, panel_findings or {}, rejections))
    if band is not None:
        refusals.extend(_other_reason_refusals(schedule, policy, band, rejections))
    if refusals or band is None or band.committee is None:
        return DecisionOutcome(None, tuple(refusals))
    record = CommitteeDecision(
        committee=band.committee,
        meeting_reference=meeting_reference.strip(),
        meeting_date=meeting_date,
        recorded_by=recorded_by.person_id,
        schedule_hash=presented_hash,
        recorded_at=recorded_at,
        interests_declared_at_meeting=interests_declared_at_meeting,
    )
    return DecisionOutcome(
        _decision(
            schedule,
            needed,
            presented_hash,
            rejections,
            recorded_at,
            committee_decision=record,
            splits=splits,
        )
    )


def schedules_awaiting(
    approver: Approver, schedules: Iterable[WriteOffSchedule], policy: CouncilWriteOffPolicy
) -> list[WriteOffSchedule]:
    """The approvals queue: schedules whose required band is one this approver's roles sign for.

    (A holder of a higher band may still sign a smaller schedule; the queue shows what is routed to them.)
    """
    return [s for s in schedules if required_band(s, policy).roles & approver.roles]
