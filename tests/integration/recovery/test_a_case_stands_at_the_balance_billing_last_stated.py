"""A case's balance is the one billing last stated for its debt, and every change billing reports is a line on the
case record, even when many changes of one debt arrive together (billing's busiest events are taken in batches)."""

from __future__ import annotations

from datetime import date

from shared.contracts.billing import BalanceChanged, BalancesChanged
from tests.council_bus import database, eventually, publish_in_one_burst
from tests.integration.recovery.recovery_bus import a_debt, case_row, raise_debt


def a_change(debt, balance: int, change: int, cause: str, day: date) -> BalanceChanged:
    return BalanceChanged(
        debt_id=debt.debt_id,
        customer_ids=list(debt.customer_ids),
        debt_type=debt.debt_type,
        balance_pence=balance,
        change_pence=change,
        cause=cause,
        as_of=day,
    )


async def balance_lines(case_id) -> list[str]:
    connection = await database()
    try:
        rows = await connection.fetch(
            "SELECT summary FROM recovery.case_record WHERE case_id = $1 AND entry = 'balance' ORDER BY entry_id",
            case_id,
        )
    finally:
        await connection.close()
    return [r["summary"] for r in rows]


async def test_several_changes_of_one_debt_in_quick_succession_leave_the_last_balance_and_a_line_each(
    recovery,
):
    sundry = a_debt("sundry", amount=250_00)
    invoice = a_debt("sundry", amount=90_00)
    sundry_case = await raise_debt(sundry)
    invoice_case = await raise_debt(invoice)
    unknown = a_debt("sundry")  # never raised: recovery has no case for it and leaves its change alone
    # Billing states each posting's changes in one message: three postings, of three, one and three changes.
    await publish_in_one_burst(
        [
            BalancesChanged(
                changes=[
                    a_change(sundry, 200_00, -50_00, "payment", date(2026, 5, 2)),
                    a_change(invoice, 95_00, 5_00, "costs", date(2026, 5, 2)),
                    a_change(sundry, 215_00, 15_00, "costs", date(2026, 5, 3)),
                ]
            ),
            BalancesChanged(changes=[a_change(unknown, 10_00, -5_00, "payment", date(2026, 5, 3))]),
            BalancesChanged(
                changes=[
                    a_change(sundry, 140_00, -75_00, "payment", date(2026, 5, 4)),
                    a_change(invoice, 0, -95_00, "credit_note", date(2026, 5, 4)),
                    a_change(sundry, 140_00, 0, "interest", date(2026, 5, 5)),
                ]
            ),
        ],
        producer="billing",
    )

    lines = await eventually(lambda: balance_lines(sundry_case), lambda found: len(found) >= 4)
    invoice_lines = await eventually(lambda: balance_lines(invoice_case), lambda found: len(found) >= 2)

    assert lines == [
        "balance £200.00 after payment (-£50.00)",
        "balance £215.00 after costs (+£15.00)",
        "balance £140.00 after payment (-£75.00)",
        "balance £140.00 after interest (+£0.00)",
    ]
    assert invoice_lines == [
        "balance £95.00 after costs (+£5.00)",
        "balance £0.00 after credit_note (-£95.00)",
    ]
    assert (await case_row(sundry_case))["balance_pence"] == 140_00
    assert (await case_row(invoice_case))["balance_pence"] == 0
    connection = await database()
    try:
        assert not await connection.fetchval(
            "SELECT count(*) FROM recovery.recovery_case WHERE debt_id = $1", unknown.debt_id
        )
    finally:
        await connection.close()
