"""A tray tells how much waits and for how long, or says plainly that its service offers no API for it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.workbench.domain.trays import (
    Tray,
    TrayItem,
    age_in_words,
    deadline_in_words,
    unavailable,
)

NOW = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)


def test_a_tray_counts_its_items_and_words_the_age_of_the_oldest():
    tray = Tray(
        "t",
        "Customer match reviews",
        "billing",
        (
            TrayItem("a", datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "/a"),
            TrayItem("b", datetime(2026, 12, 3, 13, 0, tzinfo=UTC), "/b"),
        ),
    )
    assert tray.count == 2
    assert tray.oldest(NOW) == "2 days"


def test_a_tray_of_deadlines_words_the_nearest():
    tray = Tray(
        "t",
        "ending",
        "breathing space",
        (TrayItem("x", None, "/x", due=date(2026, 12, 8)), TrayItem("y", None, "/y", due=date(2026, 12, 1))),
    )
    assert tray.nearest_deadline(date(2026, 12, 3)) == "overdue by 2 days"
    assert tray.oldest(NOW) is None


def test_a_tray_without_an_api_has_no_count_and_says_which_service_lacks_it():
    tray = unavailable("refunds-due", "Refunds due", "billing")
    assert not tray.available
    assert tray.count is None
    assert tray.unavailable == "not available from billing"


def test_ages_and_deadlines_in_words():
    assert age_in_words(30) == "under a minute"
    assert age_in_words(60) == "1 minute"
    assert age_in_words(5 * 3600 + 59) == "5 hours"
    assert age_in_words(86_400) == "1 day"
    assert deadline_in_words(date(2026, 12, 3), date(2026, 12, 3)) == "due today"
    assert deadline_in_words(date(2026, 12, 4), date(2026, 12, 3)) == "due in 1 day"
    assert deadline_in_words(date(2026, 12, 2), date(2026, 12, 3)) == "overdue by 1 day"
