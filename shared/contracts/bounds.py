"""What any message may carry: bounds every contract obeys, so that out-of-range input is refused with a reason
when the message is opened, never by the database half-way through a handler (a 10^30 pence amount or a 10 MB
surname once failed inside PostgreSQL; a 2^63-1 pence card payment was accepted).

The bounds are the platform's outer limits, far inside what the database can hold; a council's own limits (the
largest charge it raises, the smallest it chases) are the services' rules on top of these. The public council
systems contracts state their field limits in the AsyncAPI document as well.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

MAX_PENCE = 100_000_000_000
"""£1,000,000,000: no council debt, payment or balance comes near it; bigint's limit is 92 million times more."""
MAX_TEXT = 2_000
"""Characters in any text field not named below (references, codes, short reasons)."""
MAX_LONG_TEXT = 20_000
"""Characters in free text a person writes: descriptions, written reports, notes."""
MAX_NAME = 200
"""Characters in a name, title, address line or organisation name."""
MAX_LIST = 10_000
"""Items in any list (a schedule's lines, a file's records)."""
MAX_LIABLE_PARTIES = 20
"""People and organisations jointly liable for one charge (one blocked billing's queue for 13 s at 5,000)."""
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200

LONG_TEXT_FIELDS = frozenset(
    {"description", "written_report", "notes", "note", "text", "body", "details", "letter_text"}
)
NAME_FIELDS = frozenset(
    {"title", "first_names", "surname", "organisation_name", "name", "lines", "postcode", "debtor_name"}
)
LIST_LIMITS = {"liable_parties": MAX_LIABLE_PARTIES}

# Printable text only in names and addresses: letters, digits, spaces and the punctuation names use. No control
# characters anywhere except line breaks and tabs in long text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class OutOfBounds(ValueError):
    """A field beyond what any message may carry; the text names the field and the bound."""


def check_bounds(model: BaseModel, where: str = "") -> None:
    """Raise `OutOfBounds` for the first field of `model` (and of the models inside it) beyond its bound."""
    for name, value in model:
        _check(name, value, f"{where}{name}")


def _check(name: str, value: Any, where: str) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, str):
        _check_text(name, value, where)
    elif isinstance(value, int):
        if name.endswith("_pence") and not -MAX_PENCE <= value <= MAX_PENCE:
            raise OutOfBounds(f"{where}: {value} pence is beyond the limit of {MAX_PENCE} pence")
    elif isinstance(value, date | datetime):
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise OutOfBounds(f"{where}: year {value.year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    elif isinstance(value, BaseModel):
        check_bounds(value, f"{where}.")
    elif isinstance(value, list | tuple | set | frozenset):
        limit = LIST_LIMITS.get(name, MAX_LIST)
        if len(value) > limit:
            raise OutOfBounds(f"{where}: {len(value)} items, more than the limit of {limit}")
        for index, item in enumerate(value):
            _check(name, item, f"{where}[{index}]")
    elif isinstance(value, dict):
        if len(value) > MAX_LIST:
            raise OutOfBounds(f"{where}: {len(value)} entries, more than the limit of {MAX_LIST}")
        for key, item in value.items():
            _check_text("key", str(key), f"{where} key")
            _check(str(key), item, f"{where}.{key}")


def _check_text(name: str, value: str, where: str) -> None:
    if name in NAME_FIELDS:
        if len(value) > MAX_NAME:
            raise OutOfBounds(f"{where}: {len(value)} characters, more than the limit of {MAX_NAME}")
        if _NAME_CONTROL.search(value) or not value.isprintable():
            raise OutOfBounds(f"{where}: only printable characters are allowed in names and addresses")
        return
    limit = MAX_LONG_TEXT if name in LONG_TEXT_FIELDS else MAX_TEXT
    if len(value) > limit:
        raise OutOfBounds(f"{where}: {len(value)} characters, more than the limit of {limit}")
    if _CONTROL.search(value):
        raise OutOfBounds(f"{where}: control characters are not allowed")
