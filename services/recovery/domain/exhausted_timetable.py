"""A timetable that has run out: an officer's decision, not an automatic write-off (issue 19).

When every step of a case's timetable is taken and money is still owed, or the timetable reaches its own
`write_off_request` step, recovery has nothing left to do by itself. Issue 19: "Timetable exhausted: an officer's
decision tray item (write off with a reason, legal action, arrangement, cancel), not an automatic write-off
request." The case waits, from the day after its last step (or the day of its `write_off_request` step, which stays
on record as the timetable's write-off point), for an officer to choose one of:

- write off: with one of recovery's write-off reasons (DOMAIN.md 9, `WriteOffReason`) and the evidence or notes
  for it; recovery asks the write-off service exactly as for any other request, with that reason and the officer
  named, and the write-off service decides by its approval bands;
- legal action: the policy's legal referral step is taken (a referral to legal services, as the timetable would),
  or, where legal services still have the case from the timetable, the decision that they go on is recorded;
- arrangement: the decision is recorded and the arrangement is made through the arrangements route (its own rules:
  the Standard Financial Statement, the policy's terms); the case leaves the tray once an arrangement is live;
- cancel: recovery on the debt ends, the case is closed with the officer's reason.

A write-off for insolvency reaches only the debt owed up to the date of the order ("any accruing debt to be
written off will only be up to the date of the order", Derby App.1 §7; DOMAIN.md 9): the officer states the
order's date (not after today) and what was owed on it (more than nothing, and not more than the case's balance
now); the request is for that amount, with both, as the write-off service requires. An agent's return reporting an
insolvency (insolvent, bankrupt) puts the case here for that reason rather than asking for the write-off at once.
A write-off refused by the write-off service, however it was asked for, brings the case here too, with the reason.

Only a council whose policy file says `write_off_when_exhausted: true` (an explicit opt-in, default false) still
has recovery ask for an `uneconomic_to_pursue` write-off by itself (`requests_write_off_by_itself`), both when the
steps run out and at a `write_off_request` step. No shipped policy opts in.

Pure rules, no I/O: the HTTP route (`services/recovery/http_exhausted_cases.py`) loads, decides here, stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.recovery.domain.case import RecoveryCaseState
from services.recovery.domain.escalation import WriteOffReason
from services.recovery.domain.holds import holds_stopping_recovery
from services.recovery.domain.policy import RecoveryPolicy, RecoveryStep, StepKind
from shared.money import Pence, format_pounds


class ExhaustedDecision(StrEnum):
    """What an officer may decide for a case whose timetable has run out (issue 19)."""

    WRITE_OFF = "write_off"
    LEGAL_ACTION = "legal_action"
    ARRANGEMENT = "arrangement"
    CANCEL = "cancel"


class ExhaustedDecisionError(ValueError):
    """A decision that cannot be made for this case (the reason is for the officer)."""


@dataclass(frozen=True)
class DecisionAsked:
    """What the officer chose, with the write-off reason (write off only) and the evidence or notes."""

    decision: ExhaustedDecision
    notes: str = ""
    write_off_reason: WriteOffReason | None = None
    evidence: tuple[str, ...] = ()
    insolvency_order_date: date | None = None
    owed_at_order_date_pence: Pence | None = None


@dataclass(frozen=True)
class InsolvencyOrder:
    """What the officer states of a formal insolvency order: its date and what the debt owed on that date (the
    most that may be written off for the insolvency, Derby App.1 §7)."""

    order_date: date
    owed_at_order_date_pence: Pence


AGENT_REPORTS_INSOLVENCY = "the agent reports an insolvency: record the order's date and what was owed on it"


@dataclass(frozen=True)
class DecisionMade:
    """A decision the rules accept: what the wiring carries out.

    `legal_step` is the policy step to take for legal action; `evidence` what goes with a write-off request (the
    officer's evidence, then their notes); `keeps_waiting` is true when the case stays due for a decision until
    the decision has taken effect: a write-off (out of the tray while the write-off service considers it, back
    if it is refused) and an arrangement (made through the arrangements route; back if it defaults)."""

    decision: ExhaustedDecision
    notes: str
    write_off_reason: WriteOffReason | None = None
    evidence: tuple[str, ...] = ()
    legal_step: RecoveryStep | None = None
    keeps_waiting: bool = False
    already_with_legal: bool = (
        False  # legal action decided while the legal referral is still open: no new one
    )
    insolvency: InsolvencyOrder | None = (
        None  # a write-off for insolvency: the order, and the amount it reaches
    )


# The write-off reasons of a formal insolvency, in recovery's words and the write-off service's catalogue's.
INSOLVENCY_WRITE_OFF_REASONS = frozenset({"insolvency", "formal_insolvency"})


def awaiting_decision(awaiting_since: date | None, status: str, arrangement_status: str | None) -> bool:
    """True while the case waits in the officers' decision tray: due for a decision, still open (not waiting for
    a write-off answer, not closed) and not under a live arrangement (issue 19). The SQL twin is
    `stores/exhausted_cases.py` `AWAITING_DECISION`. Meanwhile the timetable takes no step by itself: the
    officer's decision chooses what happens next."""
    return awaiting_since is not None and status == "open" and arrangement_status != "live"


@dataclass(frozen=True)
class WriteOffApplied:
    """What an approved write-off leaves of a case: what it took off the balance, what is still owed, and, when
    the rest is for an officer to decide (an insolvency's remainder), why."""

    written_off: Pence
    remainder: Pence
    billing_ahead: Pence  # billing's write-off statements not yet matched by an approval recovery heard
    awaiting_decision_why: str | None = None

    @property
    def closes_the_case(self) -> bool:
        """A full write-off ends recovery; a partial one leaves the remainder to pursue."""
        return self.remainder <= 0


def write_off_applied(
    approved_pence: Pence,
    balance: Pence,
    billing_ahead: Pence,
    reason_code: str,
    *,
    from_the_tray: bool = False,
) -> WriteOffApplied:
    """What an approved write-off of `approved_pence` leaves of a case whose balance is `balance`.

    Billing posts the approved amount (never more than is outstanding) and restates the balance with cause
    `write_off`; that restatement and the approval reach recovery in either order (DESIGN: ordering across queues
    is not guaranteed). `billing_ahead` is what billing's write-off restatements have already taken off `balance`
    without an approval recovery has heard (negative: approvals heard before billing restated). So the balance
    before this write-off is `balance + billing_ahead`, and what remains after it is the same whichever came first.

    A write-off of less than is owed leaves the case open for the remainder. For a formal insolvency
    (`INSOLVENCY_WRITE_OFF_REASONS`) the write-off reaches only the debt owed up to the date of the order (Derby
    App.1 §7, DOMAIN.md 9): what accrued after it is not released by the order and is still owed, but it is not
    pursued on the old timetable without thought: the case goes to the officers' decision tray, with what was
    written off and what remains as why. So does the remainder of any write-off an officer decided from the tray
    (`from_the_tray`: the case was already theirs to decide); any other remainder goes on where its timetable
    stands."""
    before = balance + billing_ahead
    written = max(min(approved_pence, before), 0)
    remainder = before - written
    why = None
    if remainder > 0 and reason_code in INSOLVENCY_WRITE_OFF_REASONS:
        why = (
            f"insolvency write-off of {format_pounds(written)} approved (the debt owed up to the order); "
            f"{format_pounds(remainder)} remains, owed after the order and not released by it: decide how it "
            "is pursued"
        )
    elif remainder > 0 and from_the_tray:
        why = (
            f"write-off of {format_pounds(written)} approved ({reason_code}); {format_pounds(remainder)} "
            "remains: decide how it is pursued"
        )
    return WriteOffApplied(written, remainder, billing_ahead - written, why)


def requests_write_off_by_itself(policy: RecoveryPolicy, balance: Pence) -> bool:
    """True only where the council has opted in (`write_off_when_exhausted: true`) and money is owed: recovery asks
    for the `uneconomic_to_pursue` write-off itself. Otherwise an exhausted timetable waits for an officer."""
    return policy.write_off_when_exhausted and balance > 0


def awaits_decision(policy: RecoveryPolicy, balance: Pence) -> bool:
    """True when an exhausted timetable goes to the officers' decision tray: money is still owed and the council
    has not opted in to the automatic request (issue 19)."""
    return balance > 0 and not policy.write_off_when_exhausted


def due_for_decision_on(last_step_on: date | None, found_on: date) -> date:
    """The day the case became due for an officer's decision: the day after its last step (the day the step
    engine puts an exhausted timetable due), never later than the day recovery found it exhausted."""
    if last_step_on is None:
        return found_on
    return min(last_step_on + timedelta(days=1), found_on)


def days_waiting(due_on: date, today: date) -> int:
    """How long the case has waited for a decision, in days (0 on the day it became due)."""
    return max((today - due_on).days, 0)


def legal_step_of(policy: RecoveryPolicy) -> RecoveryStep | None:
    """The policy's legal referral step (the last, where a timetable has more than one), if it has one."""
    legal = [step for step in policy.steps if step.kind is StepKind.LEGAL_REFERRAL]
    return legal[-1] if legal else None


def decide(
    policy: RecoveryPolicy,
    case: RecoveryCaseState,
    asked: DecisionAsked,
    today: date,
    *,
    awaiting: bool,
) -> DecisionMade:
    """Check the officer's decision for an exhausted case and say what it does; `ExhaustedDecisionError` says
    why not.

    - only a case waiting for a decision (`awaiting`) may be decided;
    - write off: a reason from recovery's write-off reasons and at least one line of evidence or notes, and a
      balance to write off (DOMAIN.md 9: every write-off request carries its reason and evidence); for
      insolvency, the order's date and what was owed on it (`insolvency_order`);
    - legal action: the policy must have a legal referral step; not while a hold stops recovery (a breathing
      space, a dispute of the whole balance: no enforcement), nor while an agent or agency has the case; where
      the legal referral is still open the decision is that legal services go on (no second referral);
    - cancel: needs the reason (it is the closing reason on the case record);
    - arrangement: recorded; the arrangement itself is made through the arrangements route.
    """
    if not awaiting:
        raise ExhaustedDecisionError("the case is not waiting for a decision on an exhausted timetable")
    notes = asked.notes.strip()
    if asked.decision is ExhaustedDecision.WRITE_OFF:
        if asked.write_off_reason is None:
            raise ExhaustedDecisionError("a write-off needs one of recovery's write-off reasons")
        evidence = tuple(e.strip() for e in asked.evidence if e.strip()) + ((notes,) if notes else ())
        if not evidence:
            raise ExhaustedDecisionError("a write-off needs the evidence for its reason (evidence or notes)")
        if case.balance <= 0:
            raise ExhaustedDecisionError("nothing is owed, so nothing can be written off")
        order = insolvency_order(
            asked.write_off_reason,
            asked.insolvency_order_date,
            asked.owed_at_order_date_pence,
            case.balance,
            today,
        )
        return DecisionMade(
            asked.decision, notes, asked.write_off_reason, evidence, keeps_waiting=True, insolvency=order
        )
    if asked.write_off_reason is not None:
        raise ExhaustedDecisionError("a write-off reason goes only with a write-off")
    if asked.insolvency_order_date is not None or asked.owed_at_order_date_pence is not None:
        raise ExhaustedDecisionError(
            "an insolvency order's date and amount go only with a write-off for insolvency"
        )
    if asked.decision is ExhaustedDecision.LEGAL_ACTION:
        step = legal_step_of(policy)
        if step is None:
            raise ExhaustedDecisionError(
                f"the {policy.council} {policy.debt_type.value} policy has no legal referral step"
            )
        if stopping := holds_stopping_recovery(case.holds, today, case.balance):
            kinds = ", ".join(hold.kind.value for hold in stopping)
            raise ExhaustedDecisionError(f"no legal action while recovery is held ({kinds})")
        open_referrals = [taken for taken in case.effective_steps if taken.is_open_referral]
        if any(taken.kind is not StepKind.LEGAL_REFERRAL for taken in open_referrals):
            raise ExhaustedDecisionError("the case is with an agent: recall it before legal action")
        with_legal = any(taken.kind is StepKind.LEGAL_REFERRAL for taken in open_referrals)
        return DecisionMade(asked.decision, notes, legal_step=step, already_with_legal=with_legal)
    if asked.decision is ExhaustedDecision.CANCEL:
        if not notes:
            raise ExhaustedDecisionError("cancelling recovery needs the reason (notes)")
        return DecisionMade(asked.decision, notes)
    return DecisionMade(asked.decision, notes, keeps_waiting=True)


def insolvency_order(
    reason: WriteOffReason | None,
    order_date: date | None,
    owed_at_order_date: Pence | None,
    balance: Pence,
    today: date,
) -> InsolvencyOrder | None:
    """The order an insolvency write-off states (None for any other reason); `ExhaustedDecisionError` says what
    is missing or wrong.

    Derby App.1 §7: "in such cases any accruing debt to be written off will only be up to the date of the order".
    So a write-off for insolvency needs the order's date, which cannot be after today, and what the debt owed on
    it, more than £0.00 and not more than the balance owed now (recovery cannot ask to write off more than is
    owed); what is written off is that amount. Any other reason takes neither."""
    if reason is not WriteOffReason.INSOLVENCY:
        if order_date is not None or owed_at_order_date is not None:
            raise ExhaustedDecisionError(
                "an insolvency order's date and amount go only with a write-off for insolvency"
            )
        return None
    missing = [
        name
        for name, value in (
            ("insolvency_order_date", order_date),
            ("owed_at_order_date_pence", owed_at_order_date),
        )
        if value is None
    ]
    if missing:
        raise ExhaustedDecisionError(
            f"a write-off for insolvency needs {' and '.join(missing)}: only the debt owed up to the date of the "
            "order is written off (Derby App.1 §7)"
        )
    assert order_date is not None and owed_at_order_date is not None
    if order_date > today:
        raise ExhaustedDecisionError(
            f"the insolvency order cannot be dated {order_date.isoformat()}, after today"
        )
    owed = owed_at_order_date
    if owed <= 0:
        raise ExhaustedDecisionError(
            "the amount owed on the date of the insolvency order must be more than £0.00"
        )
    if owed > balance:
        raise ExhaustedDecisionError(
            f"{format_pounds(owed)} owed on the date of the order is more than the {format_pounds(balance)} owed "
            "now: recovery cannot ask to write off more than is owed"
        )
    return InsolvencyOrder(order_date, owed)
