"""Escalation: referral to an agent only where the policy allows it, nothing bars it, and all of the customer's
debts have been considered (DOMAIN.md 8); recall of referrals when a hold arrives; and the write-off request
when recovery is exhausted (DOMAIN.md 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.recovery.domain.case import ArrangementStatus, RecoveryCaseState, StepTaken
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.holds import Hold, holds_stopping_recovery
from services.recovery.domain.policy import RecoveryPolicy, RecoveryStep
from shared.money import Pence


@dataclass(frozen=True)
class CustomerDebtPosition:
    """Another debt the same customer owes, as recovery sees it, for the all-debts check before a referral."""

    case_id: str
    debt_type: DebtType
    balance: Pence
    in_breathing_space: bool = False
    arrangement: ArrangementStatus | None = None
    ready_for_referral: bool = False
    with_agent: bool = False


@dataclass(frozen=True)
class ReferralDecision:
    """Whether the case may go to an agent now, why not if not, and the customer's other debts to send with it."""

    allowed: bool
    reasons: tuple[str, ...]
    refer_together: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """The reasons as one sentence for the case record."""
        return "; ".join(self.reasons)


def referral_decision(
    policy: RecoveryPolicy,
    case: RecoveryCaseState,
    step: RecoveryStep,
    customer_debts: tuple[CustomerDebtPosition, ...],
    business_date: date,
) -> ReferralDecision:
    """Decide an agent referral for `case` at `step`, looking at every other debt the customer owes."""
    reasons: list[str] = []
    if step not in policy.steps or not step.is_referral:
        reasons.append(f"the {policy.debt_type.value} policy has no referral step '{step.name}'")
    stopping = holds_stopping_recovery(case.holds, business_date, case.balance)
    if stopping:
        reasons.append("on hold: " + ", ".join(h.kind.value for h in stopping))
    if (
        step.is_agent_referral
        and case.needs_gentler_route
        and policy.gentler_route.bar_agent_referral_until_reviewed
        and (case.circumstances_reviewed_on is None or case.circumstances_reviewed_on > business_date)
    ):
        reasons.append("vulnerable or can't-pay debtor whose circumstances have not been reviewed")
    if case.arrangement is ArrangementStatus.LIVE:
        reasons.append("an arrangement on this debt is being kept")
    others = tuple(d for d in customer_debts if d.case_id != case.case_id)
    if any(d.in_breathing_space for d in others):
        # A breathing space protects the person, so no debt of theirs goes to an agent meanwhile.
        reasons.append("the customer is in breathing space on another debt")
    if any(d.arrangement is ArrangementStatus.LIVE for d in others):
        reasons.append(
            "the customer is keeping an arrangement on another debt: consider adding this debt to it"
        )
    together = tuple(d.case_id for d in others if d.ready_for_referral and not d.with_agent and d.balance > 0)
    return ReferralDecision(
        allowed=not reasons, reasons=tuple(reasons), refer_together=together if not reasons else ()
    )


def referrals_to_recall(
    steps_taken: tuple[StepTaken, ...], hold: Hold, business_date: date
) -> tuple[StepTaken, ...]:
    """Open referrals to recall because a hold covering the whole balance is in force (or starts) on the date."""
    if hold.end is not None and hold.end < business_date:
        return ()
    return tuple(step for step in steps_taken if step.is_open_referral)


class WriteOffReason(StrEnum):
    """The reasons a debt may be written off (DOMAIN.md 9)."""

    DECEASED_NO_ESTATE = "deceased_no_estate"
    INSOLVENCY = "insolvency"
    REMITTED_BY_COURT = "remitted_by_court"
    SERIOUS_HARDSHIP = "serious_hardship"
    ABSCONDED_UNTRACEABLE = "absconded_untraceable"
    OUTSIDE_JURISDICTION = "outside_jurisdiction"
    COURT_REFUSED_ORDER = "court_refused_order"
    PRISON_SERVED_IN_LIEU = "prison_served_in_lieu"
    UNRECOVERABLE_HB_OVERPAYMENT = "unrecoverable_hb_overpayment"
    STATUTE_BARRED = "statute_barred"
    UNECONOMIC_SMALL_BALANCE = "uneconomic_small_balance"
    UNECONOMIC_TO_PURSUE = "uneconomic_to_pursue"
    SEVERE_ILLNESS = "severe_illness"
    LEGAL_ADVICE_NOT_RECOVERABLE = "legal_advice_not_recoverable"
    NO_PROOF_OF_DEBT = "no_proof_of_debt"
    OTHER = "other"  # needs a written report, a panel and top-level approval (Derby App.1 §8)


@dataclass(frozen=True)
class WriteOffRequest:
    """What recovery sends to the write-off service: the debt, the sum, why, and the evidence for it."""

    case_id: str
    customer_id: str
    debt_type: DebtType
    council: str
    amount: Pence
    reason: WriteOffReason
    evidence: tuple[str, ...]
    requested_on: date
    needs_written_report: bool


class WriteOffRequestError(ValueError):
    """A write-off request that cannot be made."""


def write_off_request(
    policy: RecoveryPolicy,
    case: RecoveryCaseState,
    reason: WriteOffReason,
    evidence: tuple[str, ...],
    requested_on: date,
) -> WriteOffRequest:
    """A write-off request for the case's balance; the recovery history is always part of the evidence."""
    if case.balance <= 0:
        raise WriteOffRequestError("nothing is owed, so nothing can be written off")
    history = tuple(
        f"{step.taken_on.isoformat()} {step.name}{' (void)' if step.void else ''}"
        for step in case.steps_taken
    )
    if not evidence and not history:
        raise WriteOffRequestError("a write-off request needs evidence")
    return WriteOffRequest(
        case_id=case.case_id,
        customer_id=case.customer_id,
        debt_type=case.debt_type,
        council=policy.council,
        amount=case.balance,
        reason=reason,
        evidence=tuple(evidence) + history,
        requested_on=requested_on,
        needs_written_report=reason is WriteOffReason.OTHER,
    )


def write_off_when_exhausted(
    policy: RecoveryPolicy,
    case: RecoveryCaseState,
    requested_on: date,
    reason: WriteOffReason = WriteOffReason.UNECONOMIC_TO_PURSUE,
    evidence: tuple[str, ...] = (),
) -> WriteOffRequest | None:
    """The write-off request due when every step is taken and a balance remains, if the policy asks for one."""
    if not policy.write_off_when_exhausted or case.balance <= 0:
        return None
    return write_off_request(
        policy,
        case,
        reason,
        evidence or (f"recovery exhausted under the {policy.council} {policy.debt_type.value} policy",),
        requested_on,
    )
