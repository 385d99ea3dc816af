"""Reads a policy file's `court:` block: the magistrates' court a council's council tax and business rates
summonses go to, and its liability order hearings. A council with a regulated policy and no hearings is refused
at start-up (never a summons without a hearing).

    court:
      name: Derby Magistrates' Court
      address: St Mary's Gate, Derby DE1 3JR
      summons_served_after_working_days: 2        # optional: first class post (Interpretation Act 1978 s7)
      hearings:                                   # one-off sittings, and/or
        - {date: 2026-06-17, at: "10:00"}
      weekly:                                     # a sitting every week (or every N weeks)
        - {weekday: wednesday, at: "10:00", from: 2026-04-01, until: 2027-03-31, every_weeks: 2}
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from yaml.nodes import Node, ScalarNode

from services.recovery.domain.court_sessions import (
    FIRST_CLASS_POST_WORKING_DAYS,
    CourtSessions,
    Hearing,
    Weekday,
    WeeklyHearings,
)

if TYPE_CHECKING:
    from services.recovery.domain.policy_loader import _Reader

_COURT_KEYS = {"name", "address", "summons_served_after_working_days", "hearings", "weekly"}
_HEARING_KEYS = {"date", "at"}
_WEEKLY_KEYS = {"weekday", "at", "from", "until", "every_weeks"}


def read_court(reader: _Reader, node: Node, council: str) -> CourtSessions:
    """The `court:` block as `CourtSessions`; refused with the line and reason when it cannot be used."""
    fields = reader.mapping(node, "court", _COURT_KEYS)
    for required in ("name", "address"):
        if required not in fields:
            raise reader.fail(node, f"the court block must give the court's '{required}'")
    hearings = (
        tuple(_hearing(reader, h) for h in reader.sequence(fields["hearings"], "hearings"))
        if "hearings" in fields
        else ()
    )
    weekly = (
        tuple(_weekly(reader, w) for w in reader.sequence(fields["weekly"], "weekly"))
        if "weekly" in fields
        else ()
    )
    if not hearings and not weekly:
        raise reader.fail(
            node,
            f"council '{council}': the court block lists no liability order hearings (hearings or weekly); "
            "a summons needs a hearing",
        )
    served = (
        reader.whole_number(fields["summons_served_after_working_days"], "summons_served_after_working_days")
        if "summons_served_after_working_days" in fields
        else FIRST_CLASS_POST_WORKING_DAYS
    )
    return CourtSessions(
        court_name=reader.text(fields["name"], "court name"),
        court_address=reader.text(fields["address"], "court address"),
        hearings=tuple(sorted(hearings)),
        weekly=weekly,
        summons_served_after_working_days=served,
    )


def _hearing(reader: _Reader, node: Node) -> Hearing:
    fields = reader.mapping(node, "a hearing", _HEARING_KEYS)
    for required in ("date", "at"):
        if required not in fields:
            raise reader.fail(node, f"a hearing must give '{required}'")
    return Hearing(_date(reader, fields["date"], "date"), _time(reader, fields["at"]))


def _weekly(reader: _Reader, node: Node) -> WeeklyHearings:
    fields = reader.mapping(node, "weekly hearings", _WEEKLY_KEYS)
    for required in ("weekday", "at", "from", "until"):
        if required not in fields:
            raise reader.fail(node, f"weekly hearings must give '{required}'")
    name = reader.text(fields["weekday"], "weekday").upper()
    if name not in Weekday.__members__:
        raise reader.fail(fields["weekday"], f"weekday must be a day of the week, got '{name.lower()}'")
    starts, ends = _date(reader, fields["from"], "from"), _date(reader, fields["until"], "until")
    if ends < starts:
        raise reader.fail(fields["until"], "weekly hearings must end on or after the day they start")
    every = reader.whole_number(fields["every_weeks"], "every_weeks") if "every_weeks" in fields else 1
    if every < 1:
        raise reader.fail(fields["every_weeks"], "every_weeks must be at least 1")
    return WeeklyHearings(Weekday[name], _time(reader, fields["at"]), starts, ends, every)


def _date(reader: _Reader, node: Node, what: str) -> dt.date:
    if isinstance(node, ScalarNode):
        try:
            return dt.date.fromisoformat(str(node.value))
        except ValueError:
            pass
    raise reader.fail(node, f"{what} must be a date (YYYY-MM-DD)")


def _time(reader: _Reader, node: Node) -> dt.time:
    # Read from the text: unquoted 10:00 is a YAML 1.1 base-60 number, but its text is still "10:00".
    if isinstance(node, ScalarNode):
        try:
            return dt.time.fromisoformat(str(node.value).zfill(5))
        except ValueError:
            pass
    raise reader.fail(node, "at must be a time of day (HH:MM)")
