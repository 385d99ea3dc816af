"""Cases whose timetable has run out and wait for an officer's decision (issue 19): the day each became due for it
(`recovery_case.awaiting_decision_since`) and why (`awaiting_decision_why`: the timetable ran out, an agent reports
an insolvency, a write-off was refused), the tray, and the officers' decisions (`exhausted_decision`,
append-only; migrations `recovery_0012`, `recovery_0013`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from services.recovery.stores.store import Store, as_arrays

# The tray's rule, stated once in SQL (its Python twin: `domain/exhausted_timetable.py` `awaiting_decision`): due
# for a decision, still open (not waiting for a write-off answer, not closed) and not under a live arrangement (an
# arrangement decided and made takes the case out; a default brings it back). A refused write-off is put in the tray
# with the case row's own change (`CaseStore.write_off_refused`), in one statement.
AWAITING_DECISION = (
    "c.awaiting_decision_since IS NOT NULL AND c.status = 'open' "
    "AND c.arrangement_status IS DISTINCT FROM 'live'"
)


@dataclass(frozen=True)
class BecameDue:
    """A case found exhausted, and the day it became due for a decision."""

    case_id: UUID
    due_on: date
    why: str


@dataclass(frozen=True)
class DecisionRecord:
    """An officer's decision on an exhausted case, as stored (part of the case record)."""

    decision_id: UUID
    case_id: UUID
    decision: str
    write_off_reason: str | None
    notes: str
    due_for_decision_on: date
    decided_on: date
    decided_by: str
    write_off_request_id: UUID | None


@dataclass(frozen=True)
class AwaitingCase:
    """One item of the tray: the case, its debt, what is owed, since when it waits, and any earlier decision."""

    case_id: UUID
    debt_id: UUID
    debt_type: str
    policy_group: str | None
    external_reference: str
    customer_ids: list[UUID]
    balance_pence: int
    due_for_decision_on: date
    why: str | None
    last_step_name: str | None
    last_step_on: date | None
    last_decision: str | None
    last_decided_by: str | None
    last_decided_on: date | None

    @classmethod
    def from_mapping(cls, row: Any) -> AwaitingCase:
        values = {name: row[name] for name in cls.__dataclass_fields__}
        values["customer_ids"] = [UUID(str(c)) for c in values["customer_ids"] or []]
        return cls(**values)


class ExhaustedCaseStore(Store):
    """The exhausted-timetable tray and its decisions."""

    _MARK = text(
        """
        UPDATE recovery.recovery_case c
           SET awaiting_decision_since = coalesce(c.awaiting_decision_since, u.due_on),
               awaiting_decision_why = CASE WHEN c.awaiting_decision_since IS NULL THEN u.why
                                            ELSE coalesce(c.awaiting_decision_why, u.why) END
          FROM unnest(CAST(:case_id AS uuid[]), CAST(:due_on AS date[]), CAST(:why AS text[]))
               AS u(case_id, due_on, why)
         WHERE c.case_id = u.case_id AND c.status <> 'closed'
        """
    )
    _SINCE = text(
        f"SELECT c.awaiting_decision_since FROM recovery.recovery_case c WHERE c.case_id = :case_id "
        f"AND {AWAITING_DECISION}"
    )
    _TRAY = text(
        f"""
        SELECT c.case_id, c.debt_id, c.debt_type, c.policy_group, c.external_reference,
               c.customer_ids,
               c.balance_pence, c.awaiting_decision_since AS due_for_decision_on,
               c.awaiting_decision_why AS why,
               s.step_name AS last_step_name, s.taken_on AS last_step_on,
               d.decision AS last_decision, d.decided_by AS last_decided_by, d.decided_on AS last_decided_on
          FROM recovery.recovery_case c
          LEFT JOIN LATERAL (SELECT cs.step_name, cs.taken_on FROM recovery.case_step cs
                              WHERE cs.case_id = c.case_id
                                AND NOT EXISTS (SELECT 1 FROM recovery.step_void v WHERE v.step_id = cs.step_id)
                              ORDER BY cs.taken_on DESC, cs.recorded_at DESC
                              LIMIT 1) s ON true
          LEFT JOIN LATERAL (SELECT x.decision, x.decided_by, x.decided_on FROM recovery.exhausted_decision x
                              WHERE x.case_id = c.case_id ORDER BY x.recorded_at DESC LIMIT 1) d ON true
         WHERE {AWAITING_DECISION} AND c.awaiting_decision_since <= :on
           AND (CAST(:customer_id AS uuid) IS NULL OR EXISTS (
                SELECT 1 FROM recovery.case_customer cc
                 WHERE cc.case_id = c.case_id AND cc.customer_id = CAST(:customer_id AS uuid)))
         ORDER BY c.awaiting_decision_since, c.case_id
        """
    )
    _DECIDED = text(
        """
        INSERT INTO recovery.exhausted_decision (decision_id, case_id, decision, write_off_reason, notes,
               due_for_decision_on, decided_on, decided_by, write_off_request_id)
        VALUES (:decision_id, :case_id, :decision, :write_off_reason, :notes, :due_for_decision_on, :decided_on,
                :decided_by, :write_off_request_id)
        """
    )
    _NO_LONGER_WAITING = text(
        "UPDATE recovery.recovery_case SET awaiting_decision_since = NULL, awaiting_decision_why = NULL "
        "WHERE case_id = :case_id"
    )

    async def became_due(self, due: list[BecameDue]) -> None:
        """Mark these cases as waiting for a decision from their day (a case already waiting keeps its day)."""
        if due:
            await self.session.execute(self._MARK, as_arrays(due))

    async def awaiting_since(self, case_id: UUID) -> date | None:
        """The day the case became due for a decision, if it is in the tray."""
        found: date | None = (await self.session.execute(self._SINCE, {"case_id": case_id})).scalar()
        return found

    async def tray(self, on: date, customer_id: UUID | None = None) -> list[AwaitingCase]:
        """The cases waiting for a decision on `on` (of one customer, when named), the longest waiting first."""
        result = await self.session.execute(self._TRAY, {"on": on, "customer_id": customer_id})
        return [AwaitingCase.from_mapping(r._mapping) for r in result]

    async def decided(self, record: DecisionRecord, *, still_waiting: bool) -> None:
        """Keep the decision; unless the case stays in the tray until it takes effect, it leaves the tray."""
        await self.session.execute(self._DECIDED, as_dict(record))
        if not still_waiting:
            await self.session.execute(self._NO_LONGER_WAITING, {"case_id": record.case_id})


def as_dict(record: DecisionRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in DecisionRecord.__dataclass_fields__}
