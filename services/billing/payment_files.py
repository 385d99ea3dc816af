"""Payment files: the day's direct debit collection, a bank statement, PayPoint or cash office takings, as one file.

Councils receive most money as files (a direct debit collection day brings tens of thousands of payments at
once). A file is checked whole before anything is applied: one unreadable line quarantines the whole file with
a report of every problem, so an officer fixes and resubmits it rather than chasing a half-posted file. A
readable file is applied a chunk per transaction through exactly the same posting as payments arriving as
messages (`post_payments`): the same allocation, the same channel reference applied once, so a file loaded
twice, or a payment both in a file and sent as a message, is applied once.

The format is in domain/payment_file.py and the README.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from services.billing.billing import Billing
from services.billing.domain.payment_file import PaymentFile, payments_in
from services.billing.payments import council_payment, post_payments
from services.billing.stores import BillingStores
from shared.clock import clock
from shared.contracts.billing import PaymentFileLoaded
from shared.contracts.council_systems import PaymentReceived
from shared.contracts.envelope import Envelope
from shared.ids import new_id


@dataclass(frozen=True)
class PaymentFileOutcome:
    """What loading a file did."""

    file: str
    payments: int
    applied: int
    already_applied: int
    quarantined_to: str | None = None
    problems: tuple[str, ...] = ()

    def as_json(self) -> str:
        """For the officer and the benchmark."""
        return json.dumps(self.__dict__ | {"problems": list(self.problems[:100])})


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def quarantine_payment_file(path: Path, read: PaymentFile, quarantine: Path) -> Path:
    """Move an unreadable file, whole, to the quarantine folder with a report of every problem beside it."""
    quarantine.mkdir(parents=True, exist_ok=True)
    kept = quarantine / f"{clock.today().isoformat()}-{path.name}"
    shutil.move(path, kept)
    report = {"file": path.name, "quarantined_on": clock.today().isoformat(), "problems": read.problems}
    kept.with_name(kept.name + ".report.json").write_text(json.dumps(report, indent=2))
    return kept


async def record_quarantined_file(billing: Billing, read: PaymentFile, kept: Path) -> int:
    """Put a quarantined file in the officers' tray (`GET /payment-files/quarantined`); returns its id."""
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        return await handling.stores.payment_files.record_quarantined(
            read.name, str(kept), read.payments, list(read.problems), billing.clock.today()
        )


async def apply_payment_file(
    billing: Billing,
    checked: PaymentFile,
    lines: Iterable[str],
    *,
    chunk_size: int = 2000,
    in_flight: int = 2,
) -> PaymentFileOutcome:
    """Apply every payment of a file found readable, a chunk per transaction (`lines`: the file read again).

    Two chunks are in flight at once, so the database writes one while the next is allocated; the debts each
    chunk changes are locked in id order, so two chunks paying one customer take turns. Every event names the
    file's `billing.payment_file.loaded` (published once the file is applied) as its cause."""
    if not checked.readable:
        raise ValueError(f"{checked.name} cannot be applied: {checked.problems[0]}")
    load_id = new_id()
    producer = billing.runtime.outbox.service
    cause = Envelope.wrap(_loaded(checked, 0, billing), producer=producer, event_id=load_id)
    applied = 0
    running: set[asyncio.Task[int]] = set()
    try:
        for chunk in _chunks(payments_in(lines), chunk_size):
            if len(running) >= in_flight:
                finished, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                applied += sum(task.result() for task in finished)
            running.add(asyncio.create_task(_apply_chunk(billing, chunk, cause)))
        applied += sum(await asyncio.gather(*running))
    finally:
        for task in running:
            task.cancel()
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        loaded = Envelope.wrap(_loaded(checked, applied, billing), producer=producer, event_id=load_id)
        await handling.outbox.add_envelopes([loaded])
    return PaymentFileOutcome(checked.name, checked.payments, applied, checked.payments - applied)


async def _apply_chunk(billing: Billing, chunk: list[PaymentReceived], cause: Envelope) -> int:
    async with billing.runtime.transaction(BillingStores.on, billing, cause=cause) as handling:
        return await post_payments(handling, [(council_payment(p), cause) for p in chunk])


def _loaded(checked: PaymentFile, applied: int, billing: Billing) -> PaymentFileLoaded:
    return PaymentFileLoaded(
        file_name=checked.name,
        payments=checked.payments,
        applied=applied,
        already_applied=checked.payments - applied,
        loaded_on=billing.clock.today(),
    )
