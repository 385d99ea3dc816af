"""Reading a payment file: every line checked as a `council_systems.payment.received` message is, and every
problem reported with its line number, so a file is applied whole or not at all (see payment_files).

Format: CSV with a header row: channel (direct_debit | card | bank_transfer | cash | paypoint), channel_reference,
amount (pounds, e.g. 127.56), received_on (YYYY-MM-DD), and optionally account_reference, customer_id and
directed_to (debt ids separated by '|').
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from pydantic import ValidationError

from shared.contracts.council_systems import PaymentReceived

REQUIRED_COLUMNS = ("channel", "channel_reference", "amount", "received_on")
CHANNELS = ("direct_debit", "card", "bank_transfer", "cash", "paypoint")


@dataclass
class PaymentFile:
    """A payment file as checked: how many payments it holds, or every reason it cannot be applied. The
    payments themselves are read again as they are applied (`payments_in`), so a file of any size is held a
    chunk at a time."""

    name: str
    payments: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """True when every line is a payment the council can post."""
        return not self.problems


def read_payment_file(name: str, lines: Iterable[str]) -> PaymentFile:
    """Check every line of the file as a `council_systems.payment.received` message is checked."""
    read = PaymentFile(name)
    rows = csv.DictReader(lines)
    missing = [c for c in REQUIRED_COLUMNS if c not in (rows.fieldnames or [])]
    if missing:
        read.problems.append(f"the header row lacks {', '.join(missing)}")
        return read
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        try:
            payment = _payment(row)
        except (ValueError, ValidationError) as error:
            read.problems.append(f"line {number}: {_reason(error)}")
            continue
        key = (payment.channel, payment.channel_reference)
        if key in seen:
            read.problems.append(
                f"line {number}: the same payment as line {seen[key]} ({payment.channel_reference})"
            )
            continue
        seen[key] = number
        read.payments += 1
    if not read.payments and not read.problems:
        read.problems.append("the file holds no payments")
    return read


def payments_in(lines: Iterable[str]) -> Iterator[PaymentReceived]:
    """The payments of a file `read_payment_file` found readable, in file order."""
    for row in csv.DictReader(lines):
        yield _payment(row)


def _payment(row: dict[str, str | None]) -> PaymentReceived:
    amount = (row.get("amount") or "").strip()
    try:
        pounds = Decimal(amount)
    except InvalidOperation:
        raise ValueError(f"amount {amount!r} is not a sum of money") from None
    if not pounds.is_finite() or pounds.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"amount {amount!r} is not pounds and pence")
    if pounds <= 0:
        raise ValueError(f"amount {amount} must be more than nil (reversals are posted separately)")
    channel = (row.get("channel") or "").strip()
    if channel not in CHANNELS:  # a mislabelled file, not money to post under a made-up channel
        raise ValueError(f"unknown channel {channel!r} (expected one of {', '.join(CHANNELS)})")
    directed = [part.strip() for part in (row.get("directed_to") or "").split("|") if part.strip()]
    return PaymentReceived(
        channel=channel,
        channel_reference=(row.get("channel_reference") or "").strip(),
        amount_pence=int(pounds * 100),
        received_on=_date(row.get("received_on")),
        account_reference=(row.get("account_reference") or "").strip() or None,
        customer_id=UUID(customer) if (customer := (row.get("customer_id") or "").strip()) else None,
        directed_to=[UUID(debt_id) for debt_id in directed],
    )


def _date(text: str | None) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValueError(f"received_on {text!r} is not a date (YYYY-MM-DD)") from None


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(error).splitlines()[0]
