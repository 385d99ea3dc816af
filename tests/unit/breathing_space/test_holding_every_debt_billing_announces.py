"""Breathing space's handlers on in-memory stores (no broker, no database): a debt billing announces after the
notification is held under the moratorium, a debt found beyond those notified is reported back, a debt raised
after the search is an ongoing liability, the daily run ends the hold after its last protected day, and a
service's confirmation is kept once."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from services.breathing_space.confirmations import billing_confirmed
from services.breathing_space.customers_and_debts import customers_registered, debts_raised
from services.breathing_space.expiry import daily_run
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from shared.contracts.billing import BillingConfirmedHold, CustomerRegistered, DebtRaised
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
    DebtsReportedBack,
)
from shared.contracts.council_systems import LiableParty, PostalAddress
from shared.contracts.envelope import Contract, Envelope
from shared.contracts.recovery import DailyRunRequested
from tests.unit.breathing_space.in_memory_stores import InMemoryBreathingSpace
from tests.unit.breathing_space.notification_documents import MORATORIUM, standard_start

STARTS_ON = date(2025, 3, 5)
NOTIFIED_ON = date(2025, 3, 10)
LAST_PROTECTED_DAY = date(2025, 5, 4)  # start + 60 days


def delivered(message: Contract, producer: str = "billing") -> tuple[Any, Envelope]:
    return message, Envelope.wrap(message, producer=producer)


def joanne(customer_id: UUID) -> CustomerRegistered:
    """The person notified (`notification_documents.DEBTOR`), as billing knows her."""
    return CustomerRegistered(
        customer_id=customer_id,
        identity=LiableParty(
            kind="person",
            first_names="Joanne Mary",
            surname="Fletcher",
            date_of_birth=date(1984, 7, 19),
            address=PostalAddress(lines=["14 Abbey Street", "Derby"], postcode="DE22 3SJ"),
            references={"council_tax_account": "CT-40012345"},
        ),
    )


def raised(
    customer_id: UUID, reference: str, debt_type: str, raised_on: date, pence: int = 10_000
) -> DebtRaised:
    return DebtRaised(
        debt_id=uuid4(),
        customer_ids=[customer_id],
        debt_type=debt_type,
        amount_pence=pence,
        financial_year="2024-25",
        due_date=raised_on,
        raised_on=raised_on,
        originating_service="revenues",
        income_code="X1",
        external_reference=reference,
        evidence_reference="E1",
    )


async def a_notified_moratorium_for_a_known_customer() -> tuple[InMemoryBreathingSpace, UUID]:
    council = InMemoryBreathingSpace(today=NOTIFIED_ON)
    customer = uuid4()
    await customers_registered([delivered(joanne(customer))], council.handling())
    await council.notified(standard_start(STARTS_ON, issued_on=NOTIFIED_ON))
    await bring_moratorium_up_to_date(council.handling(), MORATORIUM, NOTIFIED_ON)
    return council, customer


async def test_the_notified_debt_and_every_other_debt_owed_are_held_when_billing_announces_them() -> None:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    assert council.published.messages == []  # matched, but billing has not told us of any debt yet
    council_tax = raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1), 84217)
    business_rates = raised(customer, "NNDR-778", "business_rates", date(2024, 6, 1))

    await debts_raised([delivered(council_tax), delivered(business_rates)], council.handling())

    [started] = council.published.of_type(BreathingSpaceHoldStarted)
    assert isinstance(started, BreathingSpaceHoldStarted)
    assert started.starts_on == STARTS_ON and started.expected_end_on == LAST_PROTECTED_DAY
    assert started.customer_ids == [customer] and started.hold_version == 1
    assert set(started.debt_ids) == {council_tax.debt_id, business_rates.debt_id}
    [reported] = council.published.of_type(DebtsReportedBack)
    assert isinstance(reported, DebtsReportedBack) and reported.debt_ids == [business_rates.debt_id]
    sources = {d: h.source for d, h in council.holds.held[MORATORIUM].items()}
    assert sources == {council_tax.debt_id: "notified", business_rates.debt_id: "found_by_search"}


async def test_a_debt_raised_after_the_search_is_an_ongoing_liability_and_not_held() -> None:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    await debts_raised(
        [delivered(raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)))], council.handling()
    )
    council.today = date(2025, 3, 20)

    await debts_raised(
        [delivered(raised(customer, "HB-OP-9", "housing_benefit_overpayment", date(2025, 3, 15)))],
        council.handling(),
    )

    assert council.published.of_type(BreathingSpaceDebtsAdded) == []
    assert len(council.holds.held[MORATORIUM]) == 1


async def test_the_daily_run_ends_the_hold_only_after_the_last_protected_day() -> None:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    council_tax = raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1))
    await debts_raised([delivered(council_tax)], council.handling())

    on_the_last_day = DailyRunRequested(business_date=LAST_PROTECTED_DAY)
    await daily_run(on_the_last_day, council.handling())
    assert council.published.of_type(BreathingSpaceHoldEnded) == []

    await daily_run(DailyRunRequested(business_date=date(2025, 5, 5)), council.handling())
    [ended] = council.published.of_type(BreathingSpaceHoldEnded)
    assert isinstance(ended, BreathingSpaceHoldEnded)
    assert ended.how == "expired" and ended.last_protected_day == LAST_PROTECTED_DAY
    assert ended.debt_ids == [council_tax.debt_id] and ended.hold_version == 2
    await daily_run(DailyRunRequested(business_date=date(2025, 5, 6)), council.handling())
    assert len(council.published.of_type(BreathingSpaceHoldEnded)) == 1  # ended once


async def test_a_repeated_confirmation_keeps_the_first() -> None:
    council = InMemoryBreathingSpace(today=NOTIFIED_ON)
    first, second = uuid4(), uuid4()
    for debts in ([first], [second]):
        confirmation = BillingConfirmedHold(
            moratorium_reference=MORATORIUM, hold_version=1, confirmed_debt_ids=debts
        )
        await billing_confirmed(confirmation, council.handling())
    assert council.holds.confirmations == {(MORATORIUM, 1, "billing"): [first]}
