"""Checking an agent's reported fee against the Taking Control of Goods (Fees) Regulations 2014.

The Schedule to the Regulations (enforcement other than under a High Court writ, regulation 5):

    stage                     fixed fee   percentage fee (regulation 7)
    compliance                £75         none
    enforcement               £235        7.5% of the sum to be recovered exceeding £1,500
    sale or disposal          £110        7.5% of the sum to be recovered exceeding £1,500

"Sum to be recovered" (regulation 2) is the amount of the debt which remains unpaid. Councils are VAT-registered
creditors, so the VAT-equivalent sum of regulation 4(1)(b) never applies. Breathing space (Debt Respite Scheme
Regulations 2020) freezes fees: any fee charged on a day the debt was in a breathing space is flagged.
A fee is never silently accepted when it fails a check; it goes to the council to decide.

Regulation 11 (more than one enforcement power against the same debtor, able to be exercised at the same time):
the compliance fee is recoverable for each enforcement power (reg 11(3)); for the enforcement and the sale or
disposal stages the fixed fee is recoverable once whatever the number of powers (reg 11(4)(a)) and the percentage
fee is worked on the total of the sums to be recovered under all of them (reg 11(4)(b)). Two £1,400 liability
orders enforced together may draw £235 + 7.5% of £1,300 = £332.50 at the enforcement stage, not 2 x £235.

Regulation 12 (vulnerable debtors): the enforcement stage fee is not recoverable from a vulnerable debtor unless
the agent, before proceeding to remove goods taken into control, gave the debtor an adequate opportunity to get
assistance and advice. The agent states when it gave that opportunity on the fee record
(`advice_opportunity_given_on`); without it, or given only once goods were being removed, the fee is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from services.agents_gateway.domain.records import FeeStage
from shared.money import Pence, format_pounds, percentage_of


@dataclass(frozen=True)
class StageFee:
    """One row of the fee scale."""

    fixed_pence: Pence
    percentage: Decimal


@dataclass(frozen=True)
class FeeScale:
    """The statutory scale; a council (or a future amendment) can supply different figures."""

    stages: dict[FeeStage, StageFee]
    percentage_threshold_pence: Pence

    def maximum_fee(self, stage: FeeStage, sum_to_be_recovered_pence: Pence) -> Pence:
        """The most an agent may charge for `stage` on a debt with this much unpaid."""
        row = self.stages[stage]
        excess = max(0, sum_to_be_recovered_pence - self.percentage_threshold_pence)
        return row.fixed_pence + percentage_of(excess, row.percentage)

    def maximum_fee_together(self, stage: FeeStage, sums_to_be_recovered_pence: Iterable[Pence]) -> Pence:
        """The most an agent may charge for `stage` across several enforcement powers against one debtor
        exercised together (regulation 11): a compliance fee for each power (11(3)); for the enforcement and sale
        stages the fixed fee once and the percentage on the combined sum to be recovered (11(4))."""
        sums = list(sums_to_be_recovered_pence)
        if stage is FeeStage.COMPLIANCE:
            return sum((self.maximum_fee(stage, each) for each in sums), 0)
        return self.maximum_fee(stage, sum(sums, 0))


TAKING_CONTROL_OF_GOODS_FEES_2014 = FeeScale(
    stages={
        FeeStage.COMPLIANCE: StageFee(fixed_pence=75_00, percentage=Decimal("0")),
        FeeStage.ENFORCEMENT: StageFee(fixed_pence=235_00, percentage=Decimal("7.5")),
        FeeStage.SALE_OR_DISPOSAL: StageFee(fixed_pence=110_00, percentage=Decimal("7.5")),
    },
    percentage_threshold_pence=1_500_00,
)


@dataclass(frozen=True)
class BreathingSpacePeriod:
    """A moratorium on the debt: from `starts_on` to `ends_on` inclusive, or still running when ends_on is None."""

    starts_on: date
    ends_on: date | None = None

    def covers(self, day: date) -> bool:
        """True when `day` falls inside the moratorium."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class FeeFlag(StrEnum):
    """Why a reported fee goes to the council instead of being accepted."""

    ABOVE_SCALE = "above_scale"
    CHARGED_IN_BREATHING_SPACE = "charged_in_breathing_space"
    STAGE_ALREADY_CHARGED = "stage_already_charged"
    ABOVE_SCALE_FOR_POWERS_ENFORCED_TOGETHER = "above_scale_for_powers_enforced_together"
    VULNERABLE_DEBTOR_NOT_GIVEN_OPPORTUNITY_FOR_ADVICE = "vulnerable_debtor_not_given_opportunity_for_advice"


@dataclass(frozen=True)
class FeeFinding:
    """One reason a fee was flagged, in words the council officer reads."""

    flag: FeeFlag
    reason: str


@dataclass(frozen=True)
class FeeDecision:
    """Accepted when there are no findings; otherwise flagged to the council with every reason."""

    stage: FeeStage
    reported_pence: Pence
    scale_maximum_pence: Pence
    findings: tuple[FeeFinding, ...]

    @property
    def accepted(self) -> bool:
        """True when the fee passed every check."""
        return not self.findings


def check_reported_fee(
    stage: FeeStage,
    amount_pence: Pence,
    charged_on: date,
    sum_to_be_recovered_pence: Pence,
    breathing_spaces: Iterable[BreathingSpacePeriod] = (),
    stages_already_charged: Iterable[FeeStage] = (),
    scale: FeeScale = TAKING_CONTROL_OF_GOODS_FEES_2014,
) -> FeeDecision:
    """Check one fee an agent reports against the scale, the debt's breathing spaces and fees already taken.

    `sum_to_be_recovered_pence` is the debt still unpaid when the stage was reached (fees excluded).
    `stages_already_charged` are stages accepted earlier on the same case: each stage's fee is due once.
    """
    maximum = scale.maximum_fee(stage, sum_to_be_recovered_pence)
    findings: list[FeeFinding] = []
    if amount_pence > maximum:
        findings.append(
            FeeFinding(
                FeeFlag.ABOVE_SCALE,
                f"{stage.value} fee of {format_pounds(amount_pence)} exceeds the scale maximum of "
                f"{format_pounds(maximum)} on a sum to be recovered of {format_pounds(sum_to_be_recovered_pence)}",
            )
        )
    for period in breathing_spaces:
        if period.covers(charged_on):
            findings.append(
                FeeFinding(
                    FeeFlag.CHARGED_IN_BREATHING_SPACE,
                    f"charged on {charged_on.isoformat()}, inside a breathing space from "
                    f"{period.starts_on.isoformat()}"
                    + (f" to {period.ends_on.isoformat()}" if period.ends_on else " (still running)"),
                )
            )
            break
    if stage in set(stages_already_charged):
        findings.append(
            FeeFinding(FeeFlag.STAGE_ALREADY_CHARGED, f"a {stage.value} fee was already charged on this case")
        )
    return FeeDecision(
        stage=stage, reported_pence=amount_pence, scale_maximum_pence=maximum, findings=tuple(findings)
    )


@dataclass(frozen=True)
class FeeToCheck:
    """A fee an agent reports on one case, with what the council knows of that case.

    `debtor` is who is liable (billing's customers on the debt): cases with the same debtor, placed with the same
    agent, are enforcement powers against the same debtor in the sense of regulation 11.
    """

    case: UUID
    debtor: frozenset[UUID]
    placed_on: date | None
    stage: FeeStage
    amount_pence: Pence
    charged_on: date
    sum_to_be_recovered_pence: Pence
    breathing_spaces: tuple[BreathingSpacePeriod, ...] = ()
    debtor_vulnerable: bool = False
    advice_opportunity_given_on: date | None = None


@dataclass(frozen=True)
class EarlierFee:
    """A fee accepted earlier on one of the debtor's cases with the same agent."""

    case: UUID
    debtor: frozenset[UUID]
    placed_on: date | None
    stage: FeeStage
    amount_pence: Pence
    charged_on: date
    sum_to_be_recovered_pence: Pence


def _enforced_together(
    one_placed_on: date | None,
    one_charged_on: date,
    other_placed_on: date | None,
    other_charged_on: date,
) -> bool:
    # Powers "can reasonably be exercised at the same time" (reg 11(1)(b), (2)) when the agent held both
    # instructions before it first went to enforce either: both placed by the earlier of the two charge dates.
    first_visit = min(one_charged_on, other_charged_on)
    return (one_placed_on or first_visit) <= first_visit and (other_placed_on or first_visit) <= first_visit


def check_reported_fees(
    fees: Sequence[FeeToCheck],
    earlier: Sequence[EarlierFee] = (),
    scale: FeeScale = TAKING_CONTROL_OF_GOODS_FEES_2014,
) -> list[FeeDecision]:
    """Check the fees of one return file, in order, against regulations 4-7, 11 and 12 and breathing spaces.

    Each fee is first checked on its own case (`check_reported_fee`: the scale on its own debt, breathing
    spaces, a stage charged once). Then regulation 11: for the enforcement and sale stages, the fees an agent
    takes on the same debtor's cases enforced together (earlier accepted ones and those accepted before it in
    this file) may not together exceed the fixed fee once plus the percentage on the combined sums; the fee that
    takes the total over is refused, with what it could have been. Then regulation 12 for the enforcement stage.
    """
    accepted: list[EarlierFee] = list(earlier)
    decisions: list[FeeDecision] = []
    for fee in fees:
        alone = check_reported_fee(
            fee.stage,
            fee.amount_pence,
            fee.charged_on,
            fee.sum_to_be_recovered_pence,
            breathing_spaces=fee.breathing_spaces,
            stages_already_charged=[e.stage for e in accepted if e.case == fee.case],
            scale=scale,
        )
        # Regulation 11 replaces the single-case scale when other powers were enforced together with this one:
        # the combined fee may sit on any one of the cases, so the single-case maximum no longer binds.
        together = [
            e
            for e in accepted
            if e.debtor == fee.debtor
            and e.case != fee.case
            and e.stage == fee.stage
            and _enforced_together(e.placed_on, e.charged_on, fee.placed_on, fee.charged_on)
        ]
        in_file = [
            other
            for other in fees
            if other.debtor == fee.debtor
            and other.case != fee.case
            and other.stage == fee.stage
            and _enforced_together(other.placed_on, other.charged_on, fee.placed_on, fee.charged_on)
        ]
        findings = list(alone.findings)
        maximum = alone.scale_maximum_pence
        if (together or in_file) and fee.stage is not FeeStage.COMPLIANCE:
            # The percentage is on the sums under every power enforced together: those already charged and
            # those this file charges the same stage on, wherever they come in the file.
            sums = {e.case: e.sum_to_be_recovered_pence for e in together}
            sums.update((other.case, other.sum_to_be_recovered_pence) for other in in_file)
            sums[fee.case] = fee.sum_to_be_recovered_pence
            combined = scale.maximum_fee_together(fee.stage, sums.values())
            taken = sum(e.amount_pence for e in together)
            maximum = max(0, combined - taken)
            findings = [f for f in findings if f.flag is not FeeFlag.ABOVE_SCALE]
            if fee.amount_pence > maximum:
                findings.insert(
                    0,
                    FeeFinding(
                        FeeFlag.ABOVE_SCALE_FOR_POWERS_ENFORCED_TOGETHER,
                        f"{fee.stage.value} fee of {format_pounds(fee.amount_pence)} takes the fees for "
                        f"{len(sums)} enforcement powers against the same debtor enforced together above "
                        f"{format_pounds(combined)} (Taking Control of Goods (Fees) Regulations 2014 reg 11: "
                        f"the fixed fee once, the percentage on the combined sum of "
                        f"{format_pounds(sum(sums.values()))}); {format_pounds(taken)} already taken, so at most "
                        f"{format_pounds(maximum)} here",
                    ),
                )
        if fee.stage is FeeStage.ENFORCEMENT and fee.debtor_vulnerable:
            finding = _vulnerable_debtor_finding(fee, accepted, fees)
            if finding is not None:
                findings.append(finding)
        decision = FeeDecision(
            stage=fee.stage,
            reported_pence=fee.amount_pence,
            scale_maximum_pence=maximum,
            findings=tuple(findings),
        )
        if decision.accepted:
            accepted.append(
                EarlierFee(
                    fee.case,
                    fee.debtor,
                    fee.placed_on,
                    fee.stage,
                    fee.amount_pence,
                    fee.charged_on,
                    fee.sum_to_be_recovered_pence,
                )
            )
        decisions.append(decision)
    return decisions


def _vulnerable_debtor_finding(
    fee: FeeToCheck, accepted: Sequence[EarlierFee], fees: Sequence[FeeToCheck]
) -> FeeFinding | None:
    """Regulation 12: the reason an enforcement fee on a vulnerable debtor is not recoverable, if it is not."""
    if fee.advice_opportunity_given_on is None:
        return FeeFinding(
            FeeFlag.VULNERABLE_DEBTOR_NOT_GIVEN_OPPORTUNITY_FOR_ADVICE,
            "enforcement fee on a vulnerable debtor with no record that the agent gave them an adequate "
            "opportunity to get assistance and advice before removing goods (Taking Control of Goods (Fees) "
            "Regulations 2014 reg 12)",
        )
    # Removing goods begins the sale or disposal stage (reg 5(1)(c)): its fee's date is when removal began.
    removal_days = [
        e.charged_on for e in accepted if e.case == fee.case and e.stage is FeeStage.SALE_OR_DISPOSAL
    ]
    removal_days += [
        f.charged_on for f in fees if f.case == fee.case and f.stage is FeeStage.SALE_OR_DISPOSAL
    ]
    if removal_days and fee.advice_opportunity_given_on >= min(removal_days):
        return FeeFinding(
            FeeFlag.VULNERABLE_DEBTOR_NOT_GIVEN_OPPORTUNITY_FOR_ADVICE,
            f"enforcement fee on a vulnerable debtor who was given the opportunity to get advice only on "
            f"{fee.advice_opportunity_given_on.isoformat()}, once goods were being removed (from "
            f"{min(removal_days).isoformat()}); reg 12 requires it before removal",
        )
    return None
