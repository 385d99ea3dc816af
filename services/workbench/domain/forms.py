"""What an officer typed, read as the services need it: GOV.UK date inputs (day, month, year) as dates and
amounts in pounds as pence, with the error messages the GOV.UK Design System recommends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from shared.money import pounds_to_pence


@dataclass
class FormErrors:
    """Errors by field name (the id of the input that needs fixing), in the order the form asks."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Record the first problem with a field."""
        self.by_field.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def summary(self) -> list[dict[str, str]]:
        """The error summary's list: each message linking to its field."""
        return [{"text": message, "href": f"#{name}"} for name, message in self.by_field.items()]


def date_from(
    fields: dict[str, str], name: str, label: str, errors: FormErrors, *, required: bool
) -> date | None:
    """The date of a GOV.UK date input named `name` (fields `name-day`, `name-month`, `name-year`)."""
    parts = [fields.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        if required:
            errors.add(f"{name}-day", f"Enter {label}")
        return None
    if not all(parts):
        missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        errors.add(f"{name}-{missing[0]}", f"{label.capitalize()} must include a {' and '.join(missing)}")
        return None
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1900 or year > 2200:
            raise ValueError("year")
        return date(year, month, day)
    except ValueError:
        errors.add(f"{name}-day", f"{label.capitalize()} must be a real date")
        return None


def pence_from(
    fields: dict[str, str], name: str, label: str, errors: FormErrors, *, required: bool
) -> int | None:
    """An amount typed in pounds ('£1,234.50', '12') as pence; refused when negative or over a penny's
    precision."""
    raw = fields.get(name, "").strip().replace(",", "").removeprefix("£")
    if not raw:
        if required:
            errors.add(name, f"Enter {label}")
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.add(name, f"{label.capitalize()} must be an amount of money, like 125.50")
        return None
    if value < 0:
        errors.add(name, f"{label.capitalize()} must be 0 or more")
        return None
    if value != value.quantize(Decimal("0.01")):
        errors.add(name, f"{label.capitalize()} must be in pounds and pence, like 125.50")
        return None
    return pounds_to_pence(value)


def text_from(fields: dict[str, str], name: str, label: str, errors: FormErrors, *, limit: int = 2000) -> str:
    """A required free-text answer, trimmed."""
    value = fields.get(name, "").strip()
    if not value:
        errors.add(name, f"Enter {label}")
    elif len(value) > limit:
        errors.add(name, f"{label.capitalize()} must be {limit} characters or fewer")
    return value


def choice_from(
    fields: dict[str, str], name: str, choices: dict[str, str], message: str, errors: FormErrors
) -> str:
    """One of the offered choices, or an error."""
    value = fields.get(name, "")
    if value not in choices:
        errors.add(name, message)
    return value
