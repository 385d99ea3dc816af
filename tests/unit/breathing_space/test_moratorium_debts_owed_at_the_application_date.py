"""The moratorium debts are those owed at the date the debtor applied (Debt Respite Scheme regulations 2020,
reg 6, and the creditor guidance), not the date the council searched: a debt raised after the application date
is an ongoing liability and is not held; one owed then is held however late billing announces it. Where the
notification does not carry the application date, the start date stands in, and the moratorium says so."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.breathing_space.customers_and_debts import customers_registered, debts_raised
from services.breathing_space.domain.debt_search import is_moratorium_debt
from services.breathing_space.domain.moratorium import Moratorium
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from shared.contracts.breathing_space import BreathingSpaceDebtsAdded, BreathingSpaceHoldStarted
from tests.unit.breathing_space.in_memory_stores import InMemoryBreathingSpace
from tests.unit.breathing_space.notification_documents import MORATORIUM, notification, standard_start
from tests.unit.breathing_space.test_holding_every_debt_billing_announces import delivered, joanne, raised

APPLIED_ON = date(2025, 2, 20)
STARTS_ON = date(2025, 3, 5)
SEARCHED_ON = date(2025, 3, 10)


def test_a_debt_raised_on_or_before_the_application_date_is_a_moratorium_debt() -> None:
    assert is_moratorium_debt(raised_on=date(2025, 1, 4), application_date=APPLIED_ON, notified=False)
    assert is_moratorium_debt(raised_on=APPLIED_ON, application_date=APPLIED_ON, notified=False)


def test_a_debt_raised_after_the_application_date_is_an_ongoing_liability() -> None:
    assert not is_moratorium_debt(raised_on=date(2025, 2, 21), application_date=APPLIED_ON, notified=False)


def test_a_debt_the_insolvency_service_notified_is_a_moratorium_debt_whenever_raised() -> None:
    assert is_moratorium_debt(raised_on=date(2025, 3, 1), application_date=APPLIED_ON, notified=True)


def test_a_debt_whose_raising_date_is_not_known_yet_is_held() -> None:
    assert is_moratorium_debt(raised_on=None, application_date=APPLIED_ON, notified=False)


def test_the_application_date_is_the_notified_one_or_else_the_start_date_with_a_note() -> None:
    notified = Moratorium(MORATORIUM)
    notified.apply(
        notification("new_standard_breathing_space", "N-1", start_date=STARTS_ON, application_date=APPLIED_ON)
    )
    assert notified.application_date == APPLIED_ON
    assert not any("application date" in note for note in notified.anomalies())

    absent = Moratorium(MORATORIUM)
    absent.apply(standard_start(STARTS_ON))
    assert absent.application_date == STARTS_ON
    assert "application date not notified" in " ".join(absent.anomalies())


def test_an_application_date_after_the_start_is_refused() -> None:
    import json

    from services.breathing_space.domain.notifications import parse_notification
    from tests.unit.breathing_space.notification_documents import document

    parsed = parse_notification(
        json.dumps(
            document(
                "new_standard_breathing_space", "N-1", start_date=STARTS_ON, application_date=date(2025, 3, 6)
            )
        )
    )
    assert parsed.notification is None and "application_date is after start_date" in (parsed.refusal or "")


async def test_only_debts_owed_when_the_debtor_applied_are_held_not_those_owed_when_the_council_searched() -> (
    None
):
    council = InMemoryBreathingSpace(today=SEARCHED_ON)
    customer = uuid4()
    await customers_registered([delivered(joanne(customer))], council.handling())
    await council.notified(
        notification(
            "new_standard_breathing_space",
            "N-START",
            start_date=STARTS_ON,
            application_date=APPLIED_ON,
            issued_on=SEARCHED_ON,
        )
    )
    council_tax = raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1))
    owed_when_applied = raised(customer, "INV-1", "sundry", APPLIED_ON)
    after_applying = raised(customer, "INV-2", "sundry", date(2025, 2, 25))  # before the start and the search
    await debts_raised(
        [delivered(council_tax), delivered(owed_when_applied), delivered(after_applying)], council.handling()
    )
    await bring_moratorium_up_to_date(council.handling(), MORATORIUM, SEARCHED_ON)

    [started] = council.published.of_type(BreathingSpaceHoldStarted)
    assert isinstance(started, BreathingSpaceHoldStarted)
    assert set(started.debt_ids) == {council_tax.debt_id, owed_when_applied.debt_id}
    assert after_applying.debt_id not in council.holds.held[MORATORIUM]


async def test_a_debt_owed_when_the_debtor_applied_but_announced_after_the_search_is_held() -> None:
    council = InMemoryBreathingSpace(today=SEARCHED_ON)
    customer = uuid4()
    await customers_registered([delivered(joanne(customer))], council.handling())
    await council.notified(
        notification(
            "new_standard_breathing_space",
            "N-START",
            start_date=STARTS_ON,
            application_date=APPLIED_ON,
            issued_on=SEARCHED_ON,
        )
    )
    await bring_moratorium_up_to_date(council.handling(), MORATORIUM, SEARCHED_ON)
    await debts_raised(
        [delivered(raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)))], council.handling()
    )
    council.today = date(2025, 3, 20)
    late = raised(customer, "HB-OP-9", "housing_benefit_overpayment", date(2025, 2, 1))

    await debts_raised([delivered(late)], council.handling())

    [added] = council.published.of_type(BreathingSpaceDebtsAdded)
    assert isinstance(added, BreathingSpaceDebtsAdded) and added.debt_ids == [late.debt_id]
