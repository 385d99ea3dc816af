"""Pages rendered with Jinja: the workbench's templates over GOV.UK Frontend's macros (govuk-frontend-jinja),
with the filters the templates share (money, dates, the council's words)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, select_autoescape

from services.workbench.domain import trays, wording
from services.workbench.domain.forms import FormErrors
from services.workbench.domain.permissions import (
    Action,
    actions_allowed,
    is_budget_holder_only,
    may_read_budget_holder_review,
    may_read_management_information,
)
from shared.money import format_pounds

TEMPLATES = Path(__file__).resolve().parent / "templates"


def pounds(pence: int | None) -> str:
    """£1,234.56 (an empty string for no amount)."""
    return "" if pence is None else format_pounds(int(pence))


def day(value: str | date | datetime | None) -> str:
    """'3 December 2026', as GOV.UK writes dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            parsed: date = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
        value = parsed
    return f"{value.day} {value:%B %Y}"


def month_named(value: str | None) -> str:
    """'May 2026' for billing's '2026-05' (as it came when it is not a month)."""
    try:
        first = date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return value or ""
    return f"{first:%B %Y}"


def present_columns(rows: list[dict[str, Any]], wanted: list[str] | None = None) -> list[str]:
    """The columns of a table of a service's rows: those asked for that some row has with a plain value (all
    plain-valued keys when none are asked), so a field a service adds or drops never breaks a page."""
    keys = wanted or list(dict.fromkeys(key for row in rows for key in row))
    return [
        key
        for key in keys
        if any(key in row and not isinstance(row[key], dict) for row in rows)
        and not all(
            isinstance(row.get(key), list) and row.get(key) and isinstance(row[key][0], dict) for row in rows
        )
    ]


CHOICES: dict[str, dict[str, str]] = {
    "hold_kind": wording.HOLD_KINDS,
    "channel": wording.CONTACT_CHANNELS,
    "direction": wording.CONTACT_DIRECTIONS,
    "write_off_reason": wording.WRITE_OFF_REASONS,
    "exhausted_decision": wording.EXHAUSTED_DECISIONS,
}


def items_of(
    labels: dict[str, str], selected: str | None, selected_key: str = "checked"
) -> list[dict[str, Any]]:
    """Radio, checkbox or select items for a page's {value: label} choices, the officer's earlier answer chosen."""
    return [
        {"value": value, "text": label, selected_key: value == selected} for value, label in labels.items()
    ]


def choices(table: str, selected: str | None, selected_key: str = "checked") -> list[dict[str, Any]]:
    """Radio, checkbox or select items for one of the council's lists, the officer's earlier answer chosen."""
    return items_of(CHOICES[table], selected, selected_key)


def error_of(errors: FormErrors | None, name: str) -> dict[str, str] | None:
    """A GOV.UK component's errorMessage for one field, if the form has an error there."""
    message = errors.by_field.get(name) if errors else None
    return {"text": message} if message else None


def environment() -> Environment:
    """The Jinja environment: our templates first, GOV.UK Frontend's under `govuk_frontend_jinja/`."""
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATES),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pounds"] = pounds
    env.filters["day"] = day
    env.filters["month_named"] = month_named
    env.globals["debt_type_name"] = lambda value: wording.named(wording.DEBT_TYPES, value)
    env.globals["hold_kind_name"] = lambda value: wording.named(wording.HOLD_KIND_NAMES, value)
    env.globals["moratorium_kind_name"] = lambda value: wording.named(wording.MORATORIUM_KINDS, value)
    env.globals["write_off_reason_name"] = lambda value: wording.named(wording.WRITE_OFF_REASONS, value)
    env.globals["channel_name"] = lambda value: wording.named(wording.CONTACT_CHANNELS, value)
    env.globals["named"] = wording.named
    env.globals["present_columns"] = present_columns
    env.globals["choices"] = choices
    env.globals["items_of"] = items_of
    env.globals["error_of"] = error_of
    env.globals["waited"] = lambda since, now: trays.age_in_words(trays.age_of(since, now))
    env.globals["deadline"] = trays.deadline_in_words
    env.globals["review_statuses"] = wording.REVIEW_STATUSES
    env.globals["budget_holder_decisions"] = wording.BUDGET_HOLDER_DECISIONS
    env.globals["age_band_name"] = lambda value: wording.named(wording.AGE_BANDS, value)
    env.globals["reads_management_information"] = lambda officer: bool(
        officer and may_read_management_information(officer.roles)
    )
    env.globals["budget_holder_only"] = lambda officer: bool(officer and is_budget_holder_only(officer.roles))
    env.globals["reaches_budget_holder_review"] = lambda officer: bool(
        officer
        and (
            may_read_budget_holder_review(officer.roles)
            or Action.LIST_BUDGET_HOLDER_REVIEW in actions_allowed(officer.roles)
        )
    )
    return env


class Pages:
    """Renders a named template into a response, with what every page shows (the officer, the council)."""

    def __init__(self, council_name: str) -> None:
        self.env = environment()
        self.council_name = council_name

    def render(self, request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """The page as HTML."""
        context.setdefault("officer", getattr(request.state, "principal", None))
        html = self.env.get_template(template).render(
            council_name=self.council_name, current_path=request.url.path, **context
        )
        return HTMLResponse(html, status_code=status_code)
