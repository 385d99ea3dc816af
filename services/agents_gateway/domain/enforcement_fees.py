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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

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
