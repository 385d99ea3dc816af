"""Notifications that arrive as files (for councils whose transfer from the Insolvency Service drops files).

The folder `BREATHING_SPACE_INBOUND_FOLDER` is polled. Each file (not hidden, not `*.part`/`*.tmp`, which are
still being written) is claimed by renaming it into `processing/` (so two replicas never take the same file),
then taken in exactly like a pushed notification. A taken-in file (accepted or duplicate) moves to `done/`; a
refused one is quarantined whole in `quarantine/`, beside a `<name>.report.txt` saying why. Files left in
`processing/` by a crash are taken in again at start-up (a repeat is a duplicate and changes nothing).
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

import structlog

from services.breathing_space.breathing_space_service import BreathingSpace
from services.breathing_space.intake import REFUSED, Receipt, receive_notification
from services.breathing_space.rounds import in_rounds

log = structlog.get_logger("breathing_space.watched_folder")

_STILL_WRITING = (".part", ".tmp")


def _free_name(folder: Path, name: str, document_id: int) -> Path:
    target = folder / name
    return target if not target.exists() else folder / f"{document_id}-{name}"


async def _take_in_file(service: BreathingSpace, folder: Path, claimed: Path, name: str) -> Receipt:
    body = await asyncio.to_thread(claimed.read_bytes)
    receipt = await receive_notification(service, body, route="folder", source=name)
    if receipt.outcome == REFUSED:
        target = _free_name(folder / "quarantine", name, receipt.received_document_id)
        os.replace(claimed, target)
        report = (
            f"file: {name}\nquarantined_at: {datetime.now(UTC).isoformat()}\n"
            f"received_document_id: {receipt.received_document_id}\nreason: {receipt.reason}\n"
        )
        target.with_name(target.name + ".report.txt").write_text(report)
        log.warning("notification file quarantined", file=name, reason=receipt.reason)
    else:
        os.replace(claimed, _free_name(folder / "done", name, receipt.received_document_id))
    return receipt


def _prepare(folder: Path) -> None:
    for sub in ("processing", "done", "quarantine"):
        (folder / sub).mkdir(parents=True, exist_ok=True)


def _complete_files(folder: Path) -> list[Path]:
    _prepare(folder)
    return [
        path
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".") and not path.name.endswith(_STILL_WRITING)
    ]


async def take_in_folder_once(service: BreathingSpace, folder: Path) -> list[Receipt]:
    """Take in every complete file now in `folder`, in name order; returns what became of each."""
    receipts = []
    for path in await asyncio.to_thread(_complete_files, folder):
        name = path.name
        claimed = folder / "processing" / name
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            continue  # another replica claimed it first
        try:
            receipts.append(await _take_in_file(service, folder, claimed, name))
        except Exception:
            os.replace(claimed, path)  # not taken in: put it back for the next round
            raise
    return receipts


async def take_in_left_in_processing(service: BreathingSpace, folder: Path) -> list[Receipt]:
    """Files a crash left half-way: taken in again (a repeat is a duplicate)."""
    await asyncio.to_thread(_prepare, folder)
    left = await asyncio.to_thread(lambda: sorted((folder / "processing").iterdir()))
    return [await _take_in_file(service, folder, path, path.name) for path in left if path.is_file()]


async def watch_inbound_folder(service: BreathingSpace) -> None:
    """Background task: poll the inbound folder every `folder_poll_interval` (when one is configured)."""
    folder = service.settings.inbound_folder
    if folder is None:
        return
    try:
        await take_in_left_in_processing(service, folder)
    except Exception as error:
        log.warning("could not resume files left in processing", reason=str(error))
    # A file system or database hiccup: the file stays and is tried again next round.
    await in_rounds(
        lambda: take_in_folder_once(service, folder),
        service.settings.folder_poll_interval,
        log,
        "watched folder round failed",
    )
