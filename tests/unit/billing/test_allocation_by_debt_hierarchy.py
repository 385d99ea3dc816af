"""Where a customer's payment goes: directions, instalment matching, then Derby's debt hierarchy."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from services.billing.domain.allocation import (
    AllocationBasis,
    CustomerDirection,
    allocate_payment,
    hierarchy_order,
)
from services.billing.domain.billing_rules import ArrearsYearOrder, BillingRules
from services.billing.domain.debt_types import DebtType, HierarchyClass
from services.billing.domain.financial_year import FinancialYear

from .positions import debt

PAYMENT_DAY = date(2024, 9, 16)  # financial year 2024/25


def _worked_case_debts() -> list:
    # Listed in the reverse of the order the hierarchy should pay them, so sorting is what is tested.
    return [
        debt("pcn", DebtType.PENALTY_CHARGE_NOTICE, 2024, (date(2024, 7, 1), 7_000)),
        debt(
            "ct-2023",
            DebtType.COUNCIL_TAX,
            2023,
            (date(2023, 12, 1), 15_000),
            (date(2024, 1, 1), 15_000),
            (date(2024, 2, 1), 15_000),
        ),
        debt(
            "ct-2024",
            DebtType.COUNCIL_TAX,
            2024,
            (date(2024, 8, 1), 12_500),
            (date(2024, 9, 1), 12_500),
            (date(2024, 10, 1), 12_500),
        ),
        debt(
            "rent",
            DebtType.COUNCIL_HOUSING_RENT,
            2024,
            (date(2024, 6, 3), 30_000),
            (date(2024, 7, 1), 20_000),
        ),
    ]


def test_the_worked_case_pays_rent_then_this_years_council_tax_then_last_years_then_the_parking_charge() -> (
    None
):
    debts = _worked_case_debts()
    total_owed = sum(d.outstanding_pence for d in debts)  # £1,395.00
    payment = 100_000  # £1,000: less than the total

    result = allocate_payment(payment, debts, PAYMENT_DAY)

    assert payment < total_owed
    assert result.allocated_to("rent") == 50_000
    assert result.allocated_to("ct-2024") == 37_500
    assert result.allocated_to("ct-2023") == 100_000 - 50_000 - 37_500
    assert result.allocated_to("pcn") == 0
    assert result.unallocated_pence == 0
    order = []
    for allocation in result.allocations:
        if allocation.debt_id not in order:
            order.append(allocation.debt_id)
    assert order == ["rent", "ct-2024", "ct-2023"]
    assert {a.basis for a in result.allocations} == {AllocationBasis.DEBT_HIERARCHY}


def test_the_parking_charge_gets_only_what_is_left_after_the_priority_debts() -> None:
    debts = _worked_case_debts()
    priority = 50_000 + 37_500 + 45_000
    result = allocate_payment(priority + 2_000, debts, PAYMENT_DAY)

    assert result.allocated_to("rent") == 50_000
    assert result.allocated_to("ct-2024") == 37_500
    assert result.allocated_to("ct-2023") == 45_000
    assert result.allocated_to("pcn") == 2_000
    assert result.unallocated_pence == 0


def test_within_a_debt_the_oldest_instalment_is_paid_first() -> None:
    council_tax = debt(
        "ct",
        DebtType.COUNCIL_TAX,
        2024,
        (date(2024, 10, 1), 10_000),
        (date(2024, 8, 1), 10_000),
        (date(2024, 9, 1), 10_000),
    )
    result = allocate_payment(15_000, [council_tax], PAYMENT_DAY)

    by_instalment = {a.instalment_number: a.amount_pence for a in result.allocations}
    assert by_instalment == {2: 10_000, 3: 5_000}  # 1 Aug in full, then part of 1 Sep; nothing to 1 Oct


def test_a_payment_equal_to_the_next_instalment_pays_that_instalment_before_the_hierarchy() -> None:
    rent = debt("rent", DebtType.COUNCIL_HOUSING_RENT, 2024, (date(2024, 9, 2), 40_000))
    council_tax = debt(
        "ct", DebtType.COUNCIL_TAX, 2024, (date(2024, 9, 1), 13_300), (date(2024, 10, 1), 13_300)
    )

    result = allocate_payment(13_300, [rent, council_tax], PAYMENT_DAY)

    assert result.allocated_to("ct") == 13_300
    assert result.allocated_to("rent") == 0
    assert [a.basis for a in result.allocations] == [AllocationBasis.INSTALMENT_MATCH]


def test_the_customers_direction_comes_first_and_the_rest_follows_the_hierarchy() -> None:
    debts = _worked_case_debts()
    result = allocate_payment(10_000, debts, PAYMENT_DAY, directions=[CustomerDirection("pcn")])

    assert result.allocated_to("pcn") == 7_000
    assert result.allocated_to("rent") == 3_000
    assert [a.basis for a in result.allocations] == [
        AllocationBasis.CUSTOMER_DIRECTION,
        AllocationBasis.DEBT_HIERARCHY,
    ]


def test_a_direction_for_part_of_a_payment_caps_what_that_debt_receives() -> None:
    debts = _worked_case_debts()
    result = allocate_payment(10_000, debts, PAYMENT_DAY, directions=[CustomerDirection("ct-2023", 2_500)])

    assert result.allocated_to("ct-2023") == 2_500
    assert result.allocated_to("rent") == 7_500


def test_a_direction_to_a_debt_not_owed_does_not_hold_money_back() -> None:
    debts = _worked_case_debts()
    result = allocate_payment(5_000, debts, PAYMENT_DAY, directions=[CustomerDirection("no-such-debt")])

    assert result.allocated_to("rent") == 5_000
    assert result.unallocated_pence == 0


def test_money_beyond_everything_owed_is_left_unallocated_as_the_true_surplus() -> None:
    debts = _worked_case_debts()
    owed = sum(d.outstanding_pence for d in debts)
    result = allocate_payment(owed + 1_234, debts, PAYMENT_DAY)

    assert result.unallocated_pence == 1_234
    for d in debts:
        assert result.allocated_to(d.debt_id) == d.outstanding_pence


def test_older_council_tax_years_are_paid_oldest_first_after_the_current_year_unless_configured() -> None:
    debts = [
        debt("ct-2022", DebtType.COUNCIL_TAX, 2022, (date(2022, 5, 1), 1_000)),
        debt("ct-2023", DebtType.COUNCIL_TAX, 2023, (date(2023, 5, 1), 1_000)),
        debt("ct-2024", DebtType.COUNCIL_TAX, 2024, (date(2024, 5, 1), 1_000)),
    ]
    current = FinancialYear(2024)

    default = [d.debt_id for d in hierarchy_order(debts, current)]
    newest = [
        d.debt_id
        for d in hierarchy_order(
            debts, current, BillingRules(arrears_year_order=ArrearsYearOrder.NEWEST_FIRST)
        )
    ]

    assert default == ["ct-2024", "ct-2022", "ct-2023"]
    assert newest == ["ct-2024", "ct-2023", "ct-2022"]


def test_a_council_can_move_a_debt_type_up_the_hierarchy() -> None:
    debts = [
        debt("shop", DebtType.COMMERCIAL_PROPERTY_RENT, 2024, (date(2024, 6, 1), 5_000)),
        debt("pcn", DebtType.PENALTY_CHARGE_NOTICE, 2024, (date(2024, 6, 1), 5_000)),
    ]
    rules = BillingRules(
        hierarchy_overrides={DebtType.COMMERCIAL_PROPERTY_RENT: HierarchyClass.RENT_AND_TENANCY}
    )

    assert allocate_payment(5_001, debts, PAYMENT_DAY).allocated_to("pcn") == 5_000
    assert allocate_payment(5_001, debts, PAYMENT_DAY, rules=rules).allocated_to("shop") == 5_000


_amounts = st.integers(min_value=1, max_value=50_000)
_debt_types = st.sampled_from(list(DebtType))


@st.composite
def _customer_debts(draw: st.DrawFn) -> list:
    count = draw(st.integers(min_value=0, max_value=6))
    debts = []
    for n in range(count):
        year = draw(st.integers(min_value=2020, max_value=2024))
        instalments = draw(st.lists(_amounts, min_size=1, max_size=4))
        debts.append(
            debt(
                f"d{n}",
                draw(_debt_types),
                year,
                *[(date(year, 4 + i, 1), amount) for i, amount in enumerate(instalments)],
            )
        )
    return debts


@given(_customer_debts(), st.integers(min_value=0, max_value=400_000))
def test_allocation_never_loses_money_nor_pays_more_than_is_owed(debts: list, payment: int) -> None:
    result = allocate_payment(payment, debts, PAYMENT_DAY)

    assert result.allocated_pence + result.unallocated_pence == payment
    assert all(a.amount_pence > 0 for a in result.allocations)
    owed = {(d.debt_id, i.number): i.outstanding_pence for d in debts for i in d.instalments}
    paid: dict = {}
    for a in result.allocations:
        paid[(a.debt_id, a.instalment_number)] = (
            paid.get((a.debt_id, a.instalment_number), 0) + a.amount_pence
        )
    assert all(paid[key] <= owed[key] for key in paid)
    total_owed = sum(owed.values())
    assert result.unallocated_pence == max(0, payment - total_owed)


@given(_customer_debts(), st.integers(min_value=1, max_value=400_000))
def test_no_lower_priority_debt_is_paid_while_a_higher_one_is_left_unpaid(debts: list, payment: int) -> None:
    result = allocate_payment(payment, debts, PAYMENT_DAY)
    if any(a.basis is AllocationBasis.INSTALMENT_MATCH for a in result.allocations):
        return  # an exact instalment match is allowed to jump the hierarchy
    ordered = hierarchy_order(debts, FinancialYear(2024))
    shortfalls = [d.outstanding_pence - result.allocated_to(d.debt_id) for d in ordered]
    received = [result.allocated_to(d.debt_id) for d in ordered]
    for position, got in enumerate(received):
        if got > 0:
            assert all(short == 0 for short in shortfalls[:position])
