"""Every way a debt comes to belong to the person in breathing space brings it into their open moratorium, held
at once and reported back, whatever order billing's events arrive in: a new debt raised, and a billing officer
confirming that a provisional customer is the person (billing merges the records and moves the debts), and billing
transferring a debt to the person."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from services.breathing_space.customers_and_debts import (
    customer_match_resolved,
    debt_transferred,
    debts_raised,
)
from services.breathing_space.domain.customer_merges import (
    liable_after_merges,
    merged,
    searched_customers,
)
from shared.contracts.billing import CustomerMatchResolved, DebtRaised, DebtTransferred
from shared.contracts.breathing_space import BreathingSpaceDebtsAdded, DebtsReportedBack
from tests.unit.breathing_space.notification_documents import MORATORIUM
from tests.unit.breathing_space.test_holding_every_debt_billing_announces import (
    a_notified_moratorium_for_a_known_customer,
    delivered,
    raised,
)

PERSON, PROVISIONAL, PARTNER = uuid4(), uuid4(), uuid4()


def test_a_merged_record_stands_for_the_customer_it_was_merged_into_through_every_merge() -> None:
    older = uuid4()
    merges = {PROVISIONAL: PERSON, older: PROVISIONAL}
    assert merged(older, merges) == PERSON and merged(PARTNER, merges) == PARTNER


def test_a_merge_loop_never_hangs() -> None:
    assert merged(PERSON, {PERSON: PROVISIONAL, PROVISIONAL: PERSON}) in {PERSON, PROVISIONAL}


def test_a_debt_of_both_records_of_one_person_is_that_persons_not_a_joint_debt() -> None:
    assert liable_after_merges([PROVISIONAL, PERSON], {PROVISIONAL: PERSON}) == (PERSON,)
    assert liable_after_merges([PROVISIONAL, PARTNER], {PROVISIONAL: PERSON}) == (PERSON, PARTNER)


def test_a_moratorium_matched_to_a_merged_record_searches_the_record_it_was_merged_into() -> None:
    assert searched_customers([PROVISIONAL], {PROVISIONAL: PERSON}) == (PROVISIONAL, PERSON)


def confirmed(provisional: UUID, into: UUID, moved: list[UUID]) -> CustomerMatchResolved:
    return CustomerMatchResolved(
        review_id=uuid4(),
        customer_id=provisional,
        outcome="confirmed",
        confirmed_customer_id=into,
        moved_debt_ids=moved,
        decided_by="officer-7",
    )


async def test_a_debt_billing_moves_to_the_person_on_a_confirmed_match_is_held_and_reported_back() -> None:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    await debts_raised(
        [delivered(raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)))], council.handling()
    )
    provisional = uuid4()  # billing raised the invoice against a new record (a slightly different address)
    invoice = raised(provisional, "INV-2024-118803", "sundry", date(2024, 11, 1))
    await debts_raised([delivered(invoice)], council.handling())
    assert council.published.of_type(BreathingSpaceDebtsAdded) == []  # not hers, as far as anyone knows

    message = confirmed(provisional, customer, [invoice.debt_id])
    await customer_match_resolved(message, council.handling())

    [added] = council.published.of_type(BreathingSpaceDebtsAdded)
    assert isinstance(added, BreathingSpaceDebtsAdded) and added.debt_ids == [invoice.debt_id]
    [reported] = council.published.of_type(DebtsReportedBack)
    assert isinstance(reported, DebtsReportedBack) and reported.debt_ids == [invoice.debt_id]


async def test_a_confirmed_match_that_arrives_before_the_debt_it_moves_still_brings_the_debt_in() -> None:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    await debts_raised(
        [delivered(raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)))], council.handling()
    )
    provisional = uuid4()
    invoice = raised(provisional, "INV-2024-118804", "sundry", date(2024, 11, 1))
    message = confirmed(provisional, customer, [invoice.debt_id])
    await customer_match_resolved(message, council.handling())

    await debts_raised([delivered(invoice)], council.handling())  # billing's debt event overtaken

    [added] = council.published.of_type(BreathingSpaceDebtsAdded)
    assert isinstance(added, BreathingSpaceDebtsAdded) and added.debt_ids == [invoice.debt_id]


async def test_a_rejected_match_brings_nothing_in() -> None:
    council, _customer = await a_notified_moratorium_for_a_known_customer()
    provisional = uuid4()
    invoice = raised(provisional, "INV-2024-118805", "sundry", date(2024, 11, 1))
    await debts_raised([delivered(invoice)], council.handling())
    message = CustomerMatchResolved(
        review_id=uuid4(), customer_id=provisional, outcome="rejected", decided_by="officer-7"
    )
    await customer_match_resolved(message, council.handling())
    assert invoice.debt_id not in council.holds.held.get(MORATORIUM, {})


def transferred(debt: DebtRaised, to: UUID) -> DebtTransferred:
    return DebtTransferred(
        debt_id=debt.debt_id,
        debt_type=debt.debt_type,
        from_customer_ids=debt.customer_ids,
        to_customer_ids=[to],
        balance_pence=debt.amount_pence,
        reason="billed to the wrong person",
        transferred_by="A. Officer (revenues.officer)",
        transferred_on=date(2025, 3, 11),
    )


async def test_a_debt_billing_transfers_to_the_person_is_held_and_reported_back() -> None:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    await debts_raised(
        [delivered(raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)))], council.handling()
    )
    invoice = raised(PARTNER, "INV-2024-118806", "sundry", date(2024, 11, 1))
    await debts_raised([delivered(invoice)], council.handling())

    await debt_transferred(transferred(invoice, customer), council.handling())

    [added] = council.published.of_type(BreathingSpaceDebtsAdded)
    assert isinstance(added, BreathingSpaceDebtsAdded) and added.debt_ids == [invoice.debt_id]
    [reported] = council.published.of_type(DebtsReportedBack)
    assert isinstance(reported, DebtsReportedBack) and reported.debt_ids == [invoice.debt_id]


async def test_a_transfer_that_arrives_before_the_debt_is_raised_still_brings_the_debt_in() -> None:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    await debts_raised(
        [delivered(raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)))], council.handling()
    )
    invoice = raised(PARTNER, "INV-2024-118807", "sundry", date(2024, 11, 1))
    await debt_transferred(transferred(invoice, customer), council.handling())
    assert council.published.of_type(BreathingSpaceDebtsAdded) == []  # no reference yet to hold it by

    await debts_raised([delivered(invoice)], council.handling())  # raised against the partner, since moved

    [added] = council.published.of_type(BreathingSpaceDebtsAdded)
    assert isinstance(added, BreathingSpaceDebtsAdded) and added.debt_ids == [invoice.debt_id]
    assert council.debts.debts[invoice.debt_id].customer_ids == (customer,)
