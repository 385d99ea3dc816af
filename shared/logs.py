"""Structured JSON logs with correlation ids, and personal data redacted before anything is written.

Council debt records are personal data (UK GDPR). Logs go to places with wider access than the database, so a
processor strips names, dates of birth, addresses, NI numbers, emails and phone numbers from every event, by key
and by pattern, whatever a developer passes to the logger.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any

import structlog

REDACTED = "[redacted]"

PERSONAL_KEYS = frozenset(
    {
        "name",
        "names",
        "first_name",
        "first_names",
        "forename",
        "forenames",
        "surname",
        "last_name",
        "full_name",
        "debtor_name",
        "customer_name",
        "title_and_name",
        "date_of_birth",
        "dob",
        "birth_date",
        "address",
        "addresses",
        "address_line",
        "address_lines",
        "address_line_1",
        "address_line_2",
        "street",
        "town",
        "postcode",
        "post_code",
        "previous_addresses",
        "ni_number",
        "national_insurance_number",
        "nino",
        "email",
        "email_address",
        "phone",
        "phone_number",
        "telephone",
        "mobile",
        "bank_account",
        "sort_code",
        "account_number",
    }
)

_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # email
    re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I),  # NI number
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I),  # UK postcode
    re.compile(r"(?:\+44\s?|\b0)(?:\d\s?){9,10}\b"),  # UK phone
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b(?=.*\b(born|birth|dob)\b)", re.I),
]


def redact_text(text: str) -> str:
    """Replace emails, NI numbers, postcodes and phone numbers inside free text."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def redact(value: Any, key: str | None = None) -> Any:
    """Redact personal data from a log value, recursively through mappings and sequences."""
    if key is not None and key.lower() in PERSONAL_KEYS:
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [redact(v) for v in value]
    return value


def redact_personal_data(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: every key and value of the event passes through `redact`."""
    return {
        k: (redact(v, k) if k not in ("timestamp", "level", "logger") else v) for k, v in event_dict.items()
    }


def configure_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Set up structlog (and the standard library's logging, which FastStream and aio-pika use) for `service`."""
    shared_processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_personal_data,
    ]
    renderer = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared_processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=renderer, foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared_processors]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    # Python's warnings (deprecations at start-up, for example) as JSON lines too, not bare text on stderr.
    logging.captureWarnings(True)


def bind_message_context(**values: Any) -> None:
    """Bind correlation id, event id and type for everything logged while one message is handled."""
    structlog.contextvars.bind_contextvars(**values)


def clear_message_context(*keys: str) -> None:
    """Unbind what `bind_message_context` bound, keeping the service name."""
    structlog.contextvars.unbind_contextvars(*keys)
