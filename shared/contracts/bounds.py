"""What any message may carry: bounds every contract obeys, so that out-of-range input is refused with a reason
when the message is opened, never by the database half-way through a handler (a 10^30 pence amount or a 10 MB
surname once failed inside PostgreSQL; a 2^63-1 pence card payment was accepted).

The bounds are the platform's outer limits, far inside what the database can hold; a council's own limits (the
largest charge it raises, the smallest it chases) are the services' rules on top of these. The public council
systems contracts state their field limits in the AsyncAPI document as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin
from uuid import UUID

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
    """Raise `OutOfBounds` for the first field of `model` (and of the models inside it) beyond its bound.

    `model` is as pydantic validated it (this runs after validation), so each field holds its declared type."""
    try:
        _check_model(model)
    except _Breach as breach:
        raise OutOfBounds(f"{where}{breach.tail}") from None


# Checking a payload once walked every field of every model in Python, building a "where" string for each field
# and list item (8% of a busy consumer's CPU, issue 21). Now each model class gets a plan, made once: only the
# fields whose type can carry a bounded value, each with the check for that type. A breach carries its path up
# through the containers, so the path is written only when something is refused. A field whose type the plan does
# not read (a dict, `Any`, a union of several types) is checked by `_check` as before: every bound is as strict.
Check = Callable[[Any], None]


class _Breach(Exception):
    """A value beyond its bound on its way up to `check_bounds`: `tail` is the path from the field reached so far
    and the reason, e.g. `"[2].surname: 300 characters, more than the limit of 200"`."""

    def __init__(self, tail: str) -> None:
        super().__init__(tail)
        self.tail = tail


Plan = tuple[tuple[str, Check], ...]
_PLANS: dict[type[BaseModel], Plan] = {}
_UNBOUNDED = (bool, type(None), UUID, float, Decimal, time)
"""Types no bound applies to (`_check` passes them by)."""


def _check_model(model: BaseModel) -> None:
    cls = type(model)
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _plan_of(cls)
    values = model.__dict__
    for name, check in plan:
        try:
            value = values[name]
        except KeyError:  # a field `model_construct` left unset (never after validation): nothing to check
            continue
        try:
            check(value)
        except _Breach as breach:
            breach.tail = name + breach.tail
            raise
    extra = model.__pydantic_extra__
    if extra:  # a model that keeps unknown fields (no contract: they forbid them)
        for name, value in extra.items():
            _fallback(name)(value)


def _plan_of(cls: type[BaseModel]) -> Plan:
    """The fields of `cls` that need a check, each with its check."""
    plan = ((name, _check_for(name, field.annotation)) for name, field in cls.model_fields.items())
    return tuple((name, check) for name, check in plan if check is not None)


def _check_for(name: str, annotation: Any) -> Check | None:
    """The check for field `name` declared as `annotation`: None when no value of that type has a bound."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _check_for(name, get_args(annotation)[0])
    if origin is Union or origin is UnionType:
        members = get_args(annotation)
        if len(members) == 2 and type(None) in members:  # `X | None`
            inner = _check_for(name, next(m for m in members if m is not type(None)))
            return None if inner is None else _unless_none(inner)
        return _fallback(name)
    if origin in (list, tuple, set, frozenset):
        return _collection_check(name, get_args(annotation))
    if origin is not None or not isinstance(annotation, type):
        return _fallback(name)  # dict, Any, Literal, a type variable...
    if issubclass(annotation, _UNBOUNDED):
        return None
    if issubclass(annotation, str):
        return _text_check(name)
    if issubclass(annotation, int):
        return _check_pence if name.endswith("_pence") else None
    if issubclass(annotation, date):  # (a datetime is a date)
        return _check_year
    if issubclass(annotation, BaseModel):
        return _check_nested
    return _fallback(name)


def _fallback(name: str) -> Check:
    """`_check` as it walks any value, for types the plan does not read."""

    def check(value: Any) -> None:
        try:
            _check(name, value, name)
        except OutOfBounds as refused:
            raise _Breach(str(refused)[len(name) :]) from None

    return check


def _unless_none(check: Check) -> Check:
    def check_unless_none(value: Any) -> None:
        if value is not None:
            check(value)

    return check_unless_none


def _check_pence(value: int) -> None:
    if not -MAX_PENCE <= value <= MAX_PENCE:
        raise _Breach(f": {value} pence is beyond the limit of {MAX_PENCE} pence")


def _check_year(value: date) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise _Breach(f": year {value.year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")


def _check_nested(value: BaseModel) -> None:
    try:
        _check_model(value)
    except _Breach as breach:
        breach.tail = "." + breach.tail
        raise


def _text_check(name: str) -> Check:
    """The check of a text field called `name`: a name's or long text's limits, or any other text's."""
    if name in NAME_FIELDS:

        def check_name(value: str) -> None:
            if len(value) > MAX_NAME or _NAME_CONTROL.search(value) or not value.isprintable():
                try:
                    _check_text(name, value, "")
                except OutOfBounds as refused:
                    raise _Breach(str(refused)) from None

        return check_name
    limit = MAX_LONG_TEXT if name in LONG_TEXT_FIELDS else MAX_TEXT

    def check_text(value: str) -> None:
        if len(value) > limit:
            raise _Breach(f": {len(value)} characters, more than the limit of {limit}")
        if _CONTROL.search(value):
            raise _Breach(": control characters are not allowed")

    return check_text


def _collection_check(name: str, item_types: tuple[Any, ...]) -> Check:
    """A list's (tuple's, set's) length by its name's limit, then each item as a field of that name would be."""
    limit = LIST_LIMITS.get(name, MAX_LIST)
    if len(item_types) == 2 and item_types[1] is Ellipsis:  # tuple[X, ...]
        item_types = item_types[:1]
    item_check = _check_for(name, item_types[0]) if len(item_types) == 1 else _fallback(name)

    def check_collection(value: Any) -> None:
        if len(value) > limit:
            raise _Breach(f": {len(value)} items, more than the limit of {limit}")
        if item_check is not None:
            for index, item in enumerate(value):
                try:
                    item_check(item)
                except _Breach as breach:
                    breach.tail = f"[{index}]{breach.tail}"
                    raise

    return check_collection


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
