"""A breathing space freezes interest and fees on the moratorium debt only (issue 13; Debt Respite Scheme
Regulations 2020 reg 7): on a lease's rent, the instalments that fell due by the start are held, while those
falling due after it are ongoing liabilities: announced as they fall due, and charged as the lease provides
when late. The hold is published as the breathing space service publishes it, with its scope, over the real
broker."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.contracts.breathing_space import BreathingSpaceHoldStarted, HeldDebtScope
from shared.contracts.council_systems import ChargeRequested, InstalmentPlanRequest, PaymentReceived
from shared.contracts.recovery import DailyRunRequested
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.billing.council_systems import a_person, unique

START = date(2024, 5, 1)


def a_lease(**overrides) -> ChargeRequested:
    values = dict(
        external_reference=unique("LEASE"),
        requesting_system="estates",
        originating_service="Property Services",
        debt_type="commercial_property_rent",
        amount_pence=1_500_00,
        liable_parties=[a_person()],
        raised_on=date(2024, 3, 1),
        income_code="EST200",
        evidence_reference="lease of unit 4, clause 7 (interest on late rent)",
        instalment_plan=InstalmentPlanRequest(instalments=3, first_due_date=date(2024, 4, 1)),
        late_payment_under_contract=True,
    )
    values.update(overrides)
    return ChargeRequested(**values)


async def balance_of(debt_id: str) -> int:
    return await fetch_value("SELECT balance_pence FROM billing.debt WHERE debt_id::text = $1", debt_id)


async def handled(envelope) -> None:
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM billing.inbox WHERE event_id = $1", envelope.event_id),
        lambda n: n == 1,
    )


async def test_a_late_hold_reverses_charges_on_the_arrears_only_and_the_ongoing_rent_stays_charged_and_due(
    heard,
):
    lease = a_lease()
    await publish(lease)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == lease.external_reference
    )
    debt_id = raised.data["debt_id"]
    # £500 due on 1 April, 1 May and 1 June, none paid; the run of 1 July charges each from its own due date.
    await handled(await publish(DailyRunRequested(business_date=date(2024, 7, 1))))
    # April 91 days (£9.97), May 61 days (£6.68), June 30 days (£3.29), and the £40 fee of 1 May.
    assert await balance_of(debt_id) == 1_500_00 + 9_97 + 6_68 + 3_29 + 40_00

    reference = unique("BSM")
    started = await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=reference,
            hold_version=1,
            kind="standard",
            starts_on=START,
            expected_end_on=date(2024, 8, 30),
            customer_ids=[UUID(c) for c in raised.data["customer_ids"]],
            debt_ids=[UUID(debt_id)],
            scope=[
                HeldDebtScope(
                    debt_id=UUID(debt_id),
                    protected_up_to=START,
                    ongoing_liabilities_pence=500_00,
                    ongoing_from=date(2024, 6, 1),
                )
            ],
            application_date=date(2024, 4, 29),
        ),
        producer="breathing_space",
    )
    assert started is not None
    await heard.wait_for(
        "billing.breathing_space_hold.confirmed", lambda d: d["moratorium_reference"] == reference
    )
    [reversal] = await heard.wait_for(
        "billing.balance.changed", lambda d: d["debt_id"] == debt_id and d["cause"] == "interest_reversal"
    )
    # Reversed: April's arrears from the start (£6.79 of its £9.97), all of May's (it fell due on the start, so
    # it is in the breathing space), and the fee. Kept: June's, an ongoing liability.
    assert reversal.data["change_pence"] == -(6_79 + 6_68 + 40_00)
    assert await balance_of(debt_id) == 1_500_00 + 3_18 + 3_29
    assert (
        await fetch_value(
            "SELECT ongoing_after FROM billing.breathing_space_hold WHERE moratorium_reference = $1",
            reference,
        )
        == START
    )

    # Still in the breathing space on 1 August: only June's rent earns interest (31 days, £3.40).
    await handled(await publish(DailyRunRequested(business_date=date(2024, 8, 1))))
    assert await balance_of(debt_id) == 1_500_00 + 3_18 + 3_29 + 3_40
    # The ongoing rent was announced as due like any other instalment: recovery may chase it.
    fell_due = heard.of_type("billing.instalment.fell_due", lambda d: d["debt_id"] == debt_id)
    assert 3 in {e.data["instalment_number"] for e in fell_due}


async def test_a_hold_without_scope_still_freezes_the_whole_debt(heard):
    lease = a_lease()
    await publish(lease)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == lease.external_reference
    )
    debt_id = raised.data["debt_id"]
    reference = unique("BSM")
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=reference,
            hold_version=1,
            kind="standard",
            starts_on=START,
            expected_end_on=date(2024, 8, 30),
            customer_ids=[UUID(c) for c in raised.data["customer_ids"]],
            debt_ids=[UUID(debt_id)],
        ),
        producer="breathing_space",
    )
    await heard.wait_for(
        "billing.breathing_space_hold.confirmed", lambda d: d["moratorium_reference"] == reference
    )
    await handled(await publish(DailyRunRequested(business_date=date(2024, 7, 1))))
    # Only April's rent before the start (29 days, £3.18); nothing on any sum from the start, no fee.
    assert await balance_of(debt_id) == 1_500_00 + 3_18


async def test_a_payment_in_the_breathing_space_pays_the_ongoing_rent_and_only_its_excess_the_frozen_arrears(
    heard,
):
    """reg 6 and the creditor guidance on ongoing liabilities: the person keeps paying what falls due after the
    start; money beyond it is a voluntary payment of the moratorium debt. Each allocation row says which."""
    lease = a_lease(late_payment_under_contract=False)
    await publish(lease)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == lease.external_reference
    )
    debt_id = raised.data["debt_id"]
    reference = unique("BSM")
    await publish(
        BreathingSpaceHoldStarted(
            moratorium_reference=reference,
            hold_version=1,
            kind="standard",
            starts_on=START,
            expected_end_on=date(2024, 8, 30),
            customer_ids=[UUID(c) for c in raised.data["customer_ids"]],
            debt_ids=[UUID(debt_id)],
            scope=[
                HeldDebtScope(
                    debt_id=UUID(debt_id),
                    protected_up_to=START,
                    ongoing_liabilities_pence=500_00,
                    ongoing_from=date(2024, 6, 1),
                )
            ],
            application_date=date(2024, 4, 29),
        ),
        producer="breathing_space",
    )
    await heard.wait_for(
        "billing.breathing_space_hold.confirmed", lambda d: d["moratorium_reference"] == reference
    )

    payment = PaymentReceived(
        channel="card",
        channel_reference=unique("CARD"),
        amount_pence=600_00,
        received_on=date(2024, 6, 5),
        customer_id=UUID(raised.data["customer_ids"][0]),
        directed_to=[UUID(debt_id)],
    )
    await publish(payment, producer="payments")
    [allocated] = await heard.wait_for(
        "billing.payment.allocated", lambda d: d["channel_reference"] == payment.channel_reference
    )
    # June's £500 (an ongoing liability) first, then £100 of April's arrears; May's (due on the start) untouched.
    assert [(a["instalment_number"], a["amount_pence"]) for a in allocated.data["allocations"]] == [
        (3, 500_00),
        (1, 100_00),
    ]
    shares = await fetch_value(
        "SELECT string_agg(line_number || ':' || breathing_space, ',' ORDER BY line_number) FROM billing.allocation"
        " WHERE payment_id::text = $1",
        allocated.data["payment_id"],
    )
    assert shares == "1:moratorium_debt,3:ongoing_liability"
