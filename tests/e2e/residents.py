"""Residents of the council and the charges its systems raise for them, as `council_systems.charge.requested`
messages; every scenario makes a person of its own so scenarios never see each other's rows."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from shared.contracts.council_systems import ChargeRequested, LiableParty, PostalAddress
from tests.council_bus import eventually, publish
from tests.e2e.council_services import row, rows

# Which council system raises each kind of debt, and the income code it is raised to.
RAISED_BY = {
    "council_tax": ("council_tax", "Revenues and Benefits", "CT-2026"),
    "sundry": ("finance", "Environmental Services", "ENV-4410"),
    "housing_benefit_overpayment": ("benefits", "Revenues and Benefits", "HBOP-2026"),
}


def a_resident(first_names: str = "Joanne Mary") -> LiableParty:
    """A Derby resident with a surname and birthday of their own (matching compares letters, so no digits)."""
    surname = "Fletcher" + "".join(random.choices(string.ascii_lowercase, k=8))
    return LiableParty(
        kind="person",
        title="Ms",
        first_names=first_names,
        surname=surname.capitalize(),
        date_of_birth=date(1950, 1, 1) + timedelta(days=random.randrange(15_000)),
        address=PostalAddress(lines=["14 Abbey Street", "Derby"], postcode="DE22 3SJ"),
    )


def a_charge(
    person: LiableParty,
    debt_type: str,
    amount_pence: int,
    *,
    raised_on: date,
    due_date: date,
    reference_prefix: str | None = None,
    late_payment_under_contract: bool = False,
) -> ChargeRequested:
    """What the council system that owns this kind of debt sends to have it raised."""
    system, service, income_code = RAISED_BY[debt_type]
    reference = f"{reference_prefix or debt_type[:3].upper()}-{uuid4().hex[:10].upper()}"
    return ChargeRequested(
        external_reference=reference,
        requesting_system=system,
        originating_service=service,
        debt_type=debt_type,
        amount_pence=amount_pence,
        liable_parties=[person],
        raised_on=raised_on,
        income_code=income_code,
        evidence_reference=f"{system}/{reference}",
        financial_year="2026/27",
        due_date=due_date,
        late_payment_under_contract=late_payment_under_contract,
    )


async def raised(charge: ChargeRequested, *, with_case: bool = True) -> dict[str, Any]:
    """Send the charge as its council system would; wait for billing's debt (and recovery's case). Returns the
    billing debt with its customer and, when asked, recovery's case id."""
    await publish(charge, producer=charge.requesting_system)
    debt = await eventually(
        lambda: row(
            "SELECT d.debt_id, d.balance_pence, d.due_date, p.customer_id FROM billing.debt d "
            "JOIN billing.debt_party p USING (debt_id) WHERE d.requesting_system = $1 AND d.external_reference = $2",
            charge.requesting_system,
            charge.external_reference,
        ),
        lambda found: found is not None,
    )
    assert debt is not None
    if with_case:
        case = await eventually(
            lambda: row("SELECT case_id FROM recovery.recovery_case WHERE debt_id = $1", debt["debt_id"]),
            lambda found: found is not None,
        )
        assert case is not None
        debt["case_id"] = case["case_id"]
    debt["external_reference"] = charge.external_reference
    return debt


async def steps_taken(case_id: UUID) -> list[tuple[str, date, bool]]:
    """(step, date taken, void) for every step recovery took on the case, in order."""
    return [
        (r["step_name"], r["taken_on"], r["void"])
        for r in await rows(
            "SELECT s.step_name, s.taken_on, v.step_id IS NOT NULL AS void FROM recovery.case_step s "
            "LEFT JOIN recovery.step_void v ON v.step_id = s.step_id WHERE s.case_id = $1 "
            "ORDER BY s.taken_on, s.recorded_at",
            case_id,
        )
    ]


async def case_record(case_id: UUID) -> str:
    """Recovery's record of the case, one line an entry (for failure messages)."""
    return "\n".join(
        [
            f"{r['recorded_on']} {r['entry']}: {r['summary']}"
            for r in await rows(
                "SELECT recorded_on, entry, summary FROM recovery.case_record WHERE case_id = $1 ORDER BY entry_id",
                case_id,
            )
        ]
    )
