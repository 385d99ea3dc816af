"""The daily print batch: one file per print run holding the day's PDFs with a manifest and totals a hybrid-mail
provider can take (services/recovery/PRINT_BATCH.md); every letter printed once, with the PDF and sha256 kept with
the case; letters without a postal address held back and counted (issue 16)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path
from uuid import UUID

import services.recovery
from services.recovery.letter_settings import LetterSettings
from services.recovery.print_batch import MANIFEST_COLUMNS, TOTALS_COLUMNS, print_run
from tests.council_bus import database, fetch_value
from tests.integration.recovery.recovery_bus import a_debt, officer_desk, raise_debt, the_recovery_service
from tests.integration.recovery.test_enforcement_letters_after_the_order import EMPLOYER, a_person
from tests.integration.recovery.test_letters import a_customer, a_reminded_case
from tests.unit.recovery.letter_pages import read_letter


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


async def test_the_days_letters_go_in_one_file_with_a_manifest_and_totals_and_are_printed_once(
    recovery, tmp_path
):
    service = the_recovery_service()
    settings = LetterSettings(print_folder=tmp_path, render_workers=1, render_batch_size=2)
    day = date(2026, 5, 2)
    await print_run(service, day, settings)  # letters of earlier tests on the same day go first
    _person_case, person_notice = await a_reminded_case()
    _business_case, business_notice = await a_reminded_case("organisation")
    _unaddressed_case, unaddressed_notice = await a_reminded_case(address=False)

    summary = await print_run(service, day, settings)

    assert summary.printed == 2 and summary.rendered == 2 and summary.held_without_address >= 1
    assert (
        summary.file is not None
        and summary.file.name == f"derby-letters-2026-05-02-{summary.file.name[-6:-4]}.zip"
    )
    assert not list(tmp_path.glob("*.partial"))
    assert hashlib.sha256(summary.file.read_bytes()).hexdigest() == summary.sha256
    with zipfile.ZipFile(summary.file) as archive:
        manifest = _rows(archive, "manifest.csv")
        totals = _rows(archive, "totals.csv")
        assert list(manifest[0]) == list(MANIFEST_COLUMNS) and list(totals[0]) == list(TOTALS_COLUMNS)
        assert {row["notice_id"] for row in manifest} == {str(person_notice), str(business_notice)}
        for row in manifest:
            pdf = archive.read(row["file_name"])
            assert hashlib.sha256(pdf).hexdigest() == row["sha256"]
            assert read_letter(pdf).pages == int(row["pages"]) and int(row["sheets"]) == -(
                -int(row["pages"]) // 2
            )
            assert row["address_line_2"] == "14 Friar Gate" and row["postcode"] == "DE1 1BU"
            assert row["print_variant"] == "standard" and row["letter"] == "reminder"
            assert row["amount_pence"] == "25000"
        kinds = {row["recipient_kind"] for row in manifest}
        assert kinds == {"individual", "business"}
        everything = next(row for row in totals if row["print_variant"] == "all")
        assert everything["letters"] == "2" and everything["amount_pence"] == "50000"
        assert int(everything["pages"]) == sum(int(row["pages"]) for row in manifest) == summary.pages
    # Kept with the case: each letter's PDF and sha256, and the print run that sent it.
    connection = await database()
    try:
        kept = await connection.fetch(
            "SELECT p.notice_id, p.sha256, r.print_run_id FROM recovery.letter_pdf p "
            "JOIN recovery.print_run_letter r ON r.notice_id = p.notice_id WHERE p.notice_id = ANY($1)",
            [person_notice, business_notice, unaddressed_notice],
        )
        run = await connection.fetchrow(
            "SELECT * FROM recovery.print_run WHERE file_name = $1", summary.file.name
        )
    finally:
        await connection.close()
    assert {r["notice_id"] for r in kept} == {person_notice, business_notice}
    assert {r["sha256"] for r in kept} == {row["sha256"] for row in manifest}
    assert run["letters"] == 2 and run["total_pence"] == 50_000 and run["sha256"] == summary.sha256

    # Nothing is printed twice: the next run that day finds nothing new and writes no file.
    again = await print_run(service, day, settings)
    assert again.printed == 0 and again.file is None
    assert len(list(tmp_path.glob("*.zip"))) == len(await _runs_of_day(day))
    # The letter without an address waits, unprinted, for billing to give one.
    assert (
        await fetch_value(
            "SELECT count(*) FROM recovery.print_run_letter WHERE notice_id = $1", unaddressed_notice
        )
        == 0
    )


async def _runs_of_day(day: date) -> list[str]:
    connection = await database()
    try:
        rows = await connection.fetch(
            "SELECT file_name FROM recovery.print_run WHERE council = 'derby' AND business_date = $1", day
        )
    finally:
        await connection.close()
    return [r["file_name"] for r in rows]


def test_the_documented_format_names_every_column_the_batch_writes() -> None:
    # PRINT_BATCH.md is what a hybrid-mail provider is given: it must describe the file as written.
    documented = (Path(services.recovery.__file__).parent / "PRINT_BATCH.md").read_text(encoding="utf-8")
    for column in MANIFEST_COLUMNS:
        if not column.startswith("address_line_"):
            assert f"| `{column}` |" in documented, column
    assert "`address_line_1` ... `address_line_5`" in documented
    assert "`" + ",".join(TOTALS_COLUMNS) + "`" in documented
    assert "<council>-letters-<business date>-<run>.zip" in documented and "`.partial`" in documented


async def _direct_earnings_attachment(customer: UUID) -> tuple[date, dict[str, str]]:
    """A housing benefit overpayment of the customer on which a senior officer chooses a direct earnings attachment
    naming EMPLOYER: the day its letters were issued, and their notice ids by addressee."""
    case_id = await raise_debt(
        a_debt("housing_benefit_overpayment", due=date(2026, 5, 1), amount=1_800_00, customer_ids=[customer])
    )
    async with officer_desk("senior.officer") as desk:
        chosen = await desk.post(
            f"/cases/{case_id}/enforcement",
            json={"enforcement": "direct_earnings_attachment", "employer": EMPLOYER},
        )
    assert chosen.status_code == 201, chosen.text
    letters = {item["addressee"]: item["notice_id"] for item in chosen.json()["letters"]}
    issued_on = await fetch_value(
        "SELECT issued_on FROM recovery.letter WHERE notice_id = $1", UUID(letters["employer"])
    )
    return issued_on, letters


async def test_a_letter_to_an_employer_is_posted_to_the_employer_and_the_debtors_notice_to_the_debtor(
    recovery, tmp_path
):
    # A hybrid-mail provider addresses envelopes from the manifest: an employer's notice listed at the debtor's
    # address would post the debtor's earnings details to the debtor, and never reach the employer.
    service = the_recovery_service()
    settings = LetterSettings(print_folder=tmp_path, render_workers=1)
    day, letters = await _direct_earnings_attachment(await a_person())
    # A debtor with no postal address on file: their notice waits, the employer's (its own address) prints.
    _, unaddressed = await _direct_earnings_attachment(await a_customer(address=False))

    summary = await print_run(service, day, settings)

    assert summary.file is not None
    with zipfile.ZipFile(summary.file) as archive:
        manifest = {row["notice_id"]: row for row in _rows(archive, "manifest.csv")}
        pdfs = {notice: read_letter(archive.read(row["file_name"])) for notice, row in manifest.items()}
    for employers in (letters["employer"], unaddressed["employer"]):
        row = manifest[employers]
        assert (
            row["recipient_name"] == "Acme Widgets Ltd"
            and row["letter"] == "direct_earnings_attachment_employer"
        )
        assert [row[f"address_line_{n}"] for n in range(1, 6)] == ["Unit 4", "Pride Park", "Derby", "", ""]
        assert row["postcode"] == "DE24 8HX" and pdfs[employers].says("Pride Park")
    debtors = manifest[letters["debtor"]]
    assert "Earner" in debtors["recipient_name"] and debtors["letter"] == "direct_earnings_attachment"
    assert debtors["address_line_2"] == "14 Friar Gate" and debtors["postcode"] == "DE1 1BU"
    assert unaddressed["debtor"] not in manifest and summary.held_without_address >= 1
    assert (
        await fetch_value(
            "SELECT count(*) FROM recovery.print_run_letter WHERE notice_id = $1", UUID(unaddressed["debtor"])
        )
        == 0
    )
