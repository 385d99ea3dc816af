"""Over the real broker and database: the protection is the applicant's. A debt owed jointly with a partner is
held as the applicant's liability, and the moratorium's page names the partner as not in the breathing space;
the partner's own debt is not held, and the hold names only the applicant."""

from __future__ import annotations

from datetime import date

from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from tests.council_bus import eventually
from tests.integration.breathing_space.council import (
    BusListener,
    a_moratorium_reference,
    a_person,
    notification,
    raise_debt,
    register,
    send_to_notifications_queue,
)
from tests.integration.breathing_space.council import (
    known_to_breathing_space as known,
)


async def test_a_joint_debt_is_held_for_the_applicant_only_and_the_partner_s_own_debt_is_not_held(http):
    applicant, partner = a_person(), a_person()
    customer, partners = await register(applicant), await register(partner)
    reference = f"CT-{str(customer)[:8].upper()}"
    council_tax = await raise_debt([customer], "council_tax", reference, 84_217)
    joint = await raise_debt(
        [customer, partners], "housing_benefit_overpayment", f"HB-{customer.hex[:8]}", 63_040
    )
    partners_own = await raise_debt([partners], "sundry", f"INV-{partners.hex[:8]}", 12_500)
    for debt in (council_tax, joint, partners_own):
        await eventually(lambda debt=debt: known(debt), bool)
    moratorium = a_moratorium_reference()
    async with BusListener() as bus:
        await send_to_notifications_queue(
            notification(
                "new_standard_breathing_space",
                moratorium,
                applicant,
                [(reference, "council_tax", 84_217)],
                start_date=date(2026, 5, 4),
            )
        )
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
    assert set(started.debt_ids) == {council_tax, joint}
    assert started.customer_ids == [customer]

    page = (await http.get(f"/moratoria/{moratorium}")).json()
    outside = {d["debt_id"]: d["not_protected_customer_ids"] for d in page["held_debts"]}
    assert outside == {str(council_tax): [], str(joint): [str(partners)]}
