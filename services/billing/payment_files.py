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

import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from services.billing.domain.payment_file import PaymentFile, payments_in
from services.billing.payments import council_payment, post_payments
from shared.clock import clock
from shared.contracts.envelope import Envelope


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


async def apply_payment_file(
    database: Any, checked: PaymentFile, lines: Iterable[str], *, chunk_size: int = 2000
) -> PaymentFileOutcome:
    """Apply every payment of a file found readable, a chunk per transaction (`lines`: the file read again)."""
    if not checked.readable:
        raise ValueError(f"{checked.name} cannot be applied: {checked.problems[0]}")
    applied = 0
    producer = f"payment_file:{checked.name}"
    for chunk in _chunks(payments_in(lines), chunk_size):
        # Each payment's events name the line of the file that caused them, as for a message.
        deliveries = [(council_payment(p), Envelope.wrap(p, producer=producer)) for p in chunk]
        async with database.transaction() as session:
            applied += await post_payments(session, deliveries)
    return PaymentFileOutcome(checked.name, checked.payments, applied, checked.payments - applied)
