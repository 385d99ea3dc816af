"""A court results file (COURT_RESULTS.md), uploaded or put in the folder, is applied whole through the same path
as an officer's entry, or quarantined whole with a report naming each bad row; the same file twice is applied
once."""

from __future__ import annotations

from uuid import uuid4

from services.recovery.court_results_files import take_folder
from tests.council_bus import fetch_value
from tests.integration.recovery.recovery_bus import (
    heard_eventually,
    officer_desk,
    steps_of,
    the_recovery_service,
)
from tests.integration.recovery.test_court_outcomes import day, summonsed_council_tax

HEADER = "case_id,heard_on,outcome,court_reference,costs_awarded_pence,adjourned_to\n"


async def upload(content: str, name: str = "court-list.csv"):
    async with officer_desk() as desk:
        return await desk.post(
            "/court-results-files",
            params={"file_name": name},
            content=content.encode(),
            headers={"Content-Type": "text/csv"},
        )


async def outcomes_recorded(case_id) -> int:
    return await fetch_value("SELECT count(*) FROM recovery.court_result WHERE case_id = $1", case_id)


async def test_a_good_file_applies_every_row_once_however_often_it_is_sent(recovery, heard):
    granted, withdrawn = await summonsed_council_tax(), await summonsed_council_tax()
    content = (
        HEADER
        + f"{granted},{day(65)},granted,DMC/LO/{granted.hex[:6]},4000,\n"
        + f"{withdrawn},{day(65)},withdrawn,,,\n"
    )
    response = await upload(content)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "applied" and response.json()["row_count"] == 2
    assert (await steps_of(granted))[-1] == ("liability_order", day(65), False)
    reversal = (await heard_eventually(heard, "recovery.costs.reversed", case_id=withdrawn))[0]
    assert reversal["amount_pence"] == 80_00

    again = await upload(content, name="court-list-copy.csv")
    assert again.status_code == 200 and again.json()["already_received"] is True
    assert again.json()["file_name"] == "court-list.csv"
    assert (await outcomes_recorded(granted), await outcomes_recorded(withdrawn)) == (1, 1)
    assert [s[0] for s in await steps_of(granted)].count("liability_order") == 1


async def test_one_bad_row_quarantines_the_whole_file_with_a_report_naming_each(recovery):
    good, too_soon = await summonsed_council_tax(), await summonsed_council_tax()
    unknown = uuid4()
    content = (
        HEADER
        + f"{good},{day(65)},granted,DMC/LO/{good.hex[:6]},4000,\n"
        + f"{too_soon},{day(50)},granted,DMC/LO/{too_soon.hex[:6]},4000,\n"
        + f"{unknown},{day(65)},withdrawn,,,\n"
    )
    response = await upload(content)
    assert response.status_code == 422, response.text
    receipt = response.json()
    assert receipt["status"] == "quarantined"
    problems = receipt["problems"]
    assert any(p.startswith(f"line 3 (case {too_soon})") and "14 days" in p for p in problems)
    assert any(p.startswith(f"line 4 (case {unknown})") and "no recovery case" in p for p in problems)
    assert not any(p.startswith("line 2") for p in problems)
    assert await outcomes_recorded(good) == 0  # nothing applied, not even the good row
    assert [s[0] for s in await steps_of(good)] == ["first_reminder", "summons"]
    async with officer_desk() as desk:
        later = await desk.get(f"/court-results-files/{receipt['sha256']}")
    assert later.status_code == 200 and later.json()["problems"] == problems


async def test_the_folder_applies_good_files_and_quarantines_bad_ones_beside_their_report(recovery, tmp_path):
    case_id = await summonsed_council_tax()
    (tmp_path / "good.csv").write_text(HEADER + f"{case_id},{day(65)},adjourned,,,{day(93)}\n")
    (tmp_path / "bad.csv").write_text(HEADER + f"{case_id},{day(65)},adjourned,,,\n")
    (tmp_path / "notes.txt").write_text("not a court results file")
    assert await take_folder(the_recovery_service(), tmp_path) == 2
    assert (tmp_path / "applied" / "good.csv").exists()
    assert (tmp_path / "quarantined" / "bad.csv").exists()
    report = (tmp_path / "quarantined" / "bad.csv.report.txt").read_text()
    assert "Nothing in it was applied" in report and f"line 2 (case {case_id})" in report
    assert (tmp_path / "notes.txt").exists()
    assert await outcomes_recorded(case_id) == 1
    (tmp_path / "good-again.csv").write_bytes((tmp_path / "applied" / "good.csv").read_bytes())
    assert await take_folder(the_recovery_service(), tmp_path) == 1
    assert (tmp_path / "duplicates" / "good-again.csv").exists()
    assert await outcomes_recorded(case_id) == 1
