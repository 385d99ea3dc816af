"""Issue 19 at the workbench: a case whose timetable is exhausted waits in the officers' tray (count, oldest age,
debtor, debt reference, balance, last step, days waiting) and opens on the single view, where a revenues or
senior officer takes the decision on a GOV.UK form: write off with a reason and its evidence (for an insolvency
also the order's date and what was owed on it), legal action, an arrangement, or cancel with the reason.
Recovery decides and records the officer from the token; its refusal is shown with its reason."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.unit.workbench.fake_services import FakeServices
from tests.unit.workbench.samples import CASE_TAX, CUSTOMER_ID
from tests.unit.workbench.test_pages import site

FORM = f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/exhausted-decision"


@pytest.fixture
def services() -> FakeServices:
    return FakeServices()


@pytest.fixture
async def revenues(services: FakeServices) -> AsyncIterator[httpx.AsyncClient]:
    async for client in site(services, "revenues_officer"):
        yield client


def _decided(services: FakeServices) -> list[dict]:
    return [a[1] for a in services.asked if a[0] == "decide_exhausted_case"]


async def test_the_exhausted_timetable_tray_counts_the_cases_ages_the_oldest_and_opens_each_on_the_single_view(
    revenues,
):
    page = (await revenues.get("/trays")).text
    count = page.split('id="count-timetable-exhausted"')[1].split("</tr>")[0]
    assert "Timetable exhausted: awaiting your decision" in count
    assert ">2<" in count.replace(" ", "")
    assert "days" in count  # the oldest has waited since 21 November
    items = page.split('id="items-timetable-exhausted"')[1].split("</ul>")[0]
    assert (
        "Ms Joanne Fletcher, CT-2026-400017 — £1,200.00 owed, last step final notice on 20 November 2026</a>"
        in items
    )
    assert "waiting 12 days" in items  # as recovery counts it, by its business date
    assert f'href="/customers/{CUSTOMER_ID}#exhausted-{CASE_TAX}"' in items
    # A case whose debtor recovery does not know has nowhere to open; its earlier decision is named.
    assert "Debtor not known to recovery, SUN-1 — £45.50 owed" in items
    assert (
        "last step reminder on 2 December 2026; earlier decision: write off "
        "(the write-off service refused the write-off: no evidence of the trace)" in items
    )
    assert "owed)" not in items  # the timetable running out is the tray's own title
    assert "waiting 0 days" in items


async def test_the_single_view_shows_a_case_awaiting_a_decision_with_the_way_to_take_it(revenues):
    page = (await revenues.get(f"/customers/{CUSTOMER_ID}")).text
    panel = page.split(f'id="exhausted-{CASE_TAX}"')[1].split("</div>")[0]
    assert "Timetable exhausted: awaiting your decision" in panel
    assert "Timetable exhausted with £1,200.00 owed." in panel
    assert "final notice on 20 November 2026" in panel and "£1,200.00 is owed" not in panel  # said once
    assert "12 days" in panel
    assert f'href="{FORM}"' in panel


async def test_the_auditor_sees_a_case_awaiting_a_decision_but_cannot_take_it(services):
    async for client in site(services, "auditor"):
        page = (await client.get(f"/customers/{CUSTOMER_ID}")).text
        assert f'id="exhausted-{CASE_TAX}"' in page and FORM not in page
        assert (await client.get(FORM)).status_code == 403
        assert (await client.post(FORM, data={"decision": "cancel", "cancel-reason": "x"})).status_code == 403
    assert not _decided(services)


async def test_the_decision_form_offers_the_four_decisions_with_their_fields(revenues):
    page = (await revenues.get(FORM)).text
    for value in ("write_off", "legal_action", "arrangement", "cancel"):
        assert f'value="{value}"' in page
    assert 'data-module="govuk-radios"' in page and "govuk-radios__conditional" in page
    assert 'name="write-off-reason"' in page and 'value="insolvency"' in page
    assert 'name="insolvency-order-date-day"' in page and 'name="owed-at-order-date"' in page
    assert 'name="cancel-reason"' in page
    assert "It has waited 12 days for a decision" in page


async def test_a_decision_must_be_chosen(revenues, services):
    answer = await revenues.post(FORM, data={})
    assert answer.status_code == 422
    assert 'href="#decision"' in answer.text and "Select what happens to this debt" in answer.text
    assert not _decided(services)


async def test_a_write_off_needs_its_reason_and_evidence(revenues, services):
    answer = await revenues.post(FORM, data={"decision": "write_off"})
    assert answer.status_code == 422
    assert 'href="#write-off-reason"' in answer.text and 'href="#evidence"' in answer.text
    assert not _decided(services)


async def test_an_insolvency_write_off_needs_the_order_s_date_and_what_was_owed_on_it(revenues, services):
    answer = await revenues.post(
        FORM, data={"decision": "write_off", "write-off-reason": "insolvency", "evidence": "Gazette notice 1"}
    )
    assert answer.status_code == 422
    assert 'href="#insolvency-order-date-day"' in answer.text and 'href="#owed-at-order-date"' in answer.text
    assert 'value="insolvency" selected' in answer.text  # the officer's answers are kept
    assert not _decided(services)


async def test_an_insolvency_write_off_is_sent_with_the_order_s_date_and_what_was_owed(revenues, services):
    answer = await revenues.post(
        FORM,
        data={
            "decision": "write_off",
            "write-off-reason": "insolvency",
            "evidence": "Gazette notice 1\nOfficial receiver's letter of 20 October 2026",
            "insolvency-order-date-day": "14",
            "insolvency-order-date-month": "10",
            "insolvency-order-date-year": "2026",
            "owed-at-order-date": "1,150.00",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/customers/{CUSTOMER_ID}?done=Decision")
    (asked,) = _decided(services)
    assert asked["case_id"] == CASE_TAX and asked["decision"] == "write_off"
    assert asked["write_off_reason"] == "insolvency"
    assert asked["evidence"] == ["Gazette notice 1", "Official receiver's letter of 20 October 2026"]
    assert (
        str(asked["insolvency_order_date"]) == "2026-10-14" and asked["owed_at_order_date_pence"] == 115_000
    )
    assert (
        "requested_by" not in asked and "decided_by" not in asked
    )  # recovery takes the officer from the token


async def test_a_write_off_for_another_reason_sends_no_insolvency_fields(revenues, services):
    answer = await revenues.post(
        FORM,
        data={
            "decision": "write_off",
            "write-off-reason": "absconded_untraceable",
            "evidence": "trace report TR-1",
            "owed-at-order-date": "12",
        },
    )
    assert answer.status_code == 303
    (asked,) = _decided(services)
    assert asked["insolvency_order_date"] is None and asked["owed_at_order_date_pence"] is None


async def test_cancelling_recovery_needs_the_reason_which_is_sent_as_the_notes(revenues, services):
    refused = await revenues.post(FORM, data={"decision": "cancel"})
    assert refused.status_code == 422 and 'href="#cancel-reason"' in refused.text
    answer = await revenues.post(FORM, data={"decision": "cancel", "cancel-reason": "raised in error"})
    assert answer.status_code == 303
    assert "recovery+is+cancelled+and+the+case+closed" in answer.headers["location"]
    (asked,) = _decided(services)
    assert asked["decision"] == "cancel" and asked["notes"] == "raised in error"
    assert "write_off_reason" not in asked


async def test_an_arrangement_decision_is_recorded_with_the_notes(revenues, services):
    answer = await revenues.post(FORM, data={"decision": "arrangement", "notes": "will pay £50 a month"})
    assert answer.status_code == 303
    (asked,) = _decided(services)
    assert asked == {"case_id": CASE_TAX, "decision": "arrangement", "notes": "will pay £50 a month"}


async def test_recovery_s_refusal_of_a_decision_is_shown_with_its_reason(revenues, services):
    answer = await revenues.post(FORM, data={"decision": "legal_action"})
    assert answer.status_code == 422
    assert "no legal action while recovery is held (vulnerability)" in answer.text
    assert 'id="refusal"' in answer.text
    assert 'value="legal_action" checked' in answer.text
