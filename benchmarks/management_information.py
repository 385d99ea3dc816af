"""Management information benchmark: the month's KPIs and the bad debt provision over 500,000 debts.

Run: .venv/bin/python -m benchmarks.management_information [debts]   (default 500,000)

Seeds billing's tables set-based (one INSERT ... SELECT FROM generate_series per table, no row-by-row inserts):
40% council tax and 10% business rates bills of 2026/27 with 10 monthly instalments and 0-6 of them paid, 10%
housing benefit overpayments (a fifth of them under a recovery arrangement, some of those defaulted), 40% sundry
invoices due over the last 400 days, half of them paid. Then times, as billing serves them:
1. the month's KPIs (September 2026: in-year council tax and business rates collection, HB overpayments not
   under arrangement, sundry older than three months), one statement, run twice (cold and warm caches);
2. the bad debt provision and aged debt by directorate as at 30 September 2026;
3. the monthly budget-holder listing (debts over 90 and 120 days) on 1 October 2026.
No test asserts a time; this prints them.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

import asyncpg

from benchmarks.infrastructure import benchmark_servers
from shared.persistence.database import asyncpg_dsn

T = TypeVar("T")
MONTH_END = date(2026, 9, 30)
LISTED_ON = date(2026, 10, 1)

# n % 10: 0-3 council tax, 4 business rates, 5 housing benefit overpayment, 6-9 sundry
_KIND = """CASE WHEN n % 10 < 4 THEN 'council_tax' WHEN n % 10 = 4 THEN 'business_rates'
    WHEN n % 10 = 5 THEN 'housing_benefit_overpayment' ELSE 'sundry' END"""
_BILLED = "n % 10 < 5"
_INSTALMENT = "(10000 + (n % 900) * 10)"  # pence per instalment: the bill is ten of them
_SINGLE = "(2500 + (n % 5000) * 7)"  # an invoice or overpayment, pence
_DUE = "(DATE '2026-09-30' - (n % 400))"  # a single-payment debt's due date
_PAID_INSTALMENTS = "(n / 10 % 7)"  # 0-6 of the ten instalments paid (one a month from April)
_SINGLE_PAID = "(n % 10 >= 6 AND n / 10 % 2 = 0)"  # half the sundry invoices are paid in full

SEED = [
    f"""INSERT INTO billing.debt (debt_id, requesting_system, external_reference, debt_type, amount_pence,
        financial_year, due_date, raised_on, originating_service, income_code, evidence_reference, status)
    SELECT md5('mi-bench-' || n)::uuid, 'benchmark', 'MI-' || n, {_KIND},
        CASE WHEN {_BILLED} THEN 10 * {_INSTALMENT} ELSE {_SINGLE} END, '2026/27',
        CASE WHEN {_BILLED} THEN DATE '2026-04-01' ELSE {_DUE} END,
        CASE WHEN {_BILLED} THEN DATE '2026-03-10' ELSE {_DUE} - 30 END,
        'Service ' || (n % 7), 'IC' || (n % 20), 'benchmark', 'open'
    FROM generate_series(1, $1) AS n""",
    f"""INSERT INTO billing.debt_line (debt_id, number, kind, due_date, amount_pence, outstanding_pence)
    SELECT md5('mi-bench-' || n)::uuid, k, 'instalment',
        CASE WHEN {_BILLED} THEN (DATE '2026-04-01' + make_interval(months => k - 1))::date ELSE {_DUE} END,
        CASE WHEN {_BILLED} THEN {_INSTALMENT} ELSE {_SINGLE} END,
        CASE WHEN {_BILLED} AND k <= {_PAID_INSTALMENTS} THEN 0 WHEN {_BILLED} THEN {_INSTALMENT}
             WHEN {_SINGLE_PAID} THEN 0 ELSE {_SINGLE} END
    FROM generate_series(1, $1) AS n, generate_series(1, 10) AS k
    WHERE k = 1 OR {_BILLED}""",
    f"""INSERT INTO billing.posting (debt_id, kind, amount_pence, posted_on)
    SELECT md5('mi-bench-' || n)::uuid, 'charge',
        CASE WHEN {_BILLED} THEN 10 * {_INSTALMENT} ELSE {_SINGLE} END,
        CASE WHEN {_BILLED} THEN DATE '2026-03-10' ELSE {_DUE} - 30 END
    FROM generate_series(1, $1) AS n""",
    f"""INSERT INTO billing.posting (debt_id, kind, amount_pence, posted_on)
    SELECT md5('mi-bench-' || n)::uuid, 'payment', {_INSTALMENT},
        (DATE '2026-04-01' + make_interval(months => k - 1))::date
    FROM generate_series(1, $1) AS n, generate_series(1, 6) AS k
    WHERE {_BILLED} AND k <= {_PAID_INSTALMENTS}""",
    f"""INSERT INTO billing.posting (debt_id, kind, amount_pence, posted_on)
    SELECT md5('mi-bench-' || n)::uuid, 'payment', {_SINGLE}, {_DUE} + 5
    FROM generate_series(1, $1) AS n WHERE {_SINGLE_PAID}""",
    """INSERT INTO billing.arrangement (arrangement_id, made_on, defaulted_on)
    SELECT md5('mi-bench-arrangement-' || n)::uuid, DATE '2026-06-01',
        CASE WHEN n / 10 % 10 = 0 THEN DATE '2026-08-15' END
    FROM generate_series(1, $1) AS n WHERE n % 10 = 5 AND n / 10 % 5 = 0""",
    """INSERT INTO billing.arrangement_debt (arrangement_id, debt_id)
    SELECT md5('mi-bench-arrangement-' || n)::uuid, md5('mi-bench-' || n)::uuid
    FROM generate_series(1, $1) AS n WHERE n % 10 = 5 AND n / 10 % 5 = 0""",
    """UPDATE billing.debt d SET balance_pence = s.balance FROM (
        SELECT debt_id, sum(CASE kind WHEN 'charge' THEN amount_pence ELSE -amount_pence END) AS balance
        FROM billing.posting WHERE debt_id IN (SELECT debt_id FROM billing.debt WHERE requesting_system = 'benchmark')
        GROUP BY debt_id) s
    WHERE s.debt_id = d.debt_id""",
]


async def seed(database_url: str, debts: int) -> None:
    """Billing's tables filled set-based, then analysed."""
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        for statement in SEED:
            await connection.execute(statement, debts) if "$1" in statement else await connection.execute(
                statement
            )
        for table in ("debt", "debt_line", "posting", "arrangement", "arrangement_debt"):
            await connection.execute(f"ANALYZE billing.{table}")
        counts = await connection.fetchrow(
            "SELECT (SELECT count(*) FROM billing.debt) AS debts, (SELECT count(*) FROM billing.debt_line) AS lines,"
            " (SELECT count(*) FROM billing.posting) AS postings"
        )
        print(f"seeded {counts['debts']:,} debts, {counts['lines']:,} lines, {counts['postings']:,} postings")
    finally:
        await connection.close()


async def timed(label: str, work: Callable[[], Awaitable[T]]) -> T:
    started = time.perf_counter()
    result = await work()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


async def main(database_url: str, debts: int) -> None:
    started = time.perf_counter()
    await seed(database_url, debts)
    print(f"seeding took {time.perf_counter() - started:.1f} s")

    from services.billing.bootstrap import bootstrap
    from services.billing.domain.financial_year import financial_year_of
    from services.billing.management_information import reports
    from services.billing.management_information.reports import ManagementInformation
    from services.billing.management_information.settings import ManagementInformationSettings

    billing = bootstrap()
    mi = ManagementInformation(billing, ManagementInformationSettings().policy())
    year = financial_year_of(MONTH_END)
    try:
        for attempt in ("cold", "warm"):
            async with mi.transaction() as handling:
                kpis = await timed(
                    f"the month's KPIs (2026-09, {attempt})",
                    lambda: handling.stores.management_information.kpis(year, MONTH_END),
                )
        print(
            f"  council tax {kpis.council_tax.rate_percent}% of £{kpis.council_tax.net_collectable_debit_pence / 100:,.2f};"
            f" business rates {kpis.business_rates.rate_percent}%;"
            f" HB not under arrangement £{kpis.hb_overpayments_not_under_arrangement_pence / 100:,.2f};"
            f" sundry older than three months £{kpis.sundry_older_than_three_months_pence / 100:,.2f}"
        )
        async with mi.transaction() as handling:
            store = handling.stores.management_information
            provision = await timed(
                "bad debt provision (2026-09-30)",
                lambda: reports.provision_report(store, mi.policy, MONTH_END),
            )
            await timed(
                "aged debt by directorate", lambda: reports.aged_debt_report(store, mi.policy, MONTH_END)
            )
        print(
            f"  provision £{provision.provision_pence / 100:,.2f} of £{provision.unpaid_pence / 100:,.2f} unpaid"
        )
        async with mi.transaction() as handling:
            month, over, listed = await timed(
                "budget-holder listing (2026-10-01)",
                lambda: reports.list_month_for_review(
                    handling.stores.management_information, mi.policy, LISTED_ON
                ),
            )
        print(f"  {over:,} debts over 90 days listed for {month.isoformat()[:7]} ({listed:,} new)")
        print(f"total: {time.perf_counter() - started:.1f} s")
    finally:
        await billing.runtime.database.dispose()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    _, database = benchmark_servers()  # private servers (or AMQP_URL/DATABASE_URL), migrated
    asyncio.run(main(database, int(arguments[0]) if arguments else 500_000))
