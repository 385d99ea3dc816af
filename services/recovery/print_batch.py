"""The daily print batch: every letter issued up to a business date and not yet printed, rendered to PDF (each
stored with its sha256 in `letter_pdf`), and written as one file per print run: a ZIP of the PDFs and a manifest
(`PRINT_BATCH.md` beside this file describes the format) in the configured folder, and, when configured, uploaded
to the hybrid-mail provider's SFTP server (`print_delivery`).

Two phases, so that nothing is printed twice and a failure loses little:
1. render: letters without a PDF are rendered in `render_batch_size` chunks (each chunk its own transaction, the
   rendering spread over `render_workers` processes) and their PDFs stored;
2. write: in one transaction every rendered, unprinted letter is locked, streamed into `<file>.partial` (and, for
   SFTP, uploaded to the server as `.<file>.partial`), the print run and its letters recorded; after the commit
   the file is renamed to its final name (on the server first). If the upload or the commit fails the partial
   files are removed and the letters stay unprinted for the next run.
A letter is posted to its own recipient's address when it has one (an employer's or the DWP's notice after the
order), else to the debtor's; a letter to the debtor with no postal address is held back (and counted) until
billing gives one.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import os
import zipfile
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from uuid import UUID

from services.recovery.letter_pdf import address_of, prepare_renderer, render_many
from services.recovery.letter_settings import LetterSettings
from services.recovery.print_delivery import SftpDrop, SftpDropSession, sftp_drop
from services.recovery.recovery import Recovery
from services.recovery.stores import RecoveryStores
from services.recovery.stores.letters import LetterPdf, LetterStore, LetterToRender, PrintRunRecord
from shared.ids import new_id

MANIFEST_COLUMNS = (
    "sequence",
    "file_name",
    "notice_id",
    "case_id",
    "reference",
    "letter",
    "issued_on",
    "print_variant",
    "language",
    "recipient_kind",
    "pages",
    "sheets",
    "amount_pence",
    "recipient_name",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "address_line_5",
    "postcode",
    "sha256",
)
TOTALS_COLUMNS = ("print_variant", "letters", "pages", "sheets", "amount_pence")
ADDRESS_LINES = 5


@dataclass
class PrintRunSummary:
    """What one print run did."""

    council: str
    business_date: date
    rendered: int = 0
    printed: int = 0
    pages: int = 0
    total_pence: int = 0
    held_without_address: int = 0
    file: Path | None = None
    destination: str = ""
    sha256: str = ""
    by_variant: Counter[str] = field(default_factory=Counter)

    def delivered(self) -> str:
        """Where the run's file went, as the CLI says it: the provider's SFTP drop and the file's name there when
        it was uploaded (the local file is then only the council's copy), else the file in the print folder."""
        if self.file is None:
            return "no file: nothing to print"
        if self.destination.startswith("sftp://"):
            where = self.destination.rstrip("/") + "/" + self.file.name
            return f"delivered to {where} (sha256 {self.sha256}); local copy {self.file}"
        return f"{self.file} (sha256 {self.sha256})"


def render_pool(workers: int) -> ProcessPoolExecutor:
    """Processes that render PDFs (spawned: the parent runs an event loop and database connections), each
    prepared once as it starts (`letter_pdf.prepare_renderer`)."""
    return ProcessPoolExecutor(
        max_workers=max(1, workers), mp_context=get_context("spawn"), initializer=prepare_renderer
    )


async def render_letters(
    letters: list[LetterToRender], pool: ProcessPoolExecutor | None, workers: int
) -> list[LetterPdf]:
    """Every letter's PDF, rendered in the pool (or here when there is none)."""
    items = [(dict(letter.facts), address_of(letter.address_lines, letter.postcode)) for letter in letters]
    if pool is None:
        rendered = render_many(items)
    else:
        loop = asyncio.get_running_loop()
        size = max(1, -(-len(items) // (workers * 4)))
        parts = [items[i : i + size] for i in range(0, len(items), size)]
        results = await asyncio.gather(*(loop.run_in_executor(pool, render_many, part) for part in parts))
        rendered = [r for part in results for r in part]
    return [
        LetterPdf(letter.notice_id, r.page_count, r.sha256, r.pdf)
        for letter, r in zip(letters, rendered, strict=True)
    ]


async def _render_phase(
    service: Recovery, day: date, settings: LetterSettings, summary: PrintRunSummary
) -> None:
    pool = render_pool(settings.render_workers) if settings.render_workers > 1 else None
    try:
        while True:
            async with service.runtime.transaction(RecoveryStores.on, service) as handling:
                ids = await handling.stores.letters.unrendered(
                    service.council, day, settings.render_batch_size
                )
                if not ids:
                    return
                letters = await handling.stores.letters.letters(ids)
                pdfs = await render_letters(letters, pool, settings.render_workers)
                await handling.stores.letters.add_pdfs(pdfs)
                summary.rendered += len(pdfs)
    finally:
        if pool is not None:
            pool.shutdown()


def _manifest_row(sequence: int, name: str, row: Any, duplex: bool) -> list[object]:
    lines = list(row.address_lines or [])[:ADDRESS_LINES]
    lines += [""] * (ADDRESS_LINES - len(lines))
    sheets = -(-row.page_count // 2) if duplex else row.page_count
    return [
        sequence,
        name,
        row.notice_id,
        row.case_id,
        row.reference,
        row.template.removesuffix(".txt.j2"),
        row.issued_on.isoformat(),
        row.print_variant,
        row.language,
        row.recipient_kind,
        row.page_count,
        sheets,
        row.amount_pence,
        row.recipient_name,
        *lines,
        row.postcode,
        row.sha256,
    ]


def _csv(rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


async def _write_phase(
    service: Recovery, day: date, settings: LetterSettings, summary: PrintRunSummary
) -> None:
    folder = settings.print_folder
    folder.mkdir(parents=True, exist_ok=True)
    drop = SftpDrop.of(settings) if settings.print_destination == "sftp" else None
    async with AsyncExitStack() as connections:
        session: SftpDropSession | None = None
        partial: Path | None = None
        committed = False
        try:
            async with service.runtime.transaction(RecoveryStores.on, service) as handling:
                letters = handling.stores.letters
                sequence = await letters.next_sequence(service.council, day)
                name = f"{service.council}-letters-{day.isoformat()}-{sequence:02d}.zip"
                partial = folder / f"{name}.partial"
                written = await _write_file(letters, service.council, day, partial, settings.duplex)
                if written is None:
                    partial.unlink()
                    partial = None
                    return
                printed, totals = written
                sha = _sha256_of(partial)
                if drop is not None:
                    session = await connections.enter_async_context(sftp_drop(drop))
                    await session.stage(partial, name)
                run = PrintRunRecord(
                    print_run_id=new_id(),
                    council=service.council,
                    business_date=day,
                    sequence=sequence,
                    file_name=name,
                    destination=drop.address if drop is not None else str(folder.resolve()),
                    letters=len(printed),
                    pages=totals["all"][1],
                    total_pence=totals["all"][3],
                    sha256=sha,
                )
                await letters.record_print_run(run, printed)
            committed = True
        finally:
            if not committed:
                if partial is not None:
                    partial.unlink(missing_ok=True)
                if session is not None:
                    await session.discard(name)
        if session is not None:
            await session.publish(name)
    assert partial is not None
    os.replace(partial, folder / name)
    summary.printed = len(printed)
    summary.pages = totals["all"][1]
    summary.total_pence = totals["all"][3]
    summary.file = folder / name
    summary.destination = run.destination
    summary.sha256 = sha
    summary.by_variant.update({k: v[0] for k, v in totals.items() if k != "all"})


async def _write_file(
    letters: LetterStore, council: str, day: date, partial: Path, duplex: bool
) -> tuple[list[UUID], dict[str, list[int]]] | None:
    """Stream every rendered, unprinted letter (locking it) into the ZIP at `partial`: the letters in it and the
    totals by print variant and for `all` (letters, pages, sheets, pence); None when there was nothing to print."""
    manifest: list[list[object]] = [list(MANIFEST_COLUMNS)]
    totals: dict[str, list[int]] = {}
    printed: list[UUID] = []
    after: tuple[date, UUID] = (date.min, UUID(int=0))
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        while True:
            rows = await letters.printable(council, day, after, 500)
            if not rows:
                break
            for row in rows:
                number = len(printed) + 1
                pdf_name = f"letters/{number:05d}-{row.notice_id}.pdf"
                archive.writestr(pdf_name, bytes(row.pdf))
                manifest.append(_manifest_row(number, pdf_name, row, duplex))
                sheets = -(-row.page_count // 2) if duplex else row.page_count
                for key in (row.print_variant, "all"):
                    t = totals.setdefault(key, [0, 0, 0, 0])
                    t[0] += 1
                    t[1] += row.page_count
                    t[2] += sheets
                    t[3] += row.amount_pence
                printed.append(row.notice_id)
            after = (rows[-1].issued_on, rows[-1].notice_id)
        if not printed:
            return None
        ordered = sorted(totals, key=lambda k: (k == "all", k))
        archive.writestr("manifest.csv", _csv(manifest))
        archive.writestr("totals.csv", _csv([list(TOTALS_COLUMNS), *([k, *totals[k]] for k in ordered)]))
    return printed, totals


async def print_run(service: Recovery, day: date, settings: LetterSettings | None = None) -> PrintRunSummary:
    """The print run for the council's letters issued up to `day`: render, store, write one file, record it."""
    settings = settings or LetterSettings()
    summary = PrintRunSummary(council=service.council, business_date=day)
    await _render_phase(service, day, settings, summary)
    await _write_phase(service, day, settings, summary)
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        summary.held_without_address = await handling.stores.letters.unaddressed(service.council, day)
    return summary
