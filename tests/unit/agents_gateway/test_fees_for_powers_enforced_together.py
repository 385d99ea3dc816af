"""Taking Control of Goods (Fees) Regulations 2014 reg 11 (several powers against one debtor enforced together)
and reg 12 (no enforcement fee from a vulnerable debtor not given an adequate opportunity to get advice)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from services.agents_gateway.domain.enforcement_fees import (
    TAKING_CONTROL_OF_GOODS_FEES_2014,
    EarlierFee,
    FeeDecision,
    FeeFlag,
    FeeToCheck,
    check_reported_fees,
)
from services.agents_gateway.domain.records import FeeStage

SCALE = TAKING_CONTROL_OF_GOODS_FEES_2014
PLACED = date(2024, 4, 1)
VISIT = date(2024, 5, 1)
DEBTOR = frozenset({UUID(int=1)})


def fee(
    stage: FeeStage,
    amount: int,
    *,
    case: UUID | None = None,
    owed: int = 1_400_00,
    debtor: frozenset[UUID] = DEBTOR,
    placed_on: date = PLACED,
    charged_on: date = VISIT,
    vulnerable: bool = False,
    advice_on: date | None = None,
) -> FeeToCheck:
    return FeeToCheck(
        case=case or uuid4(),
        debtor=debtor,
        placed_on=placed_on,
        stage=stage,
        amount_pence=amount,
        charged_on=charged_on,
        sum_to_be_recovered_pence=owed,
        debtor_vulnerable=vulnerable,
        advice_opportunity_given_on=advice_on,
    )


def flags(decision: FeeDecision) -> list[FeeFlag]:
    return [finding.flag for finding in decision.findings]


def test_two_1400_pound_orders_enforced_together_allow_332_50_not_470_in_enforcement_fees() -> None:
    assert SCALE.maximum_fee_together(FeeStage.ENFORCEMENT, [1_400_00, 1_400_00]) == 332_50
    first, second = check_reported_fees(
        [fee(FeeStage.ENFORCEMENT, 235_00), fee(FeeStage.ENFORCEMENT, 235_00)]
    )
    assert first.accepted
    assert flags(second) == [FeeFlag.ABOVE_SCALE_FOR_POWERS_ENFORCED_TOGETHER]
    assert second.scale_maximum_pence == 97_50
    assert "reg 11" in second.findings[0].reason and "£332.50" in second.findings[0].reason


def test_the_combined_enforcement_fee_may_be_split_between_the_orders() -> None:
    decisions = check_reported_fees([fee(FeeStage.ENFORCEMENT, 235_00), fee(FeeStage.ENFORCEMENT, 97_50)])
    assert all(decision.accepted for decision in decisions)


def test_the_combined_fee_may_sit_on_one_order_above_that_orders_own_scale() -> None:
    other = uuid4()
    earlier = [EarlierFee(other, DEBTOR, PLACED, FeeStage.ENFORCEMENT, 1, VISIT, 1_400_00)]
    (decision,) = check_reported_fees([fee(FeeStage.ENFORCEMENT, 332_49)], earlier)
    assert decision.accepted


def test_the_whole_combined_fee_may_be_charged_on_the_first_order_in_the_file() -> None:
    decisions = check_reported_fees([fee(FeeStage.ENFORCEMENT, 332_50), fee(FeeStage.ENFORCEMENT, 1)])
    assert [decision.accepted for decision in decisions] == [True, False]


def test_a_compliance_fee_is_due_for_each_order_even_when_enforced_together() -> None:
    # reg 11(3): the compliance stage fee is recoverable in respect of each enforcement power.
    decisions = check_reported_fees([fee(FeeStage.COMPLIANCE, 75_00), fee(FeeStage.COMPLIANCE, 75_00)])
    assert all(decision.accepted for decision in decisions)
    assert SCALE.maximum_fee_together(FeeStage.COMPLIANCE, [1_400_00, 1_400_00]) == 150_00


def test_the_sale_fee_is_also_once_with_the_percentage_on_the_combined_sum() -> None:
    # £110 + 7.5% of (£1,400 + £1,400 + £1,400 - £1,500) = £110 + £202.50 = £312.50
    assert SCALE.maximum_fee_together(FeeStage.SALE_OR_DISPOSAL, [1_400_00] * 3) == 312_50
    decisions = check_reported_fees(
        [fee(FeeStage.SALE_OR_DISPOSAL, amount) for amount in (110_00, 110_00, 92_50)]
    )
    assert [d.accepted for d in decisions] == [True, True, True]
    (fourth,) = check_reported_fees(
        [fee(FeeStage.SALE_OR_DISPOSAL, 1)],
        [EarlierFee(uuid4(), DEBTOR, PLACED, FeeStage.SALE_OR_DISPOSAL, 312_50, VISIT, 1_400_00)],
    )
    assert fourth.accepted is False  # nothing is left of the combined fee


def test_an_enforcement_fee_accepted_in_an_earlier_file_counts_against_the_combined_fee() -> None:
    earlier = [EarlierFee(uuid4(), DEBTOR, PLACED, FeeStage.ENFORCEMENT, 235_00, VISIT, 1_400_00)]
    (decision,) = check_reported_fees([fee(FeeStage.ENFORCEMENT, 235_00)], earlier)
    assert flags(decision) == [FeeFlag.ABOVE_SCALE_FOR_POWERS_ENFORCED_TOGETHER]


def test_orders_against_different_debtors_each_carry_their_own_fee() -> None:
    decisions = check_reported_fees(
        [
            fee(FeeStage.ENFORCEMENT, 235_00),
            fee(FeeStage.ENFORCEMENT, 235_00, debtor=frozenset({UUID(int=2)})),
        ]
    )
    assert all(decision.accepted for decision in decisions)


def test_an_order_placed_after_the_first_enforcement_visit_is_not_enforced_together_with_it() -> None:
    # It could not reasonably be exercised at the same time (reg 11(1)(b)): the agent did not hold it yet.
    earlier = [EarlierFee(uuid4(), DEBTOR, PLACED, FeeStage.ENFORCEMENT, 235_00, VISIT, 1_400_00)]
    later = fee(FeeStage.ENFORCEMENT, 235_00, placed_on=date(2024, 6, 1), charged_on=date(2024, 7, 1))
    (decision,) = check_reported_fees([later], earlier)
    assert decision.accepted


def test_an_enforcement_fee_on_a_vulnerable_debtor_without_the_opportunity_for_advice_is_refused() -> None:
    (decision,) = check_reported_fees([fee(FeeStage.ENFORCEMENT, 235_00, vulnerable=True)])
    assert flags(decision) == [FeeFlag.VULNERABLE_DEBTOR_NOT_GIVEN_OPPORTUNITY_FOR_ADVICE]
    assert "reg 12" in decision.findings[0].reason


def test_an_enforcement_fee_on_a_vulnerable_debtor_given_the_opportunity_for_advice_is_accepted() -> None:
    (decision,) = check_reported_fees(
        [fee(FeeStage.ENFORCEMENT, 235_00, vulnerable=True, advice_on=date(2024, 4, 20))]
    )
    assert decision.accepted


def test_the_opportunity_for_advice_given_only_once_goods_were_being_removed_is_too_late() -> None:
    case = uuid4()
    decisions = check_reported_fees(
        [
            fee(FeeStage.SALE_OR_DISPOSAL, 110_00, case=case, charged_on=date(2024, 5, 10)),
            fee(FeeStage.ENFORCEMENT, 235_00, case=case, vulnerable=True, advice_on=date(2024, 5, 12)),
        ]
    )
    assert flags(decisions[1]) == [FeeFlag.VULNERABLE_DEBTOR_NOT_GIVEN_OPPORTUNITY_FOR_ADVICE]


def test_regulation_12_touches_only_the_enforcement_stage() -> None:
    decisions = check_reported_fees(
        [
            fee(FeeStage.COMPLIANCE, 75_00, vulnerable=True),
            fee(FeeStage.SALE_OR_DISPOSAL, 110_00, vulnerable=True),
        ]
    )
    assert all(decision.accepted for decision in decisions)
