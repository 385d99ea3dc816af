"""Rules recovery also writes as SQL, for speed, agree with their Python twins in the domain on the same cases,
against the real database:

- a hold is in force on a day (`stores.holds.HOLD_IN_FORCE_ON_DAY` and `domain.holds.Hold.is_active_on`): from
  its start through its end; a hold lifted on day D was in force up to D - 1, so not on D;
- a hold needs review on a day (`HOLD_NEEDS_REVIEW_ON_DAY` and `Hold.needs_review_on`);
- the debtor is an individual (`stores.cases.DEBTOR_IS_INDIVIDUAL`, `CASE_DEBTOR_IS_INDIVIDUAL` and
  `domain.debtors.debtor_is_individual`): unless someone liable is an organisation.

Each test works in one transaction that it rolls back, leaving nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.domain.debtors import debtor_is_individual
from services.recovery.domain.holds import Hold, HoldKind
from services.recovery.stores import RecoveryStores
from services.recovery.stores.cases import CASE_DEBTOR_IS_INDIVIDUAL, DEBTOR_IS_INDIVIDUAL
from services.recovery.stores.holds import NewHold
from shared.persistence.database import ServiceDatabase

D = date(2026, 6, 10)
DAYS = [D + timedelta(days=n) for n in range(-3, 4)]


def _hold(start: date, *, end: date | None = None, review_on: date | None = None) -> Hold:
    return Hold(
        HoldKind.MANUAL, "test", "an officer", start, end=end, review_on=review_on or start + timedelta(30)
    )


# (what the case is, the hold, the day it was lifted or None)
HOLDS: list[tuple[str, Hold, date | None]] = [
    ("starts after the day", _hold(D + timedelta(1)), None),
    ("starts on the day, never lifted", _hold(D), None),
    ("never lifted, no end", _hold(D - timedelta(20)), None),
    ("ended the day before", _hold(D - timedelta(20), end=D - timedelta(1)), None),
    ("ends on the day", _hold(D - timedelta(20), end=D), None),
    ("lifted before the day", _hold(D - timedelta(20)), D - timedelta(5)),
    ("lifted on the day", _hold(D - timedelta(20)), D),
    ("lifted the day after", _hold(D - timedelta(20)), D + timedelta(1)),
    ("lifted on its first day", _hold(D), D),
    ("ended before, lifted after", _hold(D - timedelta(20), end=D - timedelta(2)), D + timedelta(5)),
    ("review on the day", _hold(D - timedelta(20), review_on=D), None),
    ("review the day after", _hold(D - timedelta(20), review_on=D + timedelta(1)), None),
    ("review passed, lifted on the day", _hold(D - timedelta(20), review_on=D - timedelta(3)), D),
]


class _RolledBack(Exception):
    pass


@pytest.fixture
async def session() -> AsyncIterator[AsyncSession]:
    database = ServiceDatabase(os.environ["DATABASE_URL"], "recovery", pool_size=1)
    try:
        with pytest.raises(_RolledBack):
            async with database.transaction() as session:
                yield session
                raise _RolledBack()
    finally:
        await database.dispose()


async def _a_case(session: AsyncSession, customers: list[UUID] | None = None) -> UUID:
    case_id = uuid4()
    await session.execute(
        text(
            "INSERT INTO recovery.recovery_case (case_id, debt_id, customer_ids, debt_type, balance_pence, due_date, "
            "status) VALUES (:case_id, :debt_id, CAST('[]' AS json), 'sundry', 100, :due, 'open')"
        ),
        {"case_id": case_id, "debt_id": uuid4(), "due": D},
    )
    for customer_id in customers or []:
        await session.execute(
            text("INSERT INTO recovery.case_customer (case_id, customer_id) VALUES (:case_id, :customer_id)"),
            {"case_id": case_id, "customer_id": customer_id},
        )
    return case_id


async def _stored_holds(session: AsyncSession) -> dict[UUID, tuple[str, Hold]]:
    """The holds of HOLDS stored on a case, each with its lift; by hold id, with the lift in the domain hold."""
    stores = RecoveryStores.on(session)
    case_id = await _a_case(session)
    stored: dict[UUID, tuple[str, Hold]] = {}
    for what, hold, lifted_on in HOLDS:
        hold_id = uuid4()
        await stores.holds.put([NewHold(hold_id, case_id, hold)])
        if lifted_on is not None:
            await stores.holds.lift(hold_id, lifted_on, "an officer", "test")
        stored[hold_id] = (what, hold.lifted(lifted_on) if lifted_on else hold)
    return stored


async def test_a_hold_is_in_force_on_a_day_alike_in_sql_and_in_the_domain(session: AsyncSession) -> None:
    stored = await _stored_holds(session)
    stores = RecoveryStores.on(session)
    for day in DAYS:
        in_sql = await stores.holds.in_force_on(list(stored), day)
        in_python = {hold_id for hold_id, (_, hold) in stored.items() if hold.is_active_on(day)}
        disagreements = sorted(stored[h][0] for h in in_sql ^ in_python)
        assert disagreements == [], f"on {day}: SQL and Python disagree on {disagreements}"
    # The semantics, stated for the day itself:
    on_the_day = {stored[h][0] for h in await stores.holds.in_force_on(list(stored), D)}
    assert "lifted on the day" not in on_the_day
    assert "lifted the day after" in on_the_day
    assert "ends on the day" in on_the_day
    assert "starts on the day, never lifted" in on_the_day
    assert "starts after the day" not in on_the_day


async def test_a_hold_needs_review_on_a_day_alike_in_sql_and_in_the_domain(session: AsyncSession) -> None:
    stored = await _stored_holds(session)
    stores = RecoveryStores.on(session)
    for day in DAYS:
        in_sql = {r.hold_id for r in await stores.holds.due_for_review(day) if r.hold_id in stored}
        in_python = {hold_id for hold_id, (_, hold) in stored.items() if hold.needs_review_on(day)}
        disagreements = sorted(stored[h][0] for h in in_sql ^ in_python)
        assert disagreements == [], f"on {day}: SQL and Python disagree on {disagreements}"
    assert {stored[r.hold_id][0] for r in await stores.holds.due_for_review(D) if r.hold_id in stored} >= {
        "review on the day"
    }


# Who is liable: kinds of customers recovery knows, and customers it has not heard of yet (None).
LIABLE: list[list[str | None]] = [
    [],
    ["person"],
    ["organisation"],
    ["person", "organisation"],
    ["person", "person"],
    [None],
    ["person", None],
    ["organisation", None],
]


@pytest.mark.parametrize(
    "kinds", LIABLE, ids=lambda kinds: "+".join(k or "unknown" for k in kinds) or "nobody"
)
async def test_the_debtor_is_an_individual_alike_in_sql_and_in_the_domain(
    session: AsyncSession, kinds: list[str | None]
) -> None:
    customers = [uuid4() for _ in kinds]
    for customer_id, kind in zip(customers, kinds, strict=True):
        if kind is not None:
            await RecoveryStores.on(session).customers.remember(customer_id, kind, "a name")
    in_python = debtor_is_individual(kind for kind in kinds if kind is not None)

    by_customers = (
        await session.execute(text(f"SELECT {DEBTOR_IS_INDIVIDUAL}"), {"customer_uuids": customers})
    ).scalar_one()
    case_id = await _a_case(session, customers)
    by_case = (
        await session.execute(
            text(f"SELECT {CASE_DEBTOR_IS_INDIVIDUAL} FROM recovery.recovery_case c WHERE c.case_id = :id"),
            {"id": case_id},
        )
    ).scalar_one()

    assert by_customers is in_python
    assert by_case is in_python
    assert in_python is ("organisation" not in kinds)
