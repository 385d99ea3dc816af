"""The Insolvency Service as the breathing space service sees it: notification documents in the documented
format (services/breathing_space/NOTIFICATIONS.md), pushed to the HTTPS endpoint with the request signature."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from services.breathing_space.domain.request_authentication import (
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign_request,
)
from shared.contracts.council_systems import LiableParty


def debtor_as_notified(person: LiableParty) -> dict[str, Any]:
    """The person as the Insolvency Service holds them."""
    assert person.date_of_birth is not None
    return {
        "forenames": person.first_names,
        "surname": person.surname,
        "date_of_birth": person.date_of_birth.isoformat(),
        "current_address": {
            "lines": person.address.lines[:1],
            "town": "Derby",
            "postcode": person.address.postcode,
        },
    }


def new_standard_breathing_space(
    moratorium_reference: str,
    person: LiableParty,
    debts: list[tuple[str, str, int]],
    start_date: date,
    application_date: date | None = None,
) -> bytes:
    """A `new_standard_breathing_space` notification naming the debts the debtor told their adviser about (and,
    when given, the day they applied: the moratorium debts are those owed then, reg 6)."""
    applied = {"application_date": application_date.isoformat()} if application_date else {}
    return json.dumps(
        {
            "schema_version": "1",
            "kind": "new_standard_breathing_space",
            "notification_reference": f"ISN-{uuid4().hex[:12]}",
            "version": 1,
            "moratorium_reference": moratorium_reference,
            "issued_at": datetime.now(UTC).isoformat(),
            "debtor": debtor_as_notified(person),
            "debts": [
                {"creditor_reference": reference, "debt_type": debt_type, "amount_pence": amount}
                for reference, debt_type, amount in debts
            ],
            "start_date": start_date.isoformat(),
            **applied,
        }
    ).encode()


async def push(client: httpx.AsyncClient, body: bytes, secret: str) -> httpx.Response:
    """POST the document to /notifications signed as the Insolvency Service signs it."""
    nonce, stamp = uuid4().hex, str(int(time.time()))
    return await client.post(
        "/notifications",
        content=body,
        headers={
            TIMESTAMP_HEADER: stamp,
            NONCE_HEADER: nonce,
            SIGNATURE_HEADER: sign_request(secret.encode(), stamp, nonce, body),
            "content-type": "application/json",
        },
    )


def breathing_space_environment(
    folders: Path, secret: str, confirmation_window_seconds: int = 2
) -> dict[str, str]:
    """The council's breathing space settings for a scenario: the secret shared with the Insolvency Service, the
    scenario's own inbound and outbound folders under `folders`, the shipped rules with a short confirmation
    window (so an unconfirmed hold would show on the status page at once), and short check intervals."""
    rules = folders / "breathing_space.yaml"
    shipped = (Path(__file__).parents[2] / "services/breathing_space/breathing_space.yaml").read_text()
    rules.write_text(
        re.sub(
            r"(?m)^confirmation_window_seconds: \d+",
            f"confirmation_window_seconds: {confirmation_window_seconds}",
            shipped,
        )
    )
    for folder in ("inbound", "outbound"):
        (folders / folder).mkdir(parents=True, exist_ok=True)
    return {
        "BREATHING_SPACE_SIGNING_SECRET": secret,
        "BREATHING_SPACE_RULES_FILE": str(rules),
        "BREATHING_SPACE_INBOUND_FOLDER": str(folders / "inbound"),
        "BREATHING_SPACE_OUTBOUND_FOLDER": str(folders / "outbound"),
        "BREATHING_SPACE_FOLDER_POLL_INTERVAL": "0.2",
        "BREATHING_SPACE_EXPIRY_CHECK_INTERVAL": "0.2",
        "BREATHING_SPACE_CONFIRMATION_CHECK_INTERVAL": "0.2",
        "BREATHING_SPACE_OUTBOUND_WRITE_INTERVAL": "0.1",
    }
