"""Court results files (`COURT_RESULTS.md`): received from the configured folder or uploaded over HTTP, checked
whole, and applied whole through the same path as an officer's entry (`court_outcomes`), or quarantined whole
with a report naming every bad row and why. A file is known by its sha256: the same bytes again are not applied
again, whatever the file is called or however it comes.

The folder (`RECOVERY_COURT_RESULTS_FOLDER`): a `*.csv` put there (written elsewhere and moved in, so it is never
read half-written) is taken, and moved to `applied/` or `quarantined/` (with `<name>.report.txt` beside it);
a file already received goes to `duplicates/`. If the database cannot be reached the file stays for next time.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import structlog

from services.recovery.case_state import load_cases
from services.recovery.court_outcomes import outcome_problems, record_outcome
from services.recovery.domain.court_results_file import RowProblem, parse_court_results
from services.recovery.recovery import Recovery
from services.recovery.stores import RecoveryStores
from services.recovery.stores.court_results_files import CourtResultsFileReceipt

log = structlog.get_logger("recovery.court_results_files")

APPLIED, QUARANTINED = "applied", "quarantined"


@dataclass(frozen=True)
class FileVerdict:
    """What became of a file: its receipt, and whether this call was the one that received it."""

    receipt: CourtResultsFileReceipt
    first_time: bool


async def receive_court_results(
    service: Recovery, file_name: str, content: bytes, received_via: str, received_by: str
) -> FileVerdict:
    """Check the whole file and apply every row, or none and quarantine it, in one transaction."""
    parsed = parse_court_results(content)
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        files = handling.stores.court_results_files
        await files.lock(parsed.sha256)
        known = await files.receipt(parsed.sha256)
        if known is not None:
            return FileVerdict(known, first_time=False)
        problems = list(parsed.problems)
        cases = await load_cases(handling.stores.cases, service.policies, [r.case_id for r in parsed.rows])
        for row in parsed.rows:
            case = cases.get(row.case_id)
            if case is None:
                problems.append(RowProblem(row.line, "no recovery case with this id", str(row.case_id)))
                continue
            reference = case.row.external_reference or str(case.debt_id)
            if row.account_reference is not None and row.account_reference != reference:
                problems.append(
                    RowProblem(
                        row.line,
                        f"account_reference '{row.account_reference}' is not this case's account",
                        str(row.case_id),
                    )
                )
            problems.extend(
                RowProblem(row.line, p, str(row.case_id)) for p in outcome_problems(case, row.result, today)
            )
        problems.sort(key=lambda p: p.line)
        status = QUARANTINED if problems else APPLIED
        receipt = CourtResultsFileReceipt(
            sha256=parsed.sha256,
            file_name=file_name,
            received_via=received_via,
            received_by=received_by,
            received_on=today,
            status=status,
            row_count=len(parsed.rows) + len({p.line for p in parsed.problems if p.line > 1}),
            problems=tuple(p.as_text() for p in problems),
        )
        await files.add(receipt, content)
        if status == APPLIED:
            recorded_by = f"court results file {file_name} ({received_by})"
            for row in parsed.rows:
                await record_outcome(
                    handling, cases[row.case_id], row.result, recorded_by, today, from_file=parsed.sha256
                )
    log.info("court results file received", file_name=file_name, status=status, rows=receipt.row_count)
    return FileVerdict(receipt, first_time=True)


def report_text(receipt: CourtResultsFileReceipt) -> str:
    """The quarantine report: the file, why it was not applied, and every bad row with its reason."""
    lines = [
        f"Court results file {receipt.file_name} (sha256 {receipt.sha256}) received {receipt.received_on} "
        f"by {receipt.received_by}: {receipt.status}.",
    ]
    if receipt.problems:
        lines.append("Nothing in it was applied. Correct these rows and send the whole file again:")
        lines.extend(f"- {p}" for p in receipt.problems)
    return "\n".join(lines) + "\n"


async def take_folder(service: Recovery, folder: Path) -> int:
    """Receive every `*.csv` in the folder once, moving each to where its verdict says; returns how many."""
    taken = 0
    for file in await asyncio.to_thread(lambda: sorted(folder.glob("*.csv"))):
        content = await asyncio.to_thread(file.read_bytes)
        verdict = await receive_court_results(service, file.name, content, "folder", "court results folder")
        await asyncio.to_thread(_file_away, folder, file, verdict)
        taken += 1
    return taken


def _file_away(folder: Path, file: Path, verdict: FileVerdict) -> None:
    where = folder / (verdict.receipt.status if verdict.first_time else "duplicates")
    where.mkdir(exist_ok=True)
    if verdict.first_time and verdict.receipt.status == QUARANTINED:
        (where / f"{file.name}.report.txt").write_text(report_text(verdict.receipt), encoding="utf-8")
    target = where / file.name
    if target.exists():  # another file of the same name: keep both
        target = where / f"{file.stem}.{verdict.receipt.sha256[:12]}{file.suffix}"
    file.replace(target)


async def court_results_folder_worker(service: Recovery, folder: Path, every_seconds: float) -> None:
    """Background task: take the folder's files as they arrive."""
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    while True:
        try:
            await take_folder(service, folder)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the file stays in the folder and is tried again
            log.error("court results folder failed; will retry", reason=f"{type(error).__name__}: {error}")
        await asyncio.sleep(every_seconds)
