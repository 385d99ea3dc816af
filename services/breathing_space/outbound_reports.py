"""Writing the council's outbound documents ('debts reported back', 'creditor review requested') to the outbound
folder, for the council's transfer to the Insolvency Service (`BREATHING_SPACE_OUTBOUND_FOLDER`).

Handlers only record the report (`debts_report`, with the document) in their transaction; this background task
writes each unwritten one as `<report_reference>.json` (written to a `.part` file, then renamed, so the transfer
never picks up half a file) and records where. The same document also travels on the bus in
`breathing_space.debts.reported_back` (`document`), for councils that forward it from a queue instead.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import structlog

from services.breathing_space.breathing_space_service import BreathingSpace
from services.breathing_space.rounds import in_rounds
from services.breathing_space.stores import BreathingSpaceStores

log = structlog.get_logger("breathing_space.outbound_reports")


def _write(folder: Path, reference: str, document: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{reference}.json"
    partial = target.with_name(target.name + ".part")
    partial.write_text(document)
    os.replace(partial, target)
    return target


async def write_reports_once(service: BreathingSpace, folder: Path) -> int:
    """Write every report not yet written; returns how many were written."""
    written = 0
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        stores = handling.stores
        for outbound in (stores.reports, stores.review_requests):
            for report in await outbound.unwritten():
                target = await asyncio.to_thread(_write, folder, report.report_reference, report.document)
                await outbound.written(report.report_reference, str(target))
                written += 1
    return written


async def write_outbound_reports(service: BreathingSpace) -> None:
    """Background task: write new reports every `outbound_write_interval` (when a folder is configured)."""
    folder = service.settings.outbound_folder
    if folder is None:
        return

    async def one_round() -> None:
        if written := await write_reports_once(service, folder):
            log.info("outbound documents written", documents=written)

    await in_rounds(one_round, service.settings.outbound_write_interval, log, "could not write reports back")
