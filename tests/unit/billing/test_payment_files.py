"""A payment file is checked whole before anything is applied: every problem is reported with its line."""

from __future__ import annotations

from datetime import date

from services.billing.domain.payment_file import payments_in, read_payment_file

HEADER = "channel,channel_reference,amount,received_on,account_reference,customer_id,directed_to\n"


def test_a_direct_debit_collection_file_is_read_as_payments_in_pence():
    lines = [
        HEADER,
        "direct_debit,DD-1,127.56,2026-05-01,CT1001,,\n",
        "paypoint,PP-9,5,2026-05-01,CT1002,,\n",
    ]
    read = read_payment_file("dd-2026-05-01.csv", lines)
    assert read.readable and read.payments == 2
    payments = list(payments_in(lines))
    assert [(p.channel_reference, p.amount_pence, p.received_on) for p in payments] == [
        ("DD-1", 127_56, date(2026, 5, 1)),
        ("PP-9", 5_00, date(2026, 5, 1)),
    ]
    assert payments[0].account_reference == "CT1001"


def test_a_customer_may_direct_a_payment_to_named_debts():
    debt = "8d6f9c1e-0000-4000-8000-000000000001"
    lines = [HEADER, f"card,C-1,40.00,2026-05-02,,,{debt}\n"]
    assert read_payment_file("card.csv", lines).readable
    [payment] = payments_in(lines)
    assert [str(d) for d in payment.directed_to] == [debt]


def test_every_unreadable_line_is_reported_with_its_line_number_and_nothing_is_kept_to_apply():
    read = read_payment_file(
        "bad.csv",
        [
            HEADER,
            "direct_debit,DD-1,127.56,2026-05-01,CT1,,\n",
            "direct_debit,DD-2,12.345,2026-05-01,CT2,,\n",
            "direct_debit,DD-3,-4.00,2026-05-01,CT3,,\n",
            "direct_debit,DD-4,4.00,01/05/2026,CT4,,\n",
            "cheque,CH-5,4.00,2026-05-01,CT5,,\n",
            "direct_debit,DD-1,127.56,2026-05-01,CT1,,\n",
            "direct_debit,DD-7,four pounds,2026-05-01,CT7,,\n",
        ],
    )
    assert not read.readable
    assert [p.split(":")[0] for p in read.problems] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
    ]
    assert "pounds and pence" in read.problems[0]
    assert "more than nil" in read.problems[1]
    assert "unknown channel 'cheque'" in read.problems[3]
    assert "the same payment as line 2" in read.problems[4]


def test_a_file_without_the_columns_or_without_payments_cannot_be_applied():
    assert read_payment_file("x.csv", ["reference,amount\n", "A,1.00\n"]).problems == [
        "the header row lacks channel, channel_reference, received_on"
    ]
    assert read_payment_file("empty.csv", [HEADER]).problems == ["the file holds no payments"]
