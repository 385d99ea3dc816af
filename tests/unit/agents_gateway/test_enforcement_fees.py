"""The Taking Control of Goods (Fees) Regulations 2014 scale and the reported-fee checker."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.agents_gateway.domain.enforcement_fees import (
    TAKING_CONTROL_OF_GOODS_FEES_2014,
    BreathingSpacePeriod,
    FeeFlag,
    check_reported_fee,
)
from services.agents_gateway.domain.records import FeeStage

SCALE = TAKING_CONTROL_OF_GOODS_FEES_2014


@pytest.mark.parametrize(
    ("stage", "sum_to_be_recovered", "maximum"),
    [
        (FeeStage.COMPLIANCE, 1_500_00, 75_00),
        (FeeStage.COMPLIANCE, 100_000_00, 75_00),
        (FeeStage.ENFORCEMENT, 1_499_99, 235_00),
        (FeeStage.ENFORCEMENT, 1_500_00, 235_00),
        # 7.5% of 1p is 0.075p, which rounds to nothing.
        (FeeStage.ENFORCEMENT, 1_500_01, 235_00),
        # 7.5% of 7p is 0.525p: the first penny of percentage fee.
        (FeeStage.ENFORCEMENT, 1_500_07, 235_01),
        (FeeStage.ENFORCEMENT, 2_500_00, 235_00 + 75_00),
        (FeeStage.SALE_OR_DISPOSAL, 1_500_00, 110_00),
        (FeeStage.SALE_OR_DISPOSAL, 1_500_01, 110_00),
        (FeeStage.SALE_OR_DISPOSAL, 11_500_00, 110_00 + 750_00),
    ],
)
def test_the_scale_maximum_at_the_stage_boundaries(
    stage: FeeStage, sum_to_be_recovered: int, maximum: int
) -> None:
    assert SCALE.maximum_fee(stage, sum_to_be_recovered) == maximum


def test_a_compliance_fee_of_exactly_75_pounds_is_accepted() -> None:
    decision = check_reported_fee(FeeStage.COMPLIANCE, 75_00, date(2024, 5, 1), 300_00)
    assert decision.accepted
    assert decision.scale_maximum_pence == 75_00


def test_a_compliance_fee_one_penny_over_75_pounds_is_flagged_above_scale() -> None:
    decision = check_reported_fee(FeeStage.COMPLIANCE, 75_01, date(2024, 5, 1), 300_00)
    assert not decision.accepted
    assert [finding.flag for finding in decision.findings] == [FeeFlag.ABOVE_SCALE]


def test_an_enforcement_fee_at_exactly_1500_pounds_may_not_carry_a_percentage() -> None:
    assert check_reported_fee(FeeStage.ENFORCEMENT, 235_00, date(2024, 5, 1), 1_500_00).accepted
    assert not check_reported_fee(FeeStage.ENFORCEMENT, 235_01, date(2024, 5, 1), 1_500_00).accepted


def test_an_enforcement_fee_on_2000_pounds_may_add_7_5_percent_of_the_500_pound_excess() -> None:
    # £235 + 7.5% of £500 = £272.50
    assert check_reported_fee(FeeStage.ENFORCEMENT, 272_50, date(2024, 5, 1), 2_000_00).accepted
    assert not check_reported_fee(FeeStage.ENFORCEMENT, 272_51, date(2024, 5, 1), 2_000_00).accepted


def test_a_fee_charged_inside_a_breathing_space_is_flagged_even_when_within_scale() -> None:
    space = BreathingSpacePeriod(date(2024, 5, 1), date(2024, 6, 29))
    for day in (date(2024, 5, 1), date(2024, 6, 1), date(2024, 6, 29)):
        decision = check_reported_fee(FeeStage.COMPLIANCE, 75_00, day, 300_00, breathing_spaces=[space])
        assert [finding.flag for finding in decision.findings] == [FeeFlag.CHARGED_IN_BREATHING_SPACE]


def test_a_fee_charged_the_day_after_a_breathing_space_ends_is_accepted() -> None:
    space = BreathingSpacePeriod(date(2024, 5, 1), date(2024, 6, 29))
    assert check_reported_fee(FeeStage.COMPLIANCE, 75_00, date(2024, 6, 30), 300_00, [space]).accepted
    assert check_reported_fee(FeeStage.COMPLIANCE, 75_00, date(2024, 4, 30), 300_00, [space]).accepted


def test_a_fee_during_a_breathing_space_still_running_is_flagged() -> None:
    space = BreathingSpacePeriod(date(2024, 5, 1))
    decision = check_reported_fee(FeeStage.ENFORCEMENT, 235_00, date(2025, 1, 1), 300_00, [space])
    assert FeeFlag.CHARGED_IN_BREATHING_SPACE in {finding.flag for finding in decision.findings}


def test_a_fee_above_scale_in_a_breathing_space_reports_both_reasons() -> None:
    space = BreathingSpacePeriod(date(2024, 5, 1), date(2024, 6, 29))
    decision = check_reported_fee(FeeStage.SALE_OR_DISPOSAL, 500_00, date(2024, 5, 2), 1_000_00, [space])
    assert {finding.flag for finding in decision.findings} == {
        FeeFlag.ABOVE_SCALE,
        FeeFlag.CHARGED_IN_BREATHING_SPACE,
    }


def test_a_stage_fee_is_due_once_per_case() -> None:
    decision = check_reported_fee(
        FeeStage.COMPLIANCE, 75_00, date(2024, 5, 1), 300_00, stages_already_charged=[FeeStage.COMPLIANCE]
    )
    assert [finding.flag for finding in decision.findings] == [FeeFlag.STAGE_ALREADY_CHARGED]


@given(
    stage=st.sampled_from(list(FeeStage)),
    sum_to_be_recovered=st.integers(min_value=1, max_value=10_000_000_00),
)
def test_the_scale_maximum_is_always_accepted_and_one_penny_more_never(
    stage: FeeStage, sum_to_be_recovered: int
) -> None:
    maximum = SCALE.maximum_fee(stage, sum_to_be_recovered)
    assert check_reported_fee(stage, maximum, date(2024, 5, 1), sum_to_be_recovered).accepted
    assert not check_reported_fee(stage, maximum + 1, date(2024, 5, 1), sum_to_be_recovered).accepted


@given(
    low=st.integers(min_value=0, max_value=10_000_000_00),
    extra=st.integers(min_value=0, max_value=1_000_000_00),
)
def test_the_scale_never_falls_as_the_debt_grows(low: int, extra: int) -> None:
    for stage in FeeStage:
        assert SCALE.maximum_fee(stage, low + extra) >= SCALE.maximum_fee(stage, low)
