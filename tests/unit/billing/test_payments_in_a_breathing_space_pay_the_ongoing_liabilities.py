"""What a person pays during a breathing space pays the ongoing liabilities, not the frozen arrears.

The Debt Respite Scheme (Breathing Space Moratorium and Mental Health Crisis Moratorium) (England and Wales)
Regulations 2020 protect the moratorium debt, the sums owed at the application (reg 6), freezing interest, fees
and charges and enforcement on it (reg 7). The sums falling due after the start are ongoing liabilities: the
creditor guidance says the person must keep paying them during the moratorium, and a creditor may accept a
voluntary payment of a moratorium debt but must never ask for one. So within one debt in a breathing space with
ongoing liabilities, money goes first to the unpaid instalments falling due after the protected date, oldest
first, and to the moratorium debt only when the payment is more than those; Derby 10.5's instalment match is
against the next unpaid ongoing instalment; and the customer's own direction still wins.
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.billing.domain.allocation import (
    AllocationBasis,
    BreathingSpaceShare,
    CustomerDirection,
    allocate_payment,
)
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.breathing_space_scope import ongoing_after_on
from services.billing.domain.debt_position import DebtPosition
from services.billing.domain.debt_types import DebtType
from services.billing.payments import payments_received
from shared.contracts.billing import PaymentAllocated
from shared.contracts.council_systems import PaymentReceived
from shared.contracts.envelope import Envelope
from tests.unit.billing.in_memory_stores import InMemoryBillingStores, a_debt, handling_for

from .positions import debt

APRIL, MAY, JUNE, JULY = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)
START = date(2026, 4, 22)  # the moratorium's start: April's instalment is the moratorium debt
PAID_ON = date(2026, 6, 4)
INSTALMENT = 150_00
SPACE = BreathingSpaceHold(START, ongoing_after=START)


def council_tax(ongoing_after: date | None = START, debt_id: str = "ct") -> DebtPosition:
    """April unpaid (owed at the application), May and June unpaid, July not yet due."""
    position = debt(
        debt_id,
        DebtType.COUNCIL_TAX,
        2026,
        (APRIL, INSTALMENT),
        (MAY, INSTALMENT),
        (JUNE, INSTALMENT),
        (JULY, INSTALMENT),
    )
    return DebtPosition(
        position.debt_id, position.debt_type, position.financial_year, position.instalments, ongoing_after
    )


def paid_lines(result) -> list[tuple[int, int]]:
    return [(a.instalment_number, a.amount_pence) for a in result.allocations]


def test_a_payment_in_a_breathing_space_pays_the_ongoing_instalments_oldest_first_not_the_frozen_arrears():
    """reg 6 and the creditor guidance on ongoing liabilities: May and June, not April."""
    result = allocate_payment(2 * INSTALMENT, [council_tax()], PAID_ON, [CustomerDirection("ct")])

    assert paid_lines(result) == [(2, INSTALMENT), (3, INSTALMENT)]
    assert {a.breathing_space for a in result.allocations} == {BreathingSpaceShare.ONGOING_LIABILITY}
    assert {a.basis for a in result.allocations} == {AllocationBasis.CUSTOMER_DIRECTION}


def test_only_money_beyond_every_ongoing_instalment_reaches_the_moratorium_debt_as_a_voluntary_payment():
    """A creditor may accept a voluntary payment of the moratorium debt (never ask for it): only what is more than
    the ongoing liabilities (here May to July) reaches April, recorded as paying the moratorium debt."""
    result = allocate_payment(3 * INSTALMENT + 40_00, [council_tax()], PAID_ON)

    assert paid_lines(result) == [(2, INSTALMENT), (3, INSTALMENT), (4, INSTALMENT), (1, 40_00)]
    assert [a.breathing_space for a in result.allocations] == [BreathingSpaceShare.ONGOING_LIABILITY] * 3 + [
        BreathingSpaceShare.MORATORIUM_DEBT
    ]


def test_an_instalment_sized_payment_in_a_breathing_space_matches_the_next_unpaid_ongoing_instalment():
    """Derby 10.5 (matched to instalment values first), against what the person must keep paying: May's
    instalment, not April's frozen arrears of the same value."""
    result = allocate_payment(INSTALMENT, [council_tax()], PAID_ON)

    [allocation] = result.allocations
    assert (allocation.instalment_number, allocation.basis) == (2, AllocationBasis.INSTALMENT_MATCH)
    assert allocation.breathing_space is BreathingSpaceShare.ONGOING_LIABILITY


def test_the_customers_own_direction_to_the_frozen_instalment_still_wins():
    """The customer may choose to pay the moratorium debt; their direction to April's instalment decides."""
    result = allocate_payment(
        INSTALMENT, [council_tax()], PAID_ON, [CustomerDirection("ct", instalment_number=1)]
    )

    [allocation] = result.allocations
    assert (allocation.instalment_number, allocation.basis) == (1, AllocationBasis.CUSTOMER_DIRECTION)
    assert allocation.breathing_space is BreathingSpaceShare.MORATORIUM_DEBT


def test_without_a_breathing_space_money_still_pays_the_oldest_instalment_first_and_records_no_share():
    result = allocate_payment(2 * INSTALMENT, [council_tax(ongoing_after=None)], PAID_ON)

    assert paid_lines(result) == [(1, INSTALMENT), (2, INSTALMENT)]
    assert {a.breathing_space for a in result.allocations} == {None}


def test_the_protected_date_for_a_payment_is_the_breathing_space_in_force_on_the_payment_date():
    """Only a hold covering the payment date counts; one holding the whole debt leaves nothing ongoing (the whole
    debt is the moratorium debt); under two holds a sum is protected if either protects it."""
    ended = BreathingSpaceHold(START, date(2026, 6, 21), ongoing_after=START)
    assert ongoing_after_on(PAID_ON, [ended]) == START
    assert ongoing_after_on(date(2026, 6, 22), [ended]) is None
    assert ongoing_after_on(date(2026, 4, 21), [ended]) is None
    assert ongoing_after_on(PAID_ON, [SPACE, BreathingSpaceHold(START)]) is None
    later = BreathingSpaceHold(date(2026, 5, 10), ongoing_after=date(2026, 5, 10))
    assert ongoing_after_on(PAID_ON, [SPACE, later]) == date(2026, 5, 10)


async def test_the_payments_handler_takes_the_protected_date_from_the_hold_kept_for_the_debt():
    """The handler loads the hold's scope for the payment date: a card payment to the account in the space pays
    May and June, April stays owed."""
    stores = InMemoryBillingStores()
    customer_id, debt_id = uuid4(), uuid4()
    stores.debts.debts.append(
        a_debt(debt_id, customer_id, [(APRIL, INSTALMENT), (MAY, INSTALMENT), (JUNE, INSTALMENT)])
    )
    stores.holds.held[debt_id] = [SPACE]
    handling, published = handling_for(stores)
    message = PaymentReceived(
        channel="card",
        channel_reference="CARD-1",
        amount_pence=2 * INSTALMENT,
        received_on=PAID_ON,
        customer_id=customer_id,
        directed_to=[debt_id],
    )

    await payments_received([(message, Envelope.wrap(message, producer="payments"))], handling)

    [allocated] = published.of_type(PaymentAllocated)
    assert [(a.instalment_number, a.amount_pence) for a in allocated.allocations] == [
        (2, INSTALMENT),
        (3, INSTALMENT),
    ]
    [batch] = stores.payments.batches
    assert {a.allocation.breathing_space for a in batch.allocations} == {"ongoing_liability"}
