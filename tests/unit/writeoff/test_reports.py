"""Write-off totals by financial year and debt area (Leicester FOI, seed 000), by reason and by band."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from services.writeoff.domain import (
    WriteOffRecord,
    financial_year_of,
    render_csv,
    render_json,
    totals_by_band,
    totals_by_financial_year_and_area,
    totals_by_reason,
)

RECORDS = [
    WriteOffRecord(
        "D1", "leicester", "Council Tax", "deceased_no_estate", "officer", 10_000, date(2021, 4, 1)
    ),
    WriteOffRecord("D2", "leicester", "Council Tax", "statute_barred", "officer", 25_050, date(2022, 3, 31)),
    WriteOffRecord(
        "D3", "leicester", "Parking", "absconded_untraceable", "officer", 7_000, date(2021, 12, 1)
    ),
    WriteOffRecord(
        "D4", "leicester", "Sundry Debt", "formal_insolvency", "cabinet", 2_500_000, date(2022, 4, 1), 500_000
    ),
    WriteOffRecord("D5", "leicester", "Council Tax", "deceased_no_estate", "officer", 5, date(2023, 3, 1)),
]


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2021, 4, 1), "2021/22"),
        (date(2022, 3, 31), "2021/22"),
        (date(2022, 4, 1), "2022/23"),
        (date(1999, 6, 1), "1999/00"),
    ],
)
def test_the_financial_year_runs_from_1_april(day: date, year: str) -> None:
    assert financial_year_of(day) == year


def test_totals_by_financial_year_and_debt_area_answer_the_foi_question() -> None:
    rows = {
        (dict(row.group)["financial_year"], dict(row.group)["debt_area"]): row
        for row in totals_by_financial_year_and_area(RECORDS)
    }
    assert set(rows) == {
        ("2021/22", "Council Tax"),
        ("2021/22", "Parking"),
        ("2022/23", "Sundry Debt"),
        ("2022/23", "Council Tax"),
    }
    council_tax = rows[("2021/22", "Council Tax")]
    assert (council_tax.lines, council_tax.written_off_pence) == (2, 35_050)
    sundry = rows[("2022/23", "Sundry Debt")]
    assert (sundry.written_off_pence, sundry.reinstated_pence, sundry.net_written_off_pence) == (
        2_500_000,
        500_000,
        2_000_000,
    )


def test_totals_by_reason_and_by_band_add_up_to_the_same_grand_total() -> None:
    grand = sum(r.written_off_pence for r in RECORDS)
    for rows in (
        totals_by_reason(RECORDS),
        totals_by_band(RECORDS),
        totals_by_financial_year_and_area(RECORDS),
    ):
        assert sum(row.written_off_pence for row in rows) == grand
    by_reason = {tuple(v for _, v in row.group): row.written_off_pence for row in totals_by_reason(RECORDS)}
    assert by_reason[("2021/22", "deceased_no_estate")] == 10_000


def test_a_report_renders_to_csv_with_a_header_and_pounds() -> None:
    text = render_csv(totals_by_financial_year_and_area(RECORDS))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "financial_year",
        "debt_area",
        "lines",
        "written_off_pence",
        "reinstated_pence",
        "net_written_off_pence",
        "net_written_off_pounds",
    ]
    first = rows[0]
    assert (first["financial_year"], first["debt_area"], first["net_written_off_pounds"]) == (
        "2021/22",
        "Council Tax",
        "350.50",
    )
    assert render_csv([]) == ""


def test_a_report_renders_to_json_with_integer_pence() -> None:
    parsed = json.loads(render_json(totals_by_band(RECORDS)))
    assert parsed[0] == {
        "financial_year": "2021/22",
        "band": "officer",
        "lines": 3,
        "written_off_pence": 42_050,
        "reinstated_pence": 0,
        "net_written_off_pence": 42_050,
        "net_written_off_pounds": "420.50",
    }
    assert json.loads(render_json([])) == []
