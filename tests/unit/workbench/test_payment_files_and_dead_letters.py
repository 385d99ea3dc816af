"""Payment files billing quarantined whole wait in a tray with their problems and where they were kept; every
service's dead letters wait in the operations team's trays, each opening where it is replayed or discarded with
a reason (the service records who settled it from the token)."""

from __future__ import annotations

from services.workbench.domain.permissions import Action, actions_allowed
from tests.unit.workbench.fake_services import FakeServices
from tests.unit.workbench.test_pages import services, site

__all__ = ["services"]


def _count_row(page: str, key: str) -> str:
    return page.split(f'id="count-{key}"')[1].split("</tr>")[0]


def _items(page: str, key: str) -> str:
    return page.split(f'id="items-{key}"')[1].split("</ul>")[0]


async def test_quarantined_payment_files_are_counted_aged_and_listed_with_their_problems_and_where_kept(
    services: FakeServices,
):
    async for client in site(services, "revenues_officer"):
        page = (await client.get("/trays")).text
    count = _count_row(page, "quarantined-payment-files")
    assert ">1<" in count.replace(" ", "") and "day" in count
    items = _items(page, "quarantined-payment-files")
    assert "allpay-20261202.csv: 4 problem(s)" in items
    assert "line 7: amount &#39;twelve&#39; is not a number" in items and "and 1 more" in items
    assert "kept at /var/lib/billing/quarantine/allpay-20261202.csv" in items
    assert "41 payment line(s) read, none applied" in items


async def test_the_operations_team_sees_each_service_s_dead_letters_waiting_with_count_and_oldest(
    services: FakeServices,
):
    async for client in site(services, "operations"):
        page = (await client.get("/trays")).text
    billing = _count_row(page, "dead-letters-billing")
    assert ">1<" in billing.replace(" ", "") and "day" in billing
    assert ">0<" in _count_row(page, "dead-letters-recovery").replace(" ", "")
    assert ">0<" in _count_row(page, "dead-letters-write-off").replace(" ", "")
    items = _items(page, "dead-letters-billing")
    assert 'href="/dead-letters/billing/11"' in items
    assert "billing.payments-received: ValueError: a payment must be for more than nil" in items
    assert "dead-lettered 2 times" in items
    assert "/dead-letters/billing/10" not in items  # settled already: not waiting


async def test_an_officer_without_the_operations_role_is_not_shown_dead_letters_and_no_service_is_asked(
    services: FakeServices,
):
    async for client in site(services, "revenues_officer"):
        page = (await client.get("/trays")).text
    assert "for the operations team" in _count_row(page, "dead-letters-billing")
    assert 'id="items-dead-letters-billing"' not in page


async def test_operations_replay_a_dead_letter_with_the_reason(services: FakeServices):
    async for client in site(services, "operations"):
        page = (await client.get("/dead-letters/billing/11")).text
        assert "billing.payments-received" in page and 'name="settlement"' in page
        assert "&#34;amount_pence&#34;: 0" in page  # the message as it arrived, for the operations team
        answer = await client.post(
            "/dead-letters/billing/11", data={"settlement": "replay", "reason": "nil payments now refused"}
        )
    assert answer.status_code == 303 and "Dead+letter+replayed" in answer.headers["location"]
    assert ("settle_dead_letter", ("billing", "replay", 11, "nil payments now refused")) in services.asked


async def test_a_settlement_without_its_choice_or_reason_names_each_and_asks_no_service(
    services: FakeServices,
):
    async for client in site(services, "operations"):
        answer = await client.post("/dead-letters/billing/11", data={"reason": ""})
    assert answer.status_code == 422
    assert 'href="#settlement"' in answer.text and 'href="#reason"' in answer.text
    assert not [a for a in services.asked if a[0] == "settle_dead_letter"]


async def test_the_service_s_refusal_to_settle_is_shown_with_its_reason(services: FakeServices):
    async for client in site(services, "operations"):
        answer = await client.post(
            "/dead-letters/billing/11", data={"settlement": "discard", "reason": "refuse me"}
        )
    assert answer.status_code == 422 and "dead letter 11 is already settled" in answer.text


async def test_a_settled_dead_letter_shows_who_settled_it_and_offers_no_form(services: FakeServices):
    async for client in site(services, "operations"):
        page = (await client.get("/dead-letters/billing/10")).text
    assert "replayed by Ola Adeyemi (operations)" in page and "database back" in page
    assert 'name="settlement"' not in page


async def test_an_auditor_reads_a_dead_letter_but_may_not_settle_it(services: FakeServices):
    assert Action.SETTLE_DEAD_LETTER not in actions_allowed({"auditor"})
    async for client in site(services, "auditor"):
        page = (await client.get("/dead-letters/billing/11")).text
        assert "Only the operations team replay or discard dead letters" in page
        assert 'id="message"' not in page  # the body holds personal data: not for auditors
        answer = await client.post(
            "/dead-letters/billing/11", data={"settlement": "replay", "reason": "x y z"}
        )
    assert answer.status_code == 403
    assert not [a for a in services.asked if a[0] == "settle_dead_letter"]


async def test_a_dead_letter_the_service_does_not_hold_is_a_page_saying_so(services: FakeServices):
    async for client in site(services, "operations"):
        answer = await client.get("/dead-letters/recovery/99")
        assert answer.status_code == 404 and "recovery has no dead letter 99" in answer.text
        assert (await client.get("/dead-letters/nowhere/1")).status_code == 404
