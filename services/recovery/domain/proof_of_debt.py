"""Proof of debt: where initial recovery has failed, the service that raised the debt is asked to prove it; no
proof, no further recovery: the debt goes to write-off (NELC 5.10). Proof provided: recovery carries on (5.12).

The rule, as the daily run and the answer handlers apply it (pure; no I/O):
- When a case reaches its policy's `proof_of_debt_request` step, recovery asks the originating service (the
  directorate that owns the debt, NELC 5.7) and gives it until the reply-by date: the step's
  `reply_within_working_days` after the request, England and Wales working days. The policy does not put a
  number on "upon request"; the default is the 10 working days NELC gives its originating departments to
  communicate their decisions on ongoing recovery (5.21). Each council may set its own in its policy file.
- Until the answer or the reply-by date, the case takes no further step.
- Proof provided: the case continues on its route; the next step follows the timetable as it stands.
- Proof not provided (the service says it cannot produce it): a write-off is requested with reason
  `no_proof_of_debt`, the service's reason as evidence.
- No answer by the reply-by date: the first daily run after that date requests the write-off with the same
  reason; silence is no proof "upon request".
- The first answer to a request stands (a later, different one is recorded, not acted on). An answer the run finds
  on record counts even if it came after the reply-by date: the run had not yet taken silence as no proof.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from shared.working_days import add_working_days

DEFAULT_REPLY_WITHIN_WORKING_DAYS = 10
"""NELC 5.21: originating departments communicate their decisions on ongoing recovery within 10 working days."""


class ProofOfDebtOutcome(StrEnum):
    """What the originating service answered."""

    PROVIDED = "provided"
    NOT_PROVIDED = "not_provided"


@dataclass(frozen=True)
class ProofOfDebtAnswer:
    """The originating service's answer: proof held (with what it is) or not (with why)."""

    outcome: ProofOfDebtOutcome
    answered_on: date
    detail: str = ""


@dataclass(frozen=True)
class ProofOfDebtRequest:
    """Proof asked of the originating service at the named step, by when, and its first answer if any."""

    step_name: str
    requested_on: date
    reply_by: date
    answer: ProofOfDebtAnswer | None = None


def reply_by(requested_on: date, reply_within_working_days: int | None) -> date:
    """The last day the originating service has to answer a request made on `requested_on`."""
    days = (
        DEFAULT_REPLY_WITHIN_WORKING_DAYS if reply_within_working_days is None else reply_within_working_days
    )
    return add_working_days(requested_on, days)


class ProofOfDebtStanding(StrEnum):
    """Where a proof of debt request stands on a day."""

    AWAITING = "awaiting"  # asked; no answer yet and the reply-by date not passed: no further step
    PROVIDED = "provided"  # proof held: the case continues on its route (NELC 5.12)
    NOT_PROVIDED = "not_provided"  # the service cannot prove it: write-off, no_proof_of_debt (NELC 5.10)
    NOT_ANSWERED = "not_answered"  # silence past the reply-by date: write-off, no_proof_of_debt (NELC 5.10)


@dataclass(frozen=True)
class ProofOfDebtDecision:
    """The standing of the request, why (for the case record), and the day to look again while awaiting."""

    standing: ProofOfDebtStanding
    reason: str
    look_again_on: date | None = None

    @property
    def goes_to_write_off(self) -> bool:
        """True when the debt is to be written off for want of proof (NELC 5.10)."""
        return self.standing in (ProofOfDebtStanding.NOT_PROVIDED, ProofOfDebtStanding.NOT_ANSWERED)

    @property
    def continues(self) -> bool:
        """True when recovery carries on with the case's next step (NELC 5.12)."""
        return self.standing is ProofOfDebtStanding.PROVIDED


def proof_of_debt_decision(request: ProofOfDebtRequest, day: date) -> ProofOfDebtDecision:
    """Where the request stands on `day` (NELC 5.10, 5.12)."""
    answer = request.answer
    if answer is not None and answer.outcome is ProofOfDebtOutcome.PROVIDED:
        return ProofOfDebtDecision(
            ProofOfDebtStanding.PROVIDED,
            f"proof of debt provided on {answer.answered_on}: recovery continues (NELC 5.12)",
        )
    if answer is not None:
        why = f": {answer.detail}" if answer.detail else ""
        return ProofOfDebtDecision(
            ProofOfDebtStanding.NOT_PROVIDED,
            f"the originating service could not provide proof of the debt on {answer.answered_on}{why} "
            "(NELC 5.10)",
        )
    if day > request.reply_by:
        return ProofOfDebtDecision(
            ProofOfDebtStanding.NOT_ANSWERED,
            f"no proof of the debt by {request.reply_by}, asked on {request.requested_on} (NELC 5.10)",
        )
    return ProofOfDebtDecision(
        ProofOfDebtStanding.AWAITING,
        f"waiting for proof of the debt, asked on {request.requested_on}, until {request.reply_by}",
        look_again_on=request.reply_by + timedelta(days=1),
    )
