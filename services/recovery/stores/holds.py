"""Holds on cases (`hold`) and their lifts (`hold_lift`, a new row, never an edit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.domain.holds import Hold
from services.recovery.stores.store import Store

# "A hold is in force on a day", as SQL over `recovery.hold h LEFT JOIN recovery.hold_lift l`: the twin of
# `services.recovery.domain.holds.Hold.is_active_on`. In force from its start through its end (inclusive); a hold
# lifted on day D was in force up to D - 1, so not on D. Tested against the Python on the same holds in
# tests/integration/recovery/test_rules_in_sql.py.
HOLD_IN_FORCE_ON_DAY = (
    "(h.starts_on <= :day AND (h.ends_on IS NULL OR h.ends_on >= :day) "
    "AND (l.lifted_on IS NULL OR l.lifted_on > :day))"
)
# "A hold needs review on a day": the twin of `Hold.needs_review_on` (its review date has come and it is still in
# force: only a person may decide to resume).
HOLD_NEEDS_REVIEW_ON_DAY = f"(h.review_on IS NOT NULL AND h.review_on <= :day AND {HOLD_IN_FORCE_ON_DAY})"


@dataclass(frozen=True)
class NewHold:
    """A hold to put on a case, with the id it will carry."""

    hold_id: UUID
    case_id: UUID
    hold: Hold


@dataclass(frozen=True)
class HoldForReview:
    """A hold in force whose review date has come, on a case not closed."""

    case_id: UUID
    hold_id: UUID
    kind: str
    authorised_by: str
    review_on: date
    reason: str


class HoldStore(Store):
    """Putting holds on cases, lifting them, and finding those an officer must look at."""

    _INSERT = text(
        """
        INSERT INTO recovery.hold (hold_id, case_id, kind, reason, authorised_by, starts_on, ends_on, review_on,
                                   disputed_amount_pence, reference, ongoing_after, other_parties_policy,
                                   other_parties_why, other_liable_customer_ids)
        -- Joint debtors travel as comma-joined text: unnest cannot take an array of arrays.
        SELECT u.hold_id, u.case_id, u.kind, u.reason, u.authorised_by, u.starts_on, u.ends_on, u.review_on,
               u.disputed, u.reference, u.ongoing_after, u.policy, u.why,
               coalesce(CAST(string_to_array(nullif(u.others, ''), ',') AS uuid[]), '{}')
          FROM unnest(CAST(:hold_ids AS uuid[]), CAST(:case_ids AS uuid[]), CAST(:kinds AS text[]),
                      CAST(:reasons AS text[]), CAST(:authorised_by AS text[]), CAST(:starts_on AS date[]),
                      CAST(:ends_on AS date[]), CAST(:review_on AS date[]), CAST(:disputed AS bigint[]),
                      CAST(:references AS text[]), CAST(:ongoing_after AS date[]),
                      CAST(:other_parties_policy AS text[]), CAST(:other_parties_why AS text[]),
                      CAST(:others AS text[]))
               AS u(hold_id, case_id, kind, reason, authorised_by, starts_on, ends_on, review_on, disputed,
                    reference, ongoing_after, policy, why, others)
        ON CONFLICT DO NOTHING
        RETURNING hold_id
        """
    )
    _LIFT = text(
        "INSERT INTO recovery.hold_lift (hold_id, lifted_on, lifted_by, reason) "
        "VALUES (:hold_id, :lifted_on, :lifted_by, :reason) ON CONFLICT DO NOTHING RETURNING hold_id"
    )
    _IN_FORCE = text(
        "SELECT h.hold_id FROM recovery.hold h LEFT JOIN recovery.hold_lift l ON l.hold_id = h.hold_id "
        f"WHERE h.hold_id = ANY(:ids) AND {HOLD_IN_FORCE_ON_DAY}"
    )
    _FOR_REVIEW = text(
        "SELECT h.case_id, h.hold_id, h.kind, h.authorised_by, h.review_on, h.reason FROM recovery.hold h "
        "LEFT JOIN recovery.hold_lift l ON l.hold_id = h.hold_id JOIN recovery.recovery_case c "
        f"ON c.case_id = h.case_id WHERE c.status <> 'closed' AND {HOLD_NEEDS_REVIEW_ON_DAY} ORDER BY h.review_on"
    )

    async def put(self, holds: list[NewHold]) -> set[UUID]:
        """Insert the holds in one statement; returns the ids inserted (a moratorium's hold already on a case is
        not put twice)."""
        if not holds:
            return set()
        result = await self.session.execute(
            self._INSERT,
            {
                "hold_ids": [h.hold_id for h in holds],
                "case_ids": [h.case_id for h in holds],
                "kinds": [h.hold.kind.value for h in holds],
                "reasons": [h.hold.reason for h in holds],
                "authorised_by": [h.hold.authorised_by for h in holds],
                "starts_on": [h.hold.start for h in holds],
                "ends_on": [h.hold.end for h in holds],
                "review_on": [h.hold.review_on for h in holds],
                "disputed": [h.hold.disputed_amount for h in holds],
                "references": [h.hold.reference for h in holds],
                "ongoing_after": [h.hold.ongoing_after for h in holds],
                "other_parties_policy": [h.hold.other_parties_policy for h in holds],
                "other_parties_why": [h.hold.other_parties_why for h in holds],
                "others": [",".join(str(c) for c in h.hold.other_liable_customer_ids) for h in holds],
            },
        )
        return {r.hold_id for r in result}

    async def lift(self, hold_id: UUID, lifted_on: date, lifted_by: str, reason: str) -> bool:
        """Record the hold's lift; False when it was already lifted."""
        lifted = await self.session.execute(
            self._LIFT, {"hold_id": hold_id, "lifted_on": lifted_on, "lifted_by": lifted_by, "reason": reason}
        )
        return lifted.first() is not None

    async def in_force_on(self, hold_ids: list[UUID], day: date) -> set[UUID]:
        """Which of these holds are in force on `day` (`HOLD_IN_FORCE_ON_DAY`)."""
        result = await self.session.execute(self._IN_FORCE, {"ids": hold_ids, "day": day})
        return {r.hold_id for r in result}

    async def due_for_review(self, day: date) -> list[HoldForReview]:
        """Holds still in force on `day` whose review date has come, on cases not closed, oldest review first."""
        result = await self.session.execute(self._FOR_REVIEW, {"day": day})
        return [HoldForReview(**r._mapping) for r in result]
