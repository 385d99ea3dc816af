"""The order in which a housing benefit overpayment is recovered (NELC 7.2; DOMAIN.md 4): from arrears of
benefit, then ongoing benefit, then council tax reduction to the council tax account, then deductions from other
benefits (a request to the DWP), then a direct earnings attachment, then enforcement agents. The first four are
asked of the benefits system (`shared/contracts/benefits.py`); the invoice timetable, the attachment and agents are
recovery's own steps and follow only when the benefits system has stopped or refused every method before them.

Pure: no I/O; the handlers tell it what the benefits system has answered. Where a council's policy names the
methods it asks of the benefits system (`benefits_system_first:` in its housing benefit overpayment policy),
`benefits_system_decision` says what to ask next and holds the invoice timetable back until every one has
stopped (`benefit_deductions.py` asks and hears the answers). A case's requests are read as `RequestsMade`, which
carries that decision, worked out once (`case_state.py`). NELC 7.2 asks all four methods, RBWM 9 ongoing benefit
only; Derby (appendix 5) recovers by invoice (HB Regs 2006 reg 102(1): deduction is a power, not an order).

A deduction from benefit is a step to collect the debt, so every hold that stops recovery of the debt stops it
too (`deduction_suspension`): a breathing space (Debt Respite Scheme Regulations 2020, reg 7), an appeal or
reconsideration of the overpayment decision or a dispute of it (recovery suspended pending the outcome: DWP HB/CTB
overpayments guide; the appeal rights of the Child Support, Pensions and Social Security Act 2000, Sch 7), a
vulnerability review, a hardship deferral or an officer's hold. A running or asked deduction is suspended, and
asked again once no hold stops recovery; a dispute over part of the balance leaves it alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.recovery.domain.holds import Hold, HoldKind, holds_stopping_recovery
from shared.money import Pence


class RecoveryMethod(StrEnum):
    """One method of NELC 7.2's order of recovery, in the council's words."""

    ARREARS_OF_BENEFIT = "arrears_of_benefit"
    ONGOING_BENEFIT = "ongoing_benefit"
    COUNCIL_TAX_REDUCTION = "council_tax_reduction"
    OTHER_BENEFITS_DWP = "other_benefits_dwp"
    INVOICE = "invoice"
    DIRECT_EARNINGS_ATTACHMENT = "direct_earnings_attachment"
    ENFORCEMENT_AGENTS = "enforcement_agents"


ORDER_OF_RECOVERY: tuple[RecoveryMethod, ...] = tuple(RecoveryMethod)

# The methods the benefits system carries out; the rest are recovery's own steps.
BY_THE_BENEFITS_SYSTEM: frozenset[RecoveryMethod] = frozenset(
    {
        RecoveryMethod.ARREARS_OF_BENEFIT,
        RecoveryMethod.ONGOING_BENEFIT,
        RecoveryMethod.COUNCIL_TAX_REDUCTION,
        RecoveryMethod.OTHER_BENEFITS_DWP,
    }
)


@dataclass(frozen=True)
class BenefitPosition:
    """What the council knows of the debtor's benefits when the overpayment is raised."""

    arrears_of_benefit_pence: int = 0
    receives_housing_benefit: bool = False
    receives_council_tax_reduction: bool = False
    receives_other_dwp_benefits: bool = False
    in_employment: bool = False


def _possible(method: RecoveryMethod, position: BenefitPosition) -> bool:
    match method:
        case RecoveryMethod.ARREARS_OF_BENEFIT:
            return position.arrears_of_benefit_pence > 0
        case RecoveryMethod.ONGOING_BENEFIT:
            return position.receives_housing_benefit
        case RecoveryMethod.COUNCIL_TAX_REDUCTION:
            return position.receives_council_tax_reduction
        case RecoveryMethod.OTHER_BENEFITS_DWP:
            return position.receives_other_dwp_benefits
        case RecoveryMethod.DIRECT_EARNINGS_ATTACHMENT:
            return position.in_employment
        case _:
            return True  # an invoice and a referral to agents are always open to the council


def next_method(position: BenefitPosition, stopped: Iterable[RecoveryMethod] = ()) -> RecoveryMethod:
    """The first method of the order that is possible for this debtor and has not been stopped: an overpayment
    with ongoing benefit is recovered from it before any invoice; only when every benefit method is stopped or
    impossible is it invoiced, then attached to earnings, then placed with agents."""
    done = set(stopped)
    for method in ORDER_OF_RECOVERY:
        if method not in done and _possible(method, position):
            return method
    return RecoveryMethod.ENFORCEMENT_AGENTS


def asks_the_benefits_system(method: RecoveryMethod) -> bool:
    """True when this method is a request to the benefits system (a `recovery.benefit_deduction.requested`)."""
    return method in BY_THE_BENEFITS_SYSTEM


# -- asking the benefits system, method by method ---------------------------------------------------------------------
class BenefitAnswer(StrEnum):
    """The benefits system's latest answer to a request."""

    CONFIRMED = "confirmed"  # deductions in place (or the arrears recovered)
    STOPPED = "stopped"  # not possible, or no longer possible
    # Recovery's own record, not the benefits system's: a hold stopping recovery (a breathing space, an appeal, a
    # dispute, an officer's hold) began and recovery asked the benefits system to suspend this method; asked
    # again once no hold stops recovery (`deduction_suspension`).
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class BenefitRequestMade:
    """A request to the benefits system by one method, and its latest answer (None: not yet answered)."""

    method: RecoveryMethod
    requested_on: date
    answer: BenefitAnswer | None = None
    answered_on: date | None = None


class BenefitsSystemStanding(StrEnum):
    """Where an overpayment stands with the benefits system (NELC 7.2)."""

    ASK = "ask"  # the next method is to be asked of the benefits system
    AWAITING = "awaiting"  # asked; no answer yet: no invoice step meanwhile
    DEDUCTING = "deducting"  # the benefits system recovers it by this method: no invoice step
    INVOICE = "invoice"  # every method the benefits system could use has stopped: the council's own timetable


@dataclass(frozen=True)
class BenefitsSystemDecision:
    """The standing, the method concerned (to ask, awaited or deducting), why, and from when the invoice
    timetable runs once the benefits system has stopped every method."""

    standing: BenefitsSystemStanding
    method: RecoveryMethod | None
    reason: str
    timetable_from: date | None = None


def benefits_system_decision(
    methods: Iterable[RecoveryMethod], made: Sequence[BenefitRequestMade]
) -> BenefitsSystemDecision:
    """What the order of recovery asks now (NELC 7.2), given the benefits system's methods the policy uses (in
    the order) and the requests made so far (in the order made).

    The benefits system knows the claim; recovery does not, so each method is asked in turn and the benefits
    system stops those not possible (no arrears, no entitlement, no other benefit). A method being answered or
    recovering by deductions holds the invoice back; a method stopped, even after deductions began, moves on to
    the next; when none is left, the invoice timetable runs from the day the last one stopped.

    Requests read as `RequestsMade` for the same methods carry this decision already (worked out once when the
    case was read): it is returned as it is."""
    asked = tuple(methods)
    if isinstance(made, RequestsMade) and made.methods == asked:
        return made.decision
    return _decided(asked, made)


class RequestsMade(tuple[BenefitRequestMade, ...]):
    """What was asked of the benefits system for one case, in the order asked (with the latest answers), and the
    order of recovery's decision on them under the policy's methods, worked out once when the case is read
    (`case_state.py`). The step engine asks for the decision several times a case (is the invoice held back;
    from when does its timetable run); each is answered from here. Both parts are immutable, so the decision
    can never be stale; asked under other methods, `benefits_system_decision` works it out afresh."""

    methods: tuple[RecoveryMethod, ...]
    decision: BenefitsSystemDecision

    def __new__(cls, methods: Iterable[RecoveryMethod], made: Iterable[BenefitRequestMade]) -> RequestsMade:
        requests = super().__new__(cls, made)
        requests.methods = tuple(methods)
        requests.decision = _decided(requests.methods, requests)
        return requests


def _decided(
    methods: tuple[RecoveryMethod, ...], made: Sequence[BenefitRequestMade]
) -> BenefitsSystemDecision:
    last = made[-1] if made else None
    if last is not None and last.answer is BenefitAnswer.SUSPENDED:
        return BenefitsSystemDecision(
            BenefitsSystemStanding.ASK,
            last.method,
            f"{last.method.value} was suspended on {last.answered_on} while a hold stopped recovery (a breathing "
            "space: Debt Respite Scheme Regulations 2020, reg 7; an appeal or dispute: until it is decided): asked "
            "again of the benefits system once no hold stops recovery",
        )
    if last is not None and last.answer is None:
        return BenefitsSystemDecision(
            BenefitsSystemStanding.AWAITING,
            last.method,
            f"{last.method.value} asked of the benefits system on {last.requested_on}: waiting for its answer",
        )
    if last is not None and last.answer is BenefitAnswer.CONFIRMED:
        return BenefitsSystemDecision(
            BenefitsSystemStanding.DEDUCTING,
            last.method,
            f"recovered by the benefits system by {last.method.value} (NELC 7.2)",
        )
    stopped = {r.method for r in made if r.answer is BenefitAnswer.STOPPED}
    for method in methods:
        if method not in stopped:
            return BenefitsSystemDecision(
                BenefitsSystemStanding.ASK,
                method,
                f"{method.value} is next in the order of recovery (NELC 7.2)",
            )
    return BenefitsSystemDecision(
        BenefitsSystemStanding.INVOICE,
        RecoveryMethod.INVOICE,
        "every method by the benefits system stopped: recovered by invoice (NELC 7.2)",
        timetable_from=last.answered_on if last is not None else None,
    )


# -- holds that stop recovery: breathing space (reg 7), appeal, dispute, officers' holds --------------------------------
def suspension_needed(decision: BenefitsSystemDecision) -> bool:
    """True when a hold that stops recovery of the debt must ask the benefits system to suspend recovery: a
    deduction is running (confirmed) or a method is asked and may be confirmed at any moment. A deduction from
    benefit is a step to collect the debt (reg 7 of the Debt Respite Scheme Regulations 2020 forbids any in a
    breathing space). A case not yet asked, or on its invoice timetable, has nothing running at the benefits
    system (its hold stops the rest)."""
    return decision.standing in (BenefitsSystemStanding.DEDUCTING, BenefitsSystemStanding.AWAITING)


_MORATORIUM = "no step to collect a moratorium debt (Debt Respite Scheme Regulations 2020, reg 7)"

# Why each kind of hold stops recovery from benefit, as the case record and the suspension request say it.
SUSPENSION_RULES: dict[HoldKind, str] = {
    HoldKind.BREATHING_SPACE: _MORATORIUM,
    HoldKind.MENTAL_HEALTH_CRISIS_BREATHING_SPACE: _MORATORIUM,
    HoldKind.APPEAL: (
        "recovery of an overpayment whose decision is under appeal or reconsideration is suspended until it is "
        "decided (DWP HB/CTB overpayments guide; Child Support, Pensions and Social Security Act 2000, Sch 7; "
        "deduction under HB Regulations 2006, reg 102 is a power, not a duty)"
    ),
    HoldKind.DISPUTE: (
        "recovery of a disputed overpayment is suspended until the dispute is resolved (DWP HB/CTB overpayments "
        "guide; deduction under HB Regulations 2006, reg 102 is a power, not a duty)"
    ),
    HoldKind.VULNERABILITY: "recovery paused while a vulnerable debtor's circumstances are looked at (Derby 9)",
    HoldKind.HARDSHIP_DEFERRAL: "recovery deferred for hardship (NELC 3.6)",
    HoldKind.MANUAL: "recovery held by a named officer (RBWM 7)",
}


@dataclass(frozen=True)
class DeductionSuspension:
    """The benefits system to be asked to suspend recovery by `method` because `hold` (known to recovery as
    `reference`: a breathing space's register reference, else recovery's hold id) stops recovery; `reason`
    names the hold's kind, its reference, its start and the rule, as the case record and the request say it
    (not the officer's own words for the hold, which are on the record with the hold)."""

    method: RecoveryMethod
    hold: Hold
    reference: str
    rule: str
    reason: str


def deduction_suspension(
    decision: BenefitsSystemDecision, held: Iterable[tuple[str, Hold]], day: date, balance: Pence
) -> DeductionSuspension | None:
    """Whether a hold on the debt suspends its recovery from benefit on `day`: when a deduction is running or
    asked (`suspension_needed`) and one of `held` (each with the reference recovery knows it by) is in force and
    stops recovery of the whole balance (`holds_stopping_recovery`), the first such hold suspends it. A hold
    not in force that day, a dispute over part of the balance, or a case with nothing running at the benefits
    system suspends nothing. An appeal against the overpayment decision suspends the deduction until it is
    decided; a breathing space until it ends (reg 7)."""
    if not suspension_needed(decision) or decision.method is None:
        return None
    pairs = tuple(held)
    stopping = holds_stopping_recovery(tuple(hold for _, hold in pairs), day, balance)
    if not stopping:
        return None
    reference, hold = next((ref, hold) for ref, hold in pairs if hold is stopping[0])
    rule = SUSPENSION_RULES[hold.kind]
    until = "it ends" if hold.is_breathing_space else "it is lifted or ends"
    reason = (
        f"{hold.kind.value.replace('_', ' ')} {reference} from {hold.start.isoformat()}: {rule}; "
        f"asked again when {until} and no other hold stops recovery"
    )
    return DeductionSuspension(decision.method, hold, reference, rule, reason)


def asking_date(decision: BenefitsSystemDecision, resumes_on: date | None) -> date | None:
    """The next-step date to store for a case the order of recovery says to ask (never asked, or asked again
    after a hold suspended it): the day recovery resumes (`recovery_resumes_on`: today when no hold stops it, the
    day after a dated hold's end), so the daily run asks it then (NELC 7.2, RBWM 9). None when there is nothing to
    ask, or while a hold with no known end stops recovery (a breathing space's debt is asked only once the
    moratorium ends, reg 7; an appeal once it is decided and the hold lifted)."""
    if decision.standing is not BenefitsSystemStanding.ASK:
        return None
    return resumes_on
