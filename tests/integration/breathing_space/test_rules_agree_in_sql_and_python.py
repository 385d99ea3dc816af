"""Where a breathing space rule is also SQL (for speed), the SQL predicate and its domain twin agree on the same
cases, against the real database: which moratoria are due to end (`hold_due_to_end` / `DUE_TO_END`), which
debts the search considers (`considered_by_search` / `CONSIDERED_BY_SEARCH`) and which customers are worth
scoring against a notified debtor (`worth_scoring` / `WORTH_SCORING`).

Each case is written and read in one transaction that is rolled back, so the running service never sees it.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.breathing_space_service import BreathingSpace
from services.breathing_space.domain.customer_matching import name_key
from services.breathing_space.domain.debt_search import considered_by_search, reference_key
from services.breathing_space.domain.finding_keys import customer_keys, debtor_keys, worth_scoring
from services.breathing_space.domain.hold_lifecycle import hold_due_to_end
from services.breathing_space.stores import BreathingSpaceStores
from shared.contracts.council_systems import LiableParty, PostalAddress
from tests.unit.breathing_space.notification_documents import standard_start

TODAY = date(2026, 5, 10)


class _RollBack(Exception):
    pass


@asynccontextmanager
async def rolled_back(service: BreathingSpace) -> AsyncIterator[tuple[BreathingSpaceStores, AsyncSession]]:
    try:
        async with service.runtime.database.transaction() as session:
            yield BreathingSpaceStores.on(session), session
            raise _RollBack
    except _RollBack:
        pass


async def test_a_moratorium_is_due_to_end_in_sql_exactly_when_the_domain_says_so(breathing_space) -> None:
    cases = list(
        itertools.product(
            [False, True], [False, True], [None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1)]
        )
    )
    async with rolled_back(breathing_space) as (stores, session):
        expected: dict[str, bool] = {}
        for started, ended, last_day in cases:
            reference = f"AGREE-{uuid4().hex[:12]}"
            await session.execute(
                text(
                    "INSERT INTO moratorium (moratorium_reference, status, match_state, end_date, hold_started, "
                    "hold_ended) VALUES (:r, 'active', 'none', :end, :started, :ended)"
                ),
                {"r": reference, "end": last_day, "started": started, "ended": ended},
            )
            expected[reference] = hold_due_to_end(
                hold_started=started, hold_ended=ended, last_protected_day=last_day, today=TODAY
            )
        due = set(await stores.moratoria.due_to_end(TODAY)) & expected.keys()
    assert due == {r for r, is_due in expected.items() if is_due}
    assert 0 < len(due) < len(cases)


async def test_the_search_considers_in_sql_exactly_the_debts_the_domain_says_it_does(breathing_space) -> None:
    matched, stranger = uuid4(), uuid4()
    notified_keys = [reference_key("CT 400-1")]
    cases = list(
        itertools.product(
            [None, "settled", "written_off"],
            [None, "CT 400-1", "NNDR-9"],
            [[], [matched], [stranger], [stranger, matched]],
        )
    )
    async with rolled_back(breathing_space) as (stores, session):
        expected: dict[UUID, bool] = {}
        for closed, external_reference, liable in cases:
            debt_id = uuid4()
            await session.execute(
                text(
                    "INSERT INTO debt (debt_id, customer_ids, debt_type, external_reference, reference_key, "
                    "balance_pence, closed) VALUES (:id, CAST(:customers AS uuid[]), 'council_tax', :ref, :key, "
                    "100, :closed)"
                ),
                {
                    "id": debt_id,
                    "customers": [str(c) for c in liable],
                    "ref": external_reference,
                    "key": reference_key(external_reference) if external_reference else None,
                    "closed": closed,
                },
            )
            expected[debt_id] = considered_by_search(
                closed=closed,
                external_reference=external_reference,
                liable_customer_ids=[str(c) for c in liable],
                matched_customer_ids=[str(matched)],
                notified_reference_keys=notified_keys,
            )
        considered = {d.debt_id for d in await stores.debts.considered_by_search([matched], notified_keys)}
    assert considered & expected.keys() == {d for d, is_considered in expected.items() if is_considered}
    assert 0 < len(considered & expected.keys()) < len(cases)


def _person(surname: str, born: date, postcode: str, kind: str = "person", **references: str) -> LiableParty:
    return LiableParty(
        kind=kind,
        first_names="Alex",
        surname=surname if kind == "person" else None,
        organisation_name=surname if kind != "person" else None,
        date_of_birth=born if kind == "person" else None,
        address=PostalAddress(lines=["1 High Street"], postcode=postcode),
        references=references,
    )


async def test_the_customers_worth_scoring_are_the_same_in_sql_and_python(breathing_space) -> None:
    start = standard_start(date(2026, 5, 4))
    debtor = start.debtor
    notified_keys = [reference_key(d.creditor_reference) for d in start.debts]
    elsewhere, stranger_born = "ZZ9 9ZZ", date(1950, 1, 2)
    identities = {
        uuid4(): _person("Fletcher", stranger_born, elsewhere),  # her surname
        uuid4(): _person("Wainwright", stranger_born, elsewhere),  # her previous surname
        uuid4(): _person(f"Other{uuid4().hex[:8]}", debtor.date_of_birth, elsewhere),  # her date of birth
        uuid4(): _person(f"Other{uuid4().hex[:8]}", stranger_born, "de1 2hr"),  # her previous postcode
        uuid4(): _person(
            f"Other{uuid4().hex[:8]}", stranger_born, elsewhere, council_tax_account="CT 4001-2345"
        ),
        uuid4(): _person(f"Other{uuid4().hex[:8]}", stranger_born, elsewhere),  # nothing shared
        uuid4(): _person("Fletcher", stranger_born, "DE22 3SJ", kind="organisation"),  # not a person
    }
    liable_for_the_notified_debt = uuid4()
    identities[liable_for_the_notified_debt] = _person(f"Other{uuid4().hex[:8]}", stranger_born, elsewhere)
    async with rolled_back(breathing_space) as (stores, session):
        await stores.customers.keep(identities)
        await session.execute(
            text(
                "INSERT INTO debt (debt_id, customer_ids, external_reference, reference_key) "
                "VALUES (:id, CAST(:customers AS uuid[]), 'CT-40012345', :key)"
            ),
            {"id": uuid4(), "customers": [str(liable_for_the_notified_debt)], "key": notified_keys[0]},
        )
        offered = await stores.customers.candidates(
            surname_keys=sorted(
                {name_key(debtor.surname), *(name_key(n.surname) for n in debtor.previous_names)}
            ),
            date_of_birth=debtor.date_of_birth,
            postcodes=sorted({a.postcode for a in (debtor.current_address, *debtor.previous_addresses)}),
            reference_keys=notified_keys,
        )
    in_sql = {UUID(c.customer_id) for c in offered} & identities.keys()
    keys_of_debtor = debtor_keys(debtor, notified_keys)
    in_python = {
        customer
        for customer, identity in identities.items()
        if worth_scoring(
            keys_of_debtor,
            customer_keys(identity)
            | ({f"r:{notified_keys[0]}"} if customer == liable_for_the_notified_debt else set()),
            is_a_person=identity.kind == "person",
        )
    }
    assert in_sql == in_python
    assert len(in_python) == 6
