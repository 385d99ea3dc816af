"""Property: whatever order the news arrives in (the Insolvency Service's notification, debts raised, a billing
officer confirming that a provisional record is the person, a debt billing transfers to the person, a breathing
space officer confirming a possible match, payments, daily runs), every debt the person owed on the day they
applied and still owes ends up held, broadcast to the other services, and (when found beyond those notified) reported back; a debt raised after the application date
and never notified is an ongoing liability and is never held (Debt Respite Scheme regulations 2020, reg 6).

Breathing space's own handlers run on in-memory stores (`in_memory_stores.py`), as the inbox would call them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.breathing_space.customers_and_debts import (
    balances_changed,
    customer_match_resolved,
    customers_registered,
    debt_transferred,
    debts_raised,
)
from services.breathing_space.expiry import daily_run
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from shared.contracts.billing import (
    BalanceChanged,
    BalancesChanged,
    CustomerMatchResolved,
    CustomerRegistered,
    DebtTransferred,
)
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldStarted,
    DebtsReportedBack,
)
from shared.contracts.council_systems import LiableParty, PostalAddress
from shared.contracts.recovery import DailyRunRequested
from tests.unit.breathing_space.in_memory_stores import InMemoryBreathingSpace
from tests.unit.breathing_space.notification_documents import MORATORIUM, notification
from tests.unit.breathing_space.test_holding_every_debt_billing_announces import delivered, joanne, raised

APPLIED_ON = date(2025, 6, 2)
NOTIFIED_REFERENCE = "CT-40012345"  # the debt the start notification names


def provisional_record(customer_id: UUID) -> CustomerRegistered:
    """The record billing made for an invoice under a slightly different address (flagged, not merged)."""
    person = joanne(customer_id).identity
    return CustomerRegistered(
        customer_id=customer_id,
        identity=person.model_copy(
            update={
                "address": PostalAddress(lines=["14a Abbey St", "Derby"], postcode="DE22 3SQ"),
                "references": {},
            }
        ),
    )


def known_by_initial(customer_id: UUID) -> CustomerRegistered:
    """The person as billing knows them when the match is only possible (an initial for a forename)."""
    identity: LiableParty = joanne(customer_id).identity.model_copy(
        update={"first_names": "J", "references": {}}
    )
    return CustomerRegistered(customer_id=customer_id, identity=identity)


@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    """The start, the person's debts and every other piece of news, in a drawn order."""
    start = APPLIED_ON + timedelta(days=draw(st.integers(0, 10)))
    debts: list[dict[str, Any]] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "raised": st.integers(-300, 40),  # days from the application date
                    "against": st.sampled_from(["person", "provisional", "someone_else"]),
                    "debt_type": st.sampled_from(["council_tax", "sundry", "housing_benefit_overpayment"]),
                    "payments": st.lists(st.sampled_from(["some", "all", "owing_again"]), max_size=2),
                }
            ),
            min_size=1,
            max_size=5,
        )
    )
    notified_index = draw(st.one_of(st.none(), st.integers(0, len(debts) - 1)))
    news: list[tuple[str, int | None]] = [("notification", None), ("billing_match_confirmed", None)]
    news += [("raised", i) for i in range(len(debts))]
    news += [("transferred_to_the_person", i) for i, d in enumerate(debts) if d["against"] == "someone_else"]
    news += [(f"payment:{p}", i) for i, d in enumerate(debts) for p in d["payments"]]
    news += [("daily_run", None)] * draw(st.integers(0, 3))
    exact = draw(st.booleans())
    if not exact:
        news.append(("officer_confirms_match", None))
    return {
        "start": start,
        "debts": debts,
        "notified_index": notified_index,
        "news": draw(st.permutations(news)),
        "exact": exact,
        "application_date_notified": draw(st.booleans()),
    }


async def live_through(history: dict[str, Any]) -> tuple[InMemoryBreathingSpace, dict[UUID, dict[str, Any]]]:
    start: date = history["start"]
    applied_on = APPLIED_ON if history["application_date_notified"] else start
    council = InMemoryBreathingSpace(today=start + timedelta(days=5))
    person, provisional, someone_else = uuid4(), uuid4(), uuid4()
    registered = joanne(person) if history["exact"] else known_by_initial(person)
    await customers_registered(
        [delivered(registered), delivered(provisional_record(provisional))], council.handling()
    )
    debts: dict[UUID, dict[str, Any]] = {}
    messages = []
    for i, d in enumerate(history["debts"]):
        reference = NOTIFIED_REFERENCE if i == history["notified_index"] else f"REF-{i}"
        raised_on = APPLIED_ON + timedelta(days=d["raised"])
        against = {"person": person, "provisional": provisional, "someone_else": someone_else}[d["against"]]
        message = raised(against, reference, d["debt_type"], raised_on)
        messages.append(message)
        debts[message.debt_id] = {**d, "reference": reference, "raised_on": raised_on, "balance": 10_000}
    fields = {"start_date": start, "issued_on": start}
    if history["application_date_notified"]:
        fields["application_date"] = APPLIED_ON
    start_notice = notification("new_standard_breathing_space", "N-START", **fields)
    day = council.today
    for kind, index in history["news"]:
        handling = council.handling()
        if kind == "notification":
            await council.notified(start_notice)
            await bring_moratorium_up_to_date(handling, MORATORIUM, day)
        elif kind == "raised":
            assert index is not None
            await debts_raised([delivered(messages[index])], handling)
        elif kind == "transferred_to_the_person":
            assert index is not None
            debt = messages[index]
            transfer = DebtTransferred(
                debt_id=debt.debt_id,
                debt_type=debt.debt_type,
                from_customer_ids=[someone_else],
                to_customer_ids=[person],
                balance_pence=debts[debt.debt_id]["balance"],
                reason="billed to the wrong person",
                transferred_by="revenues officer",
                transferred_on=day,
            )
            await debt_transferred(transfer, handling)
        elif kind == "billing_match_confirmed":
            moved = [m.debt_id for m in messages if provisional in m.customer_ids]
            resolved = CustomerMatchResolved(
                review_id=uuid4(),
                customer_id=provisional,
                outcome="confirmed",
                confirmed_customer_id=person,
                moved_debt_ids=moved,
                decided_by="billing officer",
            )
            await customer_match_resolved(resolved, handling)
        elif kind.startswith("payment:"):
            assert index is not None
            debt = messages[index]
            balance = {"some": 4_000, "all": 0, "owing_again": 2_500}[kind.split(":")[1]]
            debts[debt.debt_id]["balance"] = balance
            change = BalanceChanged(
                debt_id=debt.debt_id,
                customer_ids=debt.customer_ids,
                debt_type=debt.debt_type,
                balance_pence=balance,
                change_pence=0,
                cause="payment",
                as_of=day,
            )
            await balances_changed([delivered(BalancesChanged(changes=[change]))], handling)
        elif kind == "daily_run":
            day += timedelta(days=1)
            council.today = day
            await daily_run(DailyRunRequested(business_date=day), council.handling())
        elif kind == "officer_confirms_match":
            await officer_confirms(council, person, day)
    await officer_confirms(council, person, day)  # an officer settles a match still waiting at the end
    for d in debts.values():
        d["owed_at_application"] = d["raised_on"] <= applied_on
    return council, debts


async def officer_confirms(council: InMemoryBreathingSpace, person: UUID, day: date) -> None:
    """A breathing space officer confirms the person among the candidates, if a match is waiting (as
    `POST /pending-matches/{reference}/confirm` does)."""
    record = council.moratoria.records.get(MORATORIUM)
    if record is None or record.progress.match_state != "pending":
        return
    handling = council.handling()
    await handling.stores.moratoria.record_match_decision(MORATORIUM, "confirmed", [person], "officer")
    await bring_moratorium_up_to_date(handling, MORATORIUM, day)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
async def test_every_debt_owed_when_the_person_applied_ends_up_held_whatever_the_order(
    history: dict[str, Any],
) -> None:
    council, debts = await live_through(history)
    held = council.holds.held.get(MORATORIUM, {})
    broadcast = {
        d
        for m in council.published.messages
        if isinstance(m, BreathingSpaceHoldStarted | BreathingSpaceDebtsAdded)
        for d in m.debt_ids
    }
    reported = {
        d
        for m in council.published.of_type(DebtsReportedBack)
        if isinstance(m, DebtsReportedBack)
        for d in m.debt_ids
    }
    for debt_id, d in debts.items():
        notified = d["reference"] == NOTIFIED_REFERENCE
        if d["balance"] > 0 and (d["owed_at_application"] or notified):
            assert debt_id in held, f"a moratorium debt is not held: {d}"
        if not d["owed_at_application"] and not notified:
            assert debt_id not in held, f"an ongoing liability is held: {d}"
    assert set(held) == broadcast, "every held debt was broadcast to the other services, and only those"
    found = {debt_id for debt_id, h in held.items() if h.source == "found_by_search"}
    assert found == reported, "every debt found beyond those notified was reported back"
