"""The workbench's pages rendered from the services' answers, as an officer of each role sees them: the search,
the single view with only the actions the roles allow, a hold form that names each mistake and shows the
service's refusal, and trays that say which service offers no API rather than making anything up."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.workbench.bootstrap import bootstrap
from services.workbench.officer import SignedInOfficer, officer_services
from shared.auth import Principal
from tests.unit.workbench.fake_services import FakeServices
from tests.unit.workbench.samples import CASE_TAX, CUSTOMER_ID


def officer(*roles: str) -> Principal:
    return Principal(
        subject="s-1",
        name="Priya Shah",
        username="revenues.officer",
        email=None,
        roles=frozenset(roles),
        council="derby",
        kind="person",
    )


@pytest.fixture
def services() -> FakeServices:
    return FakeServices()


async def site(services: FakeServices, *roles: str) -> AsyncIterator[httpx.AsyncClient]:
    app = bootstrap().http_app
    app.dependency_overrides[SignedInOfficer] = lambda: officer(*roles)
    app.dependency_overrides[officer_services] = lambda: services
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://workbench.test") as client:
        yield client


@pytest.fixture
async def revenues(services: FakeServices) -> AsyncIterator[httpx.AsyncClient]:
    async for client in site(services, "revenues_officer"):
        yield client


@pytest.fixture
async def auditor(services: FakeServices) -> AsyncIterator[httpx.AsyncClient]:
    async for client in site(services, "auditor"):
        yield client


async def test_a_postcode_finds_the_resident_with_enough_to_tell_people_apart(revenues):
    page = (await revenues.get("/search", params={"query": "DE22 3SJ"})).text
    assert "1 customer found" in page
    assert f'href="/customers/{CUSTOMER_ID}"' in page
    assert "14 Abbey Street, Derby, DE22 3SJ" in page
    assert "Council tax CT400017: £1,200.00 (open)" in page


async def test_the_single_view_shows_each_debt_its_recovery_and_the_actions_a_revenues_officer_may_take(
    revenues,
):
    page = (await revenues.get(f"/customers/{CUSTOMER_ID}")).text
    assert "Ms Joanne Fletcher" in page
    assert "£1,245.50" in page  # everything owed
    assert "Final notice from 10 December 2026" not in page  # on hold, so the next step waits
    assert "On hold" in page
    assert f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/hold" in page
    assert f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/contact" in page
    assert f'href="/customers/{CUSTOMER_ID}/counter-payment"' in page
    assert "/authorise" not in page  # refunds are a senior officer's to authorise


async def test_the_auditor_reads_the_same_view_without_any_action(auditor):
    page = (await auditor.get(f"/customers/{CUSTOMER_ID}")).text
    assert "Ms Joanne Fletcher" in page
    assert "/hold" not in page and "/contact" not in page and "/arrangement" not in page
    assert "your roles allow no changes" in page
    assert (await auditor.get(f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/hold")).status_code == 403


async def test_a_hold_form_names_each_missing_answer_next_to_its_field(revenues, services):
    answer = await revenues.post(f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/hold", data={"kind": "appeal"})
    assert answer.status_code == 422
    assert 'href="#reason"' in answer.text and 'href="#review-on-day"' in answer.text
    assert not [a for a in services.asked if a[0] == "apply_hold"]


async def test_a_hold_is_sent_to_recovery_with_its_authority_and_review_date(revenues, services):
    answer = await revenues.post(
        f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/hold",
        data={
            "kind": "appeal",
            "reason": "appeal VTS-1 lodged",
            "review-on-day": "31",
            "review-on-month": "1",
            "review-on-year": "2027",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/customers/{CUSTOMER_ID}?done=")
    (asked,) = [a for a in services.asked if a[0] == "apply_hold"]
    assert asked[1]["kind"] == "appeal" and str(asked[1]["review_on"]) == "2027-01-31"


async def test_recovery_s_refusal_is_shown_with_its_reason(revenues):
    answer = await revenues.post(
        f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/hold", data={"kind": "dispute", "reason": "refuse me"}
    )
    assert answer.status_code == 422
    assert "a hold cannot start before the debt was raised" in answer.text


async def test_trays_count_what_waits_and_say_which_service_offers_no_api(revenues):
    page = (await revenues.get("/trays")).text
    assert "Customer match reviews" in page and "/match-reviews/0190a000-0000-7000-8000-00000000aaaa" in page
    assert "/breathing-space/matches/BS-1" in page
    assert "Ms Joanne Fletcher: £25.00, overpaid" in page and f"/customers/{CUSTOMER_ID}#refunds" in page
    # Dead letters are the operations team's: a revenues officer is told so, and no service is asked.
    assert "Dead letters: billing" in page and "for the operations team" in page
    assert "/approvals/s1" in page
    assert "/refused-placements/0190a000-0000-7000-8000-0000000000f1" in page


async def test_the_holds_due_for_review_tray_counts_them_ages_the_oldest_and_opens_each_case_s_holds(
    revenues,
):
    page = (await revenues.get("/trays")).text
    count = page.split('id="count-holds-due-for-review"')[1].split("</tr>")[0]
    assert ">2<" in count.replace(" ", "")
    assert "days" in count  # the oldest review date's age, in days
    items = page.split('id="items-holds-due-for-review"')[1].split("</ul>")[0]
    assert "Ms Joanne Fletcher, CT-2026-400017 — Vulnerability: vulnerability reason" in items
    assert f'href="/customers/{CUSTOMER_ID}#case-holds-{CASE_TAX}"' in items
    # A case whose customer recovery does not know says so and, with nowhere to open, is not a link.
    assert (
        "Debtor not known to recovery, SUN-1 — Other hold authorised by an officer: contract under review"
        in items
    )


async def test_the_single_view_lists_the_customer_s_moratoria_from_breathing_space(revenues):
    page = (await revenues.get(f"/customers/{CUSTOMER_ID}")).text
    table = page.split('id="moratoria-table"')[1].split("</table>")[0]
    assert 'href="/breathing-space/moratoria/BS-1"' in table
    assert "Standard breathing space" in table and "Mental health crisis breathing space" in table
    assert "1 December 2026" in table
    assert "CT400017" in table
    assert "30 days after the crisis treatment ends" in table
    assert "Not matched to this customer" in table.split('id="moratorium-BS-0"')[1]
    assert "Not matched to this customer" not in table.split('id="moratorium-BS-1"')[1].split("</tr>")[0]


async def test_the_single_view_lists_the_customer_s_placements_from_the_agents_gateway(revenues):
    page = (await revenues.get(f"/customers/{CUSTOMER_ID}")).text
    row = page.split('id="placement-0190a000-0000-7000-8000-0000000000f2"')[1].split("</tr>")[0]
    assert "EQUITA" in row and "Council tax CT-2026-400017" in row
    assert "1 October 2026" in row and "£1,200.00" in row
    assert "Acknowledged (enforcement)" in row and "EQ-31" in row


async def test_a_customer_billing_does_not_know_is_a_page_saying_so(revenues):
    answer = await revenues.get("/customers/0190a000-0000-7000-8000-00000000ffff")
    assert answer.status_code == 404
    assert "billing holds no customer" in answer.text


async def test_every_form_and_tray_page_renders_for_an_officer_who_may_use_it(services):
    hold_id = services.recovery.holds[0]["hold_id"]
    paths = [
        f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/hold",
        f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/holds/{hold_id}/lift",
        f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/contact",
        f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/write-off",
        f"/customers/{CUSTOMER_ID}/arrangement",
        f"/customers/{CUSTOMER_ID}/counter-payment",
        "/dead-letters/billing/11",
        "/match-reviews/0190a000-0000-7000-8000-00000000aaaa",
        "/refused-placements/0190a000-0000-7000-8000-0000000000f1",
        "/breathing-space/moratoria/BS-1",
        "/trays",
    ]
    async for client in site(services, "senior_officer", "revenues_officer", "agents_officer"):
        for path in paths:
            answer = await client.get(path)
            assert answer.status_code == 200, (path, answer.text[-2000:])
            assert 'id="main-content"' in answer.text and "Signed in as Priya Shah" in answer.text


async def test_an_arrangement_covers_only_the_customer_s_open_cases(services):
    async for client in site(services, "revenues_officer"):
        answer = await client.post(
            f"/customers/{CUSTOMER_ID}/arrangement",
            data={
                "case-ids": "not-a-case",
                "income": "1200",
                "expenditure": "1100",
                "first-instalment-on-day": "1",
                "first-instalment-on-month": "1",
                "first-instalment-on-year": "2027",
            },
        )
        assert answer.status_code == 422
        assert "Select the debts the arrangement covers" in answer.text


async def test_the_single_view_lists_instalments_allocations_and_the_customer_s_payments(revenues):
    page = (await revenues.get(f"/customers/{CUSTOMER_ID}")).text
    assert "Instalments" in page and "instalment_match" in page
    assert 'id="payments"' in page and "DD-1" in page
    assert "Letters sent" in page and "/letters/0190a000-0000-7000-8000-0000000000e1" in page


async def test_a_senior_officer_authorises_a_refund_due_from_the_single_view(services):
    async for client in site(services, "senior_officer", "revenues_officer"):
        page = (await client.get(f"/customers/{CUSTOMER_ID}")).text
        action = f"/customers/{CUSTOMER_ID}/refunds/0190a000-0000-7000-8000-0000000000b1/authorise"
        assert action in page
        answer = await client.post(action)
        assert answer.status_code == 303 and "Refund+authorised" in answer.headers["location"]
    assert ("authorise_refund", "0190a000-0000-7000-8000-0000000000b1") in services.asked


async def test_a_revenues_officer_cannot_authorise_a_refund(revenues, services):
    answer = await revenues.post(
        f"/customers/{CUSTOMER_ID}/refunds/0190a000-0000-7000-8000-0000000000b1/authorise"
    )
    assert answer.status_code == 403
    assert not [a for a in services.asked if a[0] == "authorise_refund"]


async def test_a_letter_opens_with_its_text_and_the_pdf_as_posted(revenues):
    letter = f"/customers/{CUSTOMER_ID}/cases/{CASE_TAX}/letters/0190a000-0000-7000-8000-0000000000e1"
    page = (await revenues.get(letter)).text
    assert "Please pay." in page and f'href="{letter}/pdf"' in page
    pdf = await revenues.get(f"{letter}/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


async def test_a_breathing_space_officer_chooses_among_candidates_named_with_their_address(services):
    async for client in site(services, "breathing_space_officer"):
        page = (await client.get("/breathing-space/moratoria/BS-1")).text
    assert "Ms Joanne Fletcher, 14 Abbey Street, Derby DE22 3SJ" in page
    assert "Matched on: name, date of birth (exact)" in page
    assert 'action="/breathing-space/moratoria/BS-1/match"' in page
