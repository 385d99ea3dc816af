"""A referral is placed with an agent who may lawfully take it, sharing work by open cases, or refused at once
with the reasons and the collection agencies that could take it instead (never silently: an officer's tray item);
the same referral twice is placed once. The handler runs on in-memory stores: no broker, no database."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.agents_gateway.referrals import place_referred_case
from shared.contracts.agents_gateway import PlacementRefused
from shared.contracts.recovery import CaseReferred
from tests.unit.agents_gateway.in_memory_stores import TODAY, InMemoryGateway


def a_referral(
    debt_type: str = "council_tax",
    agency_kind: str = "enforcement_agent",
    *,
    liability_order: bool = True,
    customers: int = 1,
) -> CaseReferred:
    return CaseReferred(
        referral_id=uuid4(),
        case_id=uuid4(),
        debt_id=uuid4(),
        customer_ids=[uuid4() for _ in range(customers)],
        debt_type=debt_type,
        balance_pence=850_00,
        referred_on=date(2026, 6, 1),
        agency_kind=agency_kind,
        liability_order_reference="LO-1" if liability_order else None,
        liability_order_date=date(2026, 4, 20) if liability_order else None,
        vulnerability_flags=["hearing impairment"],
    )


async def test_a_council_tax_case_with_its_liability_order_awaits_the_next_file_with_an_enforcement_agent() -> (
    None
):
    gateway = InMemoryGateway()
    referral = a_referral()

    await place_referred_case(referral, gateway.handling)

    placement = gateway.placements.rows[referral.referral_id]
    assert placement.status == "awaiting_file"
    assert placement.agent_code in {"BRISTOW", "MARSTON"}
    assert placement.case_reference == str(referral.referral_id)
    assert placement.vulnerability_flags == ["hearing impairment"]
    assert gateway.published.messages == []


async def test_new_work_goes_to_the_agent_with_fewest_open_cases() -> None:
    gateway = InMemoryGateway()
    first, second, third = a_referral(), a_referral(), a_referral()
    for referral in (first, second, third):
        await place_referred_case(referral, gateway.handling)

    agents = [gateway.placements.rows[r.referral_id].agent_code for r in (first, second, third)]
    assert agents == ["BRISTOW", "MARSTON", "BRISTOW"]  # registry order breaks the tie


async def test_a_debt_type_no_agent_of_that_kind_takes_is_refused_with_the_reason() -> None:
    gateway = InMemoryGateway()
    referral = a_referral("parking", "collection_agency", liability_order=False)

    await place_referred_case(referral, gateway.handling)

    placement = gateway.placements.rows[referral.referral_id]
    assert placement.status == "refused" and placement.agent_code is None and placement.answered_on == TODAY
    assert placement.refused_at is not None and placement.decision is None  # waiting for an officer
    [refused] = gateway.published.of_type(PlacementRefused)
    assert isinstance(refused, PlacementRefused)
    assert refused.agent == "none" and refused.case_id == referral.case_id
    assert refused.reasons == ["no collection_agency in the registry takes parking debts"]
    assert refused.lawful_alternatives == []
    assert refused.refused_on == TODAY


async def test_an_enforcement_agent_is_not_sent_council_tax_without_a_liability_order() -> None:
    gateway = InMemoryGateway()
    referral = a_referral(liability_order=False)

    await place_referred_case(referral, gateway.handling)

    placement = gateway.placements.rows[referral.referral_id]
    assert placement.status == "refused"
    [refused] = gateway.published.of_type(PlacementRefused)
    assert isinstance(refused, PlacementRefused)
    assert refused.agent == placement.agent_code and "liability order" in refused.reasons[0]
    # Council tax goes to nobody without its liability order: no collection agency is offered either.
    assert refused.lawful_alternatives == []


async def test_a_sundry_debt_without_a_judgment_is_refused_for_an_enforcement_agent_naming_the_collection_agency() -> (
    None
):
    gateway = InMemoryGateway()
    referral = a_referral("sundry", liability_order=False)

    await place_referred_case(referral, gateway.handling)

    placement = gateway.placements.rows[referral.referral_id]
    assert placement.status == "refused" and placement.agent_code == "BRISTOW"
    [refused] = gateway.published.of_type(PlacementRefused)
    assert isinstance(refused, PlacementRefused)
    assert refused.reasons == [
        f"debt {referral.debt_id}: an enforcement agent needs a county court judgment for a sundry debt"
    ]
    assert refused.lawful_alternatives == ["COLLECTCO"]


async def test_a_referral_naming_no_debtor_is_refused() -> None:
    gateway = InMemoryGateway()
    referral = a_referral(customers=0)

    await place_referred_case(referral, gateway.handling)

    assert gateway.placements.rows[referral.referral_id].refusal == "the referral names no debtor"


async def test_the_same_referral_again_is_placed_once() -> None:
    gateway = InMemoryGateway()
    referral = a_referral("parking", "collection_agency")

    await place_referred_case(referral, gateway.handling)
    await place_referred_case(referral, gateway.handling)

    assert len(gateway.placements.rows) == 1
    assert len(gateway.published.of_type(PlacementRefused)) == 1
