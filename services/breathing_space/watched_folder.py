"""Notifications that arrive as files (for councils whose transfer from the Insolvency Service drops files).

The folder `BREATHING_SPACE_INBOUND_FOLDER` is polled. Each file (not hidden, not `*.part`/`*.tmp`, which are
still being written, not a `*.signature`) is claimed by renaming it into `processing/` (so two replicas never
take the same file), with its `<name>.signature` beside it: the Insolvency Service's signature, the same three
values as a pushed request's headers (NOTIFICATIONS.md, "Authentication"), which the sender puts in place before
the document is complete. A file without one, or whose signature does not verify, changes nothing: it is
quarantined whole. A signed one is taken in exactly like a pushed notification. A taken-in file (accepted or
duplicate) moves to `done/`; a refused one is quarantined whole in `quarantine/` (its signature file too),
beside a `<name>.report.txt` saying why. Files left in `processing/` by a crash are taken in again at start-up
(a repeat is a duplicate and changes nothing).
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

import structlog

from services.breathing_space.breathing_space_service import BreathingSpace
from services.breathing_space.domain.request_authentication import read_signature_file
from services.breathing_space.intake import REFUSED, Receipt, receive_forwarded_notification
from services.breathing_space.rounds import in_rounds

log = structlog.get_logger("breathing_space.watched_folder")

_STILL_WRITING = (".part", ".tmp")
SIGNATURE_SUFFIX = ".signature"


def signature_file_of(document: Path) -> Path:
    """Where the signature of a notification file is: beside it, named `<name>.signature`."""
    return document.with_name(document.name + SIGNATURE_SUFFIX)


def _read_signature(claimed: Path) -> dict[str, str]:
    # No signature file: no headers, which the check refuses as missing.
    try:
        return read_signature_file(signature_file_of(claimed).read_text(errors="replace"))
    except FileNotFoundError:
        return {}


def _free_name(folder: Path, name: str, document_id: int) -> Path:
    target = folder / name
    return target if not target.exists() else folder / f"{document_id}-{name}"


async def _take_in_file(service: BreathingSpace, folder: Path, claimed: Path, name: str) -> Receipt:
    body = await asyncio.to_thread(claimed.read_bytes)
    signature = await asyncio.to_thread(_read_signature, claimed)
    receipt = await receive_forwarded_notification(service, body, signature, route="folder", source=name)
    if receipt.outcome == REFUSED:
        target = _free_name(folder / "quarantine", name, receipt.received_document_id)
        os.replace(claimed, target)
        _move_signature(claimed, target)
        report = (
            f"file: {name}\nquarantined_at: {datetime.now(UTC).isoformat()}\n"
            f"received_document_id: {receipt.received_document_id}\nreason: {receipt.reason}\n"
        )
        target.with_name(target.name + ".report.txt").write_text(report)
        log.warning("notification file quarantined", file=name, reason=receipt.reason)
    else:
        target = _free_name(folder / "done", name, receipt.received_document_id)
        os.replace(claimed, target)
        _move_signature(claimed, target)
    return receipt


def _move_signature(document: Path, to: Path) -> None:
    # The signature goes wherever its document goes, so a quarantined file can be checked whole.
    if signature_file_of(document).exists():
        os.replace(signature_file_of(document), signature_file_of(to))


def _prepare(folder: Path) -> None:
    for sub in ("processing", "done", "quarantine"):
        (folder / sub).mkdir(parents=True, exist_ok=True)


def _complete_files(folder: Path) -> list[Path]:
    _prepare(folder)
    return [
        path
        for path in sorted(folder.iterdir())
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(_STILL_WRITING)
        and not path.name.endswith(SIGNATURE_SUFFIX)
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
        if signature_file_of(path).exists():
            os.replace(signature_file_of(path), signature_file_of(claimed))
        try:
            receipts.append(await _take_in_file(service, folder, claimed, name))
        except Exception:
            os.replace(claimed, path)  # not taken in: put it back for the next round
            _move_signature(claimed, path)
            raise
    return receipts


async def take_in_left_in_processing(service: BreathingSpace, folder: Path) -> list[Receipt]:
    """Files a crash left half-way: taken in again (a repeat is a duplicate)."""
    await asyncio.to_thread(_prepare, folder)
    left = await asyncio.to_thread(lambda: sorted((folder / "processing").iterdir()))
    return [
        await _take_in_file(service, folder, path, path.name)
        for path in left
        if path.is_file() and not path.name.endswith(SIGNATURE_SUFFIX)
    ]


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
