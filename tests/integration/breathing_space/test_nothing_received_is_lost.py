"""A document stored as received but never taken in (the process died between the two transactions) is taken in
later by the background check; nothing received is lost."""

from __future__ import annotations

from datetime import date

from tests.council_bus import database, eventually, fetch_value
from tests.integration.breathing_space.council import a_moratorium_reference, a_person, notification


async def test_a_document_stored_but_not_taken_in_is_taken_in_later(breathing_space):
    moratorium = a_moratorium_reference()
    body = notification(
        "new_standard_breathing_space",
        moratorium,
        a_person(),
        [("CT-CRASH-1", "council_tax", 100)],
        start_date=date(2026, 5, 4),
    )
    connection = await database()
    try:
        document_id = await connection.fetchval(
            "INSERT INTO breathing_space.received_document (route, source, body, received_at) "
            "VALUES ('queue', 'crashed', $1, now() - interval '1 minute') RETURNING id",
            body,
        )
    finally:
        await connection.close()
    outcome = await eventually(
        lambda: fetch_value(
            "SELECT outcome FROM breathing_space.received_document WHERE id = $1", document_id
        ),
        lambda found: found is not None,
        timeout=60,
    )
    assert outcome == "accepted"
    assert await fetch_value(
        "SELECT end_date FROM breathing_space.moratorium WHERE moratorium_reference = $1", moratorium
    ) == date(2026, 7, 3)
