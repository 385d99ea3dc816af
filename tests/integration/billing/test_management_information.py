"""Management information against the real database and broker: the KPIs over HTTP for bills raised and paid
through billing's queues (the SQL agreeing with the domain's rules on every debt in the database), recovery's
arrangements projected into billing, aged debt and the provision, the monthly budget-holder review with its
decisions, CSV export, the roles that may read and decide, and the command line.

Bills here belong to 2031/32, a year no other test uses, so their collection rates are this test's alone; the
HB and sundry KPIs cover every debt in the database, so those tests compare before and after."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from services.billing.domain.financial_year import FinancialYear
from services.billing.management_information.kpis import collection_kpis
from services.billing.stores.management_information import ManagementInformationStores
from shared.contracts.council_systems import InstalmentPlanRequest
from shared.contracts.recovery import ArrangementDefaulted, ArrangementMade
from tests.council_bus import database, eventually, fetch_value, publish
from tests.identity import officer_headers
from tests.integration.billing.council_systems import (
    a_council_tax_bill,
    a_payment,
    a_sundry_invoice,
    unique,
)

PROJECT = Path(__file__).resolve().parents[3]
Y2031 = FinancialYear(2031)


def http(billing) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=billing.runtime.http_app), base_url="http://billing"
    )


async def raise_debt(heard, request) -> UUID:
    await publish(request)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    return UUID(raised.data["debt_id"])


async def pay(heard, debt_id: UUID, pence: int, on: date) -> None:
    payment = a_payment(pence, received_on=on, directed_to=[debt_id])
    await publish(payment)
    await heard.wait_for(
        "billing.payment.allocated", lambda d: d.get("channel_reference") == payment.channel_reference
    )


def a_2031_bill(debt_type: str, pence: int):
    return a_council_tax_bill(
        debt_type=debt_type,
        amount_pence=pence,
        raised_on=date(2031, 3, 10),
        financial_year="2031/32",
        evidence_reference="annual bill 2031/32",
        instalment_plan=InstalmentPlanRequest(instalments=10, first_due_date=date(2031, 4, 1)),
    )


async def kpis_for(client, month: str, who: str = "revenues.officer") -> dict:
    answer = await client.get(
        "/management-information/kpis", params={"month": month}, headers=officer_headers(who)
    )
    assert answer.status_code == 200, answer.text
    [period] = answer.json()["periods"]
    return period


@pytest.fixture(scope="module")
async def bills_of_2031(billing, heard):
    """Council tax A £1,200.00 paid £120.00 on 1 April, 1 May and 1 June 2031; council tax B £900.00 paid in
    full on 20 April; business rates C £5,000.00 paid £500.00 on 15 April."""
    a = await raise_debt(heard, a_2031_bill("council_tax", 1_200_00))
    b = await raise_debt(heard, a_2031_bill("council_tax", 900_00))
    c = await raise_debt(heard, a_2031_bill("business_rates", 5_000_00))
    for day in (date(2031, 4, 1), date(2031, 5, 1), date(2031, 6, 1)):
        await pay(heard, a, 120_00, day)
    await pay(heard, b, 900_00, date(2031, 4, 20))
    await pay(heard, c, 500_00, date(2031, 4, 15))
    return a, b, c


async def test_the_in_year_collection_rates_of_a_month_and_of_the_year(billing, bills_of_2031):
    """May 2031: council tax debit 1,200 + 900 = 2,100.00; collected 240 + 900 = 1,140.00: 54.2857% -> 54.29%.
    Business rates 500 of 5,000: 10.00%. The year (to 31 March 2032): council tax 360 + 900 = 1,260: 60.00%."""
    async with http(billing) as client:
        may = await kpis_for(client, "2031-05")
        year = (
            await client.get(
                "/management-information/kpis",
                params={"financial_year": "2031/32"},
                headers=officer_headers("auditor"),
            )
        ).json()
    assert may["council_tax"] == {
        "collected_pence": 1_140_00,
        "net_collectable_debit_pence": 2_100_00,
        "rate_percent": "54.29",
    }
    assert may["business_rates"]["rate_percent"] == "10.00"
    [whole_year] = [p for p in year["periods"] if p["period"] == "2031/32"]
    assert whole_year["as_at"] == "2032-03-31"
    assert whole_year["council_tax"]["collected_pence"] == 1_260_00
    assert whole_year["council_tax"]["rate_percent"] == "60.00"
    assert "QRC4" in year["definitions"]["in_year_collection_rate"]


async def test_the_sql_agrees_with_the_domain_rules_on_every_debt_in_the_database(billing, bills_of_2031):
    connection = await database()
    try:
        every = [r["debt_id"] for r in await connection.fetch("SELECT debt_id FROM billing.debt")]
    finally:
        await connection.close()
    async with billing.runtime.transaction(ManagementInformationStores.on, billing) as handling:
        store = handling.stores.management_information
        for as_at in (date(2031, 5, 31), date(2032, 3, 31), date(2026, 6, 30)):
            year = FinancialYear(as_at.year if as_at.month >= 4 else as_at.year - 1)
            in_sql = await store.kpis(year, as_at)
            by_rules = collection_kpis(await store.debts_for_kpis(every), year, as_at)
            assert in_sql == by_rules


def made_on_1_may(arrangement_id: UUID, debt_id: UUID) -> ArrangementMade:
    return ArrangementMade(
        arrangement_id=arrangement_id,
        customer_id=None,
        debt_ids=[debt_id],
        total_pence=275_00,
        instalment_pence=25_00,
        instalments=11,
        first_due_on=date(2031, 5, 15),
        made_on=date(2031, 5, 1),
    )


async def test_recovery_arrangements_take_hb_overpayments_out_of_the_kpi_until_they_default(billing, heard):
    """An HB overpayment of £275.00 counts until an arrangement made on 1 May 2031 covers it; defaulted on 20
    May it counts again at the end of May (but not on 19 May). A default that arrives before the arrangement
    it ends converges to the same."""

    def an_overpayment():
        return a_sundry_invoice(
            debt_type="housing_benefit_overpayment",
            amount_pence=275_00,
            raised_on=date(2031, 3, 1),
            originating_service="Benefits",
            income_code="HB01",
        )

    first = await raise_debt(heard, an_overpayment())
    second = await raise_debt(heard, an_overpayment())
    async with http(billing) as client:
        before = (await kpis_for(client, "2031-05"))["hb_overpayments_not_under_arrangement_pence"]
        arrangement = uuid4()
        await publish(made_on_1_may(arrangement, first))
        under = await eventually(
            lambda: kpis_for(client, "2031-05"),
            lambda p: p["hb_overpayments_not_under_arrangement_pence"] == before - 275_00,
        )
        assert under["hb_overpayments_not_under_arrangement_pence"] == before - 275_00
        await publish(
            ArrangementDefaulted(arrangement_id=arrangement, debt_ids=[first], defaulted_on=date(2031, 5, 20))
        )
        await eventually(
            lambda: kpis_for(client, "2031-05"),
            lambda p: p["hb_overpayments_not_under_arrangement_pence"] == before,
        )
        # out of order: the default first, then the arrangement it ends
        late = uuid4()
        await publish(
            ArrangementDefaulted(arrangement_id=late, debt_ids=[second], defaulted_on=date(2031, 5, 20))
        )
        await publish(made_on_1_may(late, second))
        await eventually(
            lambda: fetch_value("SELECT made_on FROM billing.arrangement WHERE arrangement_id = $1", late),
            lambda made: made is not None,
        )
        assert (await kpis_for(client, "2031-05"))["hb_overpayments_not_under_arrangement_pence"] == before
    async with billing.runtime.transaction(ManagementInformationStores.on, billing) as handling:
        store = handling.stores.management_information
        on_19 = await store.kpis(Y2031, date(2031, 5, 19))
        on_20 = await store.kpis(Y2031, date(2031, 5, 20))
    assert (
        on_20.hb_overpayments_not_under_arrangement_pence - on_19.hb_overpayments_not_under_arrangement_pence
        == 2 * 275_00
    )


async def test_aged_debt_by_directorate_and_the_bad_debt_provision_as_json_and_csv(billing, heard):
    """A £300.00 sundry invoice raised 2 January 2031 (due 1 February) is 120 days old on 1 June 2031: Derby's
    policy names no directorate, so it is unassigned; the provision at 25% for 91-120 days covers at least its
    £75.00."""
    service = unique("MI Service")
    await raise_debt(
        heard, a_sundry_invoice(originating_service=service, amount_pence=300_00, raised_on=date(2031, 1, 2))
    )
    headers = officer_headers("auditor")
    async with http(billing) as client:
        aged = (
            await client.get(
                "/management-information/aged-debt", params={"as_of": "2031-06-01"}, headers=headers
            )
        ).json()
        provision = (
            await client.get(
                "/management-information/bad-debt-provision", params={"as_of": "2031-06-01"}, headers=headers
            )
        ).json()
        as_csv = await client.get(
            "/management-information/bad-debt-provision",
            params={"as_of": "2031-06-01"},
            headers={**headers, "Accept": "text/csv"},
        )
    [sundry] = [r for r in aged["rows"] if r["directorate"] == "unassigned" and r["debt_type"] == "sundry"]
    assert sundry["91-120_pence"] >= 300_00
    assert provision["percent_by_band"]["91-120"] == "25"
    [sundry_provision] = [r for r in provision["rows"] if r["debt_type"] == "sundry"]
    assert (
        sundry_provision["provision_pence"]["91-120"]
        == (sundry_provision["unpaid_pence"]["91-120"] * 25 + 50) // 100
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    [line] = [r for r in rows if r["debt_type"] == "sundry" and r["age_band"] == "91-120"]
    assert int(line["provision_pence"]) == sundry_provision["provision_pence"]["91-120"]


async def test_the_monthly_budget_holder_review_lists_records_decisions_once_and_flags_overdue(
    billing, heard
):
    """On Monday 2 June 2031 an invoice due 1 February 2031 is 121 days past due (over 120), one due 1 March 93
    days (over 90); decisions are due 10 working days later, 16 June. A revenues officer may not decide; a
    senior officer's decision is recorded as them, once; the undecided debt is overdue on 17 June."""
    over_120 = await raise_debt(heard, a_sundry_invoice(amount_pence=410_00, raised_on=date(2031, 1, 2)))
    over_90 = await raise_debt(heard, a_sundry_invoice(amount_pence=95_00, raised_on=date(2031, 1, 30)))
    was = billing.clock.pinned
    billing.clock.pin(date(2031, 6, 2))
    try:
        async with http(billing) as client:
            refused = await client.post(
                "/management-information/budget-holder-reviews", headers=officer_headers("revenues.officer")
            )
            listed = await client.post(
                "/management-information/budget-holder-reviews", headers=officer_headers("senior.officer")
            )
            again = await client.post(
                "/management-information/budget-holder-reviews", headers=officer_headers("operations")
            )
            month = (
                await client.get(
                    "/management-information/budget-holder-reviews",
                    params={"month": "2031-06"},
                    headers=officer_headers("auditor"),
                )
            ).json()
            entries = {r["debt_id"]: r for r in month["reviews"]}
            decision = f"/management-information/budget-holder-reviews/2031-06/{over_120}/decision"
            by_officer = await client.post(
                decision, json={"decision": "write_off_request"}, headers=officer_headers("revenues.officer")
            )
            decided = await client.post(
                decision,
                json={"decision": "write_off_request", "note": "debtor untraceable"},
                headers=officer_headers("senior.officer"),
            )
            twice = await client.post(
                decision, json={"decision": "legal_action"}, headers=officer_headers("senior.officer")
            )
            not_listed = await client.post(
                f"/management-information/budget-holder-reviews/2031-06/{uuid4()}/decision",
                json={"decision": "arrangement"},
                headers=officer_headers("senior.officer"),
            )
            bad_decision = await client.post(
                f"/management-information/budget-holder-reviews/2031-06/{over_90}/decision",
                json={"decision": "ignore it"},
                headers=officer_headers("senior.officer"),
            )
            billing.clock.pin(date(2031, 6, 17))
            later = (
                await client.get(
                    "/management-information/budget-holder-reviews",
                    params={"month": "2031-06", "format": "csv"},
                    headers=officer_headers("auditor"),
                )
            ).text
            overdue_page = (
                await client.get(
                    "/management-information/budget-holder-reviews",
                    params={"month": "2031-06", "status": "overdue", "limit": 1},
                    headers=officer_headers("auditor"),
                )
            ).json()
            one_debt = (
                await client.get(
                    "/management-information/budget-holder-reviews",
                    params={"month": "2031-06", "debt_id": str(over_120)},
                    headers=officer_headers("auditor"),
                )
            ).json()
    finally:
        billing.clock.pin(was)
    assert refused.status_code == 403
    assert listed.status_code == 200 and listed.json()["newly_listed"] >= 2
    assert again.json()["newly_listed"] == 0
    assert (entries[str(over_120)]["days_past_due"], entries[str(over_120)]["over_days"]) == (121, 120)
    assert (entries[str(over_90)]["days_past_due"], entries[str(over_90)]["over_days"]) == (93, 90)
    assert entries[str(over_90)]["decide_by"] == "2031-06-16"
    assert entries[str(over_90)]["directorate"] == "unassigned"
    assert entries[str(over_90)]["status"] == "awaiting_decision"
    assert by_officer.status_code == 403
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision"] == "write_off_request"
    assert "senior.officer" in decided.json()["decided_by"]
    assert decided.json()["status"] == "decided"
    assert twice.status_code == 409
    assert not_listed.status_code == 404
    assert bad_decision.status_code == 422
    by_debt = {r["debt_id"]: r for r in csv.DictReader(io.StringIO(later))}
    assert by_debt[str(over_90)]["status"] == "overdue"
    assert by_debt[str(over_120)]["status"] == "decided"
    # JSON a page at a time, narrowed to a status or one debt; the month's counts stay whole.
    assert len(overdue_page["reviews"]) == 1 and overdue_page["reviews"][0]["status"] == "overdue"
    assert overdue_page["total"] == overdue_page["by_status"]["overdue"] >= 1
    assert overdue_page["by_status"]["decided"] >= 1
    assert [r["debt_id"] for r in one_debt["reviews"]] == [str(over_120)] and one_debt["total"] == 1
    # Each listed debt carries billing's references and who is liable, so no reader asks for the debt again.
    (listed_debt,) = one_debt["reviews"]
    assert listed_debt["external_reference"] and listed_debt["customer_ids"]
    liable = await fetch_value(
        "SELECT array_agg(customer_id ORDER BY customer_id) FROM billing.debt_party WHERE debt_id = $1",
        over_120,
    )
    assert listed_debt["customer_ids"] == [str(c) for c in liable]
    assert "customer_ids" not in later.splitlines()[0]  # the CSV's columns are as they were
    stored = await fetch_value(
        "SELECT decided_by_subject FROM billing.budget_holder_review WHERE debt_id = $1", over_120
    )
    assert stored


async def test_reading_needs_a_token_and_a_role_that_may_read(billing):
    async with http(billing) as client:
        anonymous = await client.get("/management-information/kpis")
        no_roles = await client.get("/management-information/kpis", headers=officer_headers("no.roles"))
        agents = await client.get(
            "/management-information/aged-debt", headers=officer_headers("agents.officer")
        )
        bad_month = await client.get(
            "/management-information/kpis", params={"month": "May"}, headers=officer_headers("auditor")
        )
    assert anonymous.status_code == 401 and "Bearer" in anonymous.headers["www-authenticate"]
    assert no_roles.status_code == 403 and agents.status_code == 403
    assert bad_month.status_code == 422


def test_the_routes_are_in_the_openapi_document(billing):
    paths = billing.runtime.http_app.openapi()["paths"]
    assert "text/csv" in paths["/management-information/kpis"]["get"]["responses"]["200"]["content"]
    assert "/management-information/budget-holder-reviews/{month}/{debt_id}/decision" in paths


async def test_the_command_line_prints_the_months_kpis_as_csv(billing, bills_of_2031):
    cli = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "deploy.cli",
            "billing",
            "management-information",
            "kpis",
            "--month",
            "2031-05",
            "--csv",
        ],
        cwd=PROJECT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    [line] = list(csv.DictReader(io.StringIO(cli.stdout)))
    assert line["period"] == "2031-05"
    assert line["council_tax_collected_pence"] == str(1_140_00)
    assert line["council_tax_rate_percent"] == "54.29"


async def test_the_review_store_pages_narrows_and_scopes_to_directorates_in_sql_as_the_domain_counts(
    billing, heard
):
    """Sundry 10.1: each budget holder reviews the debts they own. The store narrows the month to directorates,
    a status on a day (the SQL twin of `ReviewEntry.status_on`) or one debt and cuts a page in the listing's
    order; `total` counts what matched and `by_status` the month's (of those directorates)."""
    from services.billing.management_information.reviews import (
        BudgetHolderDecision,
        ReviewEntry,
        ReviewStatus,
    )
    from shared.debt_types import DebtType

    month, listed_on, decide_by = date(2040, 1, 1), date(2040, 1, 2), date(2040, 1, 16)
    run = uuid4().hex[:6]  # directorates of this run alone, so the month's other entries never count
    place, operations = f"Place {run}", f"Operations {run}"
    both = frozenset({place, operations})
    debts = [
        await raise_debt(heard, a_sundry_invoice(amount_pence=(i + 1) * 10_00, raised_on=date(2039, 9, 1)))
        for i in range(5)
    ]
    entries = [
        ReviewEntry(
            month,
            debt_id,
            DebtType.SUNDRY,
            "ENV100",
            directorate,
            "Head of " + directorate,
            days,
            120 if days > 120 else 90,
            100_00,
            listed_on,
            decide_by,
        )
        for debt_id, directorate, days in zip(
            debts, [place, place, place, operations, operations], [130, 125, 95, 140, 100], strict=True
        )
    ]
    async with billing.runtime.transaction(ManagementInformationStores.on, billing) as handling:
        store = handling.stores.management_information
        assert await store.list_for_review(month, entries) == 5
        await store.record_decision(
            month, debts[0], BudgetHolderDecision.LEGAL_ACTION, None, "Head", "s-1", date(2040, 1, 10)
        )
        await store.record_decision(
            month, debts[3], BudgetHolderDecision.CANCEL, None, "Head", "s-2", date(2040, 1, 20)
        )
    on = date(2040, 1, 17)  # after the deadline: the undecided are overdue
    async with billing.runtime.transaction(ManagementInformationStores.on, billing) as handling:
        store = handling.stores.management_information
        whole = await store.reviews_of(month, both)
        of_place = await store.reviews_page(month, on, directorates=frozenset({place}), limit=2)
        of_place_next = await store.reviews_page(
            month, on, directorates=frozenset({place}), limit=2, offset=2
        )
        overdue = await store.reviews_page(month, on, directorates=both, status=ReviewStatus.OVERDUE)
        one = await store.reviews_page(month, on, directorates=both, debt_id=debts[4])
        not_theirs = await store.reviews_page(month, on, directorates=frozenset({place}), debt_id=debts[4])
        nobody = await store.reviews_page(month, on, directorates=frozenset())
        past_the_end = await store.reviews_page(month, on, directorates=both, limit=2, offset=10)
    expected: dict[str, int] = {}
    for entry in whole:
        expected[entry.status_on(on).value] = expected.get(entry.status_on(on).value, 0) + 1
    assert expected == {"decided": 1, "decided_late": 1, "overdue": 3}
    assert [e.debt_id for e in whole] == [
        debts[3],
        debts[4],
        debts[0],
        debts[1],
        debts[2],
    ]  # the listing's order
    assert [r.entry.debt_id for r in of_place.listed + of_place_next.listed] == debts[:3]
    assert of_place.total == 3 and of_place.by_status == {"decided": 1, "overdue": 2}
    assert [r.entry.status_on(on) for r in overdue.listed] == [ReviewStatus.OVERDUE] * 3
    assert overdue.total == 3 and overdue.by_status == expected
    assert [r.entry.debt_id for r in one.listed] == [debts[4]] and one.total == 1
    assert one.listed[0].external_reference and len(one.listed[0].customer_ids) == 1
    assert not_theirs.listed == [] and not_theirs.total == 0
    assert nobody.total == 0 and nobody.by_status == {}
    assert past_the_end.listed == [] and past_the_end.total == 5
