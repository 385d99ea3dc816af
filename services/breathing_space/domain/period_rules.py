"""How long a breathing space lasts: The Debt Respite Scheme (Breathing Space Moratorium and Mental
Health Crisis Moratorium) (England and Wales) Regulations 2020 (SI 2020/1311).

Counting convention, decided here and used everywhere in this service:

* A standard breathing space (reg. 26) starts on its start date and ends at midnight at the end of
  the day which is 60 days after the day on which it started. "After the day" excludes the start
  day, as in the usual rule for statutory periods, so the last protected day is ``start + 60 days``
  and that day is *inclusive*: a space starting on 1 March 2025 protects the debtor to the end of
  30 April 2025 and recovery may resume on 1 May 2025. Where the reading is doubtful we take the one
  that protects the debtor for longer; a council that reads it otherwise sets ``standard_days`` in
  ``PeriodRules`` (59 gives the shorter reading).
* A mental health crisis breathing space (reg. 32) has no end date while treatment continues; once
  the end of treatment is notified it ends 30 days after that date, again with the last day
  inclusive (``treatment end + 30``).
* Every end date the Insolvency Service notifies (cancelled_on, ended_on, expired_on) is read as the
  last day the debtor was protected, for the same reason.

Start dates may lie in the past when a notification arrives late: the protection still runs from the
start date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class PeriodRules:
    """The two lengths the regulations fix; configurable in case a council counts differently."""

    standard_days: int = 60
    days_after_crisis_treatment: int = 30

    def standard_last_day(self, start: date) -> date:
        """The last day a standard breathing space protects the debtor, if not ended or cancelled sooner."""
        return start + timedelta(days=self.standard_days)

    def crisis_last_day(self, treatment_ended_on: date) -> date:
        """The last day a crisis breathing space protects the debtor once treatment has ended."""
        return treatment_ended_on + timedelta(days=self.days_after_crisis_treatment)


REGULATIONS_2020 = PeriodRules()
