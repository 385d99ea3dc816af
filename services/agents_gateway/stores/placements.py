"""Placements: one referral of one debt to one agent, from referral to acknowledgement, recall or return.

status: awaiting_file (to go in the next placement file) | refused (no agent may lawfully take it: an officer's
tray item until `decision` is redirected (it is awaiting_file again, with a collection agency) or
returned_to_recovery) | sent | acknowledged | rejected | withdrawn | recalled | returned.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain import debtors
from services.agents_gateway.domain.reconciliation import PlacementSent
from services.agents_gateway.domain.records import DebtorKind
from services.agents_gateway.stores.breathing_spaces import BREATHING_SPACE_COVERS_TODAY

OPEN_STATUSES = ("awaiting_file", "sent", "acknowledged")
"""A placement in one of these is with (or about to go to) its agent."""
WITH_AN_AGENT = ("sent", "acknowledged")
"""A placement in one of these is held by its agent."""


class Placement(BaseModel):
    """One placement as the gateway keeps it (the `placement` table's columns, as `GET /placements/{id}` shows)."""

    model_config = ConfigDict(frozen=True)

    referral_id: UUID
    case_reference: str
    case_id: UUID
    debt_id: UUID
    customer_ids: list[UUID]
    agent_code: str | None = None
    debt_type: str
    agency_kind: str
    balance_pence: int
    referred_on: date
    liability_order_reference: str | None = None
    liability_order_date: date | None = None
    judgment_court: str | None = None
    judgment_claim_number: str | None = None
    judgment_on: date | None = None
    vulnerability_flags: list[str] = []
    contact_notes: str | None = None
    status: str
    refusal: str | None = None
    placed_file_id: int | None = None
    placed_on: date | None = None
    agent_reference: str | None = None
    answered_on: date | None = None
    agent_stage: str | None = None
    recalled_on: date | None = None
    closed_on: date | None = None
    refused_at: datetime | None = None
    decision: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None
    redirected_from: str | None = None
    payments_ahead_pence: int = 0
    """Council payments lowered this placement's balance before billing restated it (see domain/amendments)."""


_COLUMNS = ", ".join(Placement.model_fields)


@dataclass(frozen=True)
class OpenPlacement:
    """A placement with its agent or about to go to one: what amendments, holds and recalls need of it."""

    referral_id: UUID
    case_reference: str
    agent_code: str
    debt_id: UUID
    balance_pence: int
    status: str
    payments_ahead_pence: int = 0
    """Payments taken off the balance that billing has not restated yet (domain/amendments.py)."""


@dataclass(frozen=True)
class PlacedCase:
    """A case placed with an agent (in a file), by its case reference: what an agent's return is checked against."""

    case_reference: str
    referral_id: UUID
    debt_id: UUID
    balance_pence: int
    status: str
    customer_ids: tuple[UUID, ...] = ()
    placed_on: date | None = None
    vulnerable: bool = False
    """The council flagged the debtor vulnerable when referring, or the agent has referred them as vulnerable."""


@dataclass(frozen=True)
class WaitingPlacement:
    """A placement waiting for the agent's next file, its record already built as JSON text."""

    referral_id: UUID
    debt_id: UUID
    record: str


@dataclass(frozen=True)
class RecalledPlacement:
    """A placement the council recalled, and when."""

    case_reference: str
    recalled_on: date


@dataclass(frozen=True)
class NamedDebtor:
    """A debtor as the placement record names them (the SQL twin of `domain/debtors.py`)."""

    kind: DebtorKind
    name: str


# -- the debtor rule in SQL, twin of domain/debtors.py (tests/integration/agents_gateway/test_debtor_rule.py) ---
DEBTOR_IS_AN_ORGANISATION = "d.identity ->> 'kind' = 'organisation'"
"""`debtors.debtor_kind`: the debtor is an organisation when billing registered them as one."""
DEBTOR_KIND = f"CASE WHEN {DEBTOR_IS_AN_ORGANISATION} THEN 'organisation' ELSE 'person' END"
DEBTOR_NAME = (
    f"CASE WHEN {DEBTOR_IS_AN_ORGANISATION} THEN coalesce(d.identity ->> 'organisation_name', '') "
    "ELSE concat_ws(' ', d.identity ->> 'title', d.identity ->> 'first_names', d.identity ->> 'surname') END"
)
"""`debtors.debtor_name`: an organisation by its name, an individual as title, first names and surname."""
assert debtors.ORGANISATION in DEBTOR_IS_AN_ORGANISATION

_GET = text(f"SELECT {_COLUMNS} FROM placement WHERE referral_id = :referral_id")
_INSERT = text(
    f"INSERT INTO placement ({_COLUMNS}) VALUES ("
    + ", ".join(
        f"CAST(:{name} AS jsonb)" if name == "vulnerability_flags" else f":{name}"
        for name in Placement.model_fields
    )
    + ")"
)
_OPEN_CASES_BY_AGENT = text(
    "SELECT agent_code, count(*) FROM placement WHERE status = ANY(:statuses) AND agent_code IS NOT NULL "
    "GROUP BY agent_code"
)
_OPEN_OF_DEBTS = text(
    "SELECT referral_id, case_reference, agent_code, debt_id, balance_pence, status, payments_ahead_pence "
    "FROM placement WHERE debt_id = ANY(:debt_ids) AND status = ANY(:statuses) ORDER BY referral_id"
)
# Every batch update first locks its rows in referral id order, so two batches touching the same placements (two
# inbox batches of balance changes, a return file beside them) queue behind one another instead of each taking
# rows in its own order and deadlocking (issue 14).
_LOCK_IN_ORDER = text(
    "SELECT referral_id FROM placement WHERE referral_id = ANY(CAST(:ids AS uuid[])) ORDER BY referral_id FOR UPDATE"
)
_SET_BALANCES = text(
    "UPDATE placement p SET balance_pence = u.balance, payments_ahead_pence = u.ahead "
    "FROM unnest(CAST(:referral_ids AS uuid[]), CAST(:balances AS bigint[]), CAST(:ahead AS bigint[])) "
    "AS u(referral_id, balance, ahead) WHERE p.referral_id = u.referral_id"
)
_RECALLED = text(
    "UPDATE placement SET status = :status, recalled_on = :recalled_on WHERE referral_id = :referral_id"
)
_REFUSE = text(
    "UPDATE placement SET status = 'refused', refusal = :reason, answered_on = :today WHERE referral_id = :id"
)
_MARK_PLACED = text(
    "UPDATE placement SET status = 'sent', placed_file_id = :file_id, placed_on = :today "
    "WHERE referral_id = ANY(CAST(:ids AS uuid[]))"
)
# Each waiting placement as its record's JSON, built by PostgreSQL: 50,000 records are then validated in one
# call from JSON text, with no Python dictionaries in between. The debtor is billing's liable party, named by
# the rule of domain/debtors.py (DEBTOR_KIND, DEBTOR_NAME above); a debt a breathing space covers today waits.
_WAITING = text(
    f"""
    SELECT p.referral_id, p.debt_id, json_build_object(
      'case_reference', p.case_reference,
      'placed_on', CAST(:today AS date),
      'debtor', json_strip_nulls(json_build_object(
          'kind', {DEBTOR_KIND},
          'name', {DEBTOR_NAME},
          'date_of_birth', d.identity ->> 'date_of_birth',
          'address', json_build_object(
              'lines', coalesce(d.identity -> 'address' -> 'lines', '[]'::jsonb),
              'postcode', coalesce(d.identity -> 'address' ->> 'postcode', '')),
          'telephone', d.identity ->> 'phone',
          'email', d.identity ->> 'email')),
      'debts', json_build_array(json_strip_nulls(json_build_object(
          'debt_reference', p.debt_id::text,
          'debt_type', p.debt_type,
          'balance_pence', p.balance_pence,
          'liability_order', CASE WHEN p.liability_order_reference IS NOT NULL
                                   AND p.liability_order_date IS NOT NULL THEN json_build_object(
              'court', CAST(:court AS text), 'granted_on', p.liability_order_date,
              'order_reference', p.liability_order_reference, 'amount_pence', p.balance_pence) END,
          'judgment', CASE WHEN p.judgment_claim_number IS NOT NULL AND p.judgment_on IS NOT NULL
                           THEN json_build_object(
              'court', coalesce(p.judgment_court, 'County Court'), 'claim_number', p.judgment_claim_number,
              'judgment_on', p.judgment_on, 'amount_pence', p.balance_pence) END))),
      'vulnerability_flags', p.vulnerability_flags,
      'contact_notes', CASE WHEN p.contact_notes IS NOT NULL
                            THEN json_build_array(json_build_object('noted_on', p.referred_on,
                                                                    'note', p.contact_notes))
                            ELSE '[]'::json END
    )::text AS record
    FROM placement p JOIN debtor d ON d.customer_id = p.customer_ids[1]
    WHERE p.agent_code = :agent AND p.status = 'awaiting_file'
      AND NOT EXISTS (
        SELECT 1 FROM breathing_space_period b WHERE b.debt_id = p.debt_id AND {BREATHING_SPACE_COVERS_TODAY})
    ORDER BY p.referred_on, p.case_reference
    """
)
_NAMED_DEBTORS = text(
    f"SELECT d.customer_id, {DEBTOR_KIND} AS kind, {DEBTOR_NAME} AS name FROM debtor d "
    "WHERE d.customer_id = ANY(CAST(:ids AS uuid[]))"
)
_PLACED_WITH = text(
    """
    SELECT p.case_reference, p.referral_id, p.debt_id, p.balance_pence, p.status, p.customer_ids, p.placed_on,
           jsonb_array_length(p.vulnerability_flags) > 0 OR EXISTS (
               SELECT 1 FROM agent_activity a
               WHERE a.referral_id = p.referral_id AND a.record_kind = 'vulnerability_referral'
           ) AS vulnerable
    FROM placement p
    WHERE p.agent_code = :agent AND p.placed_file_id IS NOT NULL
    """
)
_ACKNOWLEDGE = text(
    """
    UPDATE placement p SET status = 'acknowledged', agent_reference = u.agent_reference, answered_on = u.on_day
    FROM unnest(CAST(:ids AS uuid[]), CAST(:references AS text[]), CAST(:days AS date[]))
         AS u(referral_id, agent_reference, on_day)
    WHERE p.referral_id = u.referral_id AND p.status = 'sent'
    RETURNING p.referral_id
    """
)
_REJECT = text(
    """
    UPDATE placement p SET status = 'rejected', refusal = u.reason, answered_on = u.on_day
    FROM unnest(CAST(:ids AS uuid[]), CAST(:reasons AS text[]), CAST(:days AS date[])) AS u(referral_id, reason, on_day)
    WHERE p.referral_id = u.referral_id AND p.status IN ('sent', 'acknowledged')
    RETURNING p.referral_id
    """
)
_STAGES = text(
    """
    UPDATE placement p SET agent_stage = u.stage
    FROM unnest(CAST(:ids AS uuid[]), CAST(:stages AS text[])) AS u(referral_id, stage)
    WHERE p.referral_id = u.referral_id
    """
)
_RETURNED = text(
    """
    UPDATE placement p SET status = 'returned', closed_on = u.on_day
    FROM unnest(CAST(:ids AS uuid[]), CAST(:days AS date[])) AS u(referral_id, on_day)
    WHERE p.referral_id = u.referral_id
    """
)
# The officers' tray: referrals refused and not yet redirected or returned to recovery, the longest waiting first.
REFUSED_AWAITING_AN_OFFICER = "status = 'refused' AND decision IS NULL"
_REFUSED_TRAY = text(
    f"SELECT {_COLUMNS} FROM placement WHERE {REFUSED_AWAITING_AN_OFFICER} ORDER BY refused_at NULLS FIRST, referral_id LIMIT :limit"
)
_REFUSED_COUNT = text(f"SELECT count(*), min(refused_at) FROM placement WHERE {REFUSED_AWAITING_AN_OFFICER}")
_REDIRECT = text(
    f"""
    UPDATE placement SET status = 'awaiting_file', redirected_from = coalesce(agent_code, agency_kind),
           agent_code = :agent, agency_kind = :kind, decision = 'redirected', decided_by = :officer,
           decided_at = :at, decision_reason = :reason
    WHERE referral_id = :id AND {REFUSED_AWAITING_AN_OFFICER}
    RETURNING referral_id
    """
)
_RETURN_TO_RECOVERY = text(
    f"""
    UPDATE placement SET decision = 'returned_to_recovery', decided_by = :officer, decided_at = :at,
           decision_reason = :reason, closed_on = :today
    WHERE referral_id = :id AND {REFUSED_AWAITING_AN_OFFICER}
    RETURNING referral_id
    """
)
_OF_CUSTOMER = text(
    f"SELECT {_COLUMNS} FROM placement WHERE customer_ids @> ARRAY[CAST(:customer_id AS uuid)] "
    "ORDER BY referred_on DESC, referral_id LIMIT :limit"
)
_SENT_UNANSWERED = text(
    "SELECT case_reference, agent_code, placed_on FROM placement WHERE status = 'sent' AND placed_on IS NOT NULL"
)
_RECALLED_CASES = text("SELECT case_reference, recalled_on FROM placement WHERE recalled_on IS NOT NULL")


class PlacementStore:
    """The gateway's placements."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _lock_in_order(self, referral_ids: Sequence[UUID]) -> None:
        await self.session.execute(_LOCK_IN_ORDER, {"ids": list(referral_ids)})

    async def get(self, referral_id: UUID) -> Placement | None:
        """The placement of this referral, if any."""
        row = (await self.session.execute(_GET, {"referral_id": referral_id})).one_or_none()
        return None if row is None else Placement.model_validate(row._asdict())

    async def of_customer(self, customer_id: UUID, limit: int = 100) -> list[Placement]:
        """The customer's placements, whatever their status, the latest referred first."""
        rows = await self.session.execute(_OF_CUSTOMER, {"customer_id": customer_id, "limit": limit})
        return [Placement.model_validate(row._asdict()) for row in rows]

    async def add(self, placement: Placement) -> None:
        """Record a new placement."""
        values = placement.model_dump()
        values["vulnerability_flags"] = json.dumps(placement.vulnerability_flags)
        await self.session.execute(_INSERT, values)

    async def open_cases_by_agent(self) -> dict[str, int]:
        """How many open placements each agent has (to share new work)."""
        rows = await self.session.execute(_OPEN_CASES_BY_AGENT, {"statuses": list(OPEN_STATUSES)})
        return {code: int(count) for code, count in rows.tuples()}

    async def open_of_debts(self, debt_ids: Sequence[UUID]) -> list[OpenPlacement]:
        """Placements of these debts that are with an agent or about to go to one."""
        return await self._of_debts(debt_ids, OPEN_STATUSES)

    async def with_agents(self, debt_ids: Sequence[UUID]) -> list[OpenPlacement]:
        """Placements of these debts that an agent holds (sent, acknowledged)."""
        return await self._of_debts(debt_ids, WITH_AN_AGENT)

    async def _of_debts(self, debt_ids: Sequence[UUID], statuses: Sequence[str]) -> list[OpenPlacement]:
        rows = await self.session.execute(
            _OPEN_OF_DEBTS, {"debt_ids": list(debt_ids), "statuses": list(statuses)}
        )
        return [OpenPlacement(*row) for row in rows.tuples()]

    async def set_balances(self, balances: Mapping[UUID, int], payments_ahead: Mapping[UUID, int]) -> None:
        """Many placements' new balances (and payments not yet restated by billing), in one statement."""
        if not balances:
            return
        ids = sorted(balances)
        await self._lock_in_order(ids)
        await self.session.execute(
            _SET_BALANCES,
            {
                "referral_ids": ids,
                "balances": [balances[i] for i in ids],
                "ahead": [payments_ahead.get(i, 0) for i in ids],
            },
        )

    async def recall(self, referral_id: UUID, status: str, recalled_on: date) -> None:
        """The council took the case back (`withdrawn` before it was sent, `recalled` after)."""
        await self.session.execute(
            _RECALLED, {"status": status, "recalled_on": recalled_on, "referral_id": referral_id}
        )

    async def refuse(self, referral_id: UUID, reason: str, today: date) -> None:
        """The placement cannot be sent: refused with the reason."""
        await self.session.execute(_REFUSE, {"reason": reason, "today": today, "id": referral_id})

    async def waiting_for(self, agent_code: str, today: date, court: str) -> list[WaitingPlacement]:
        """Placements waiting for the agent's next file whose debtor is known and whose debt is not in a
        breathing space today, each as its record's JSON, oldest referral first."""
        rows = await self.session.execute(_WAITING, {"agent": agent_code, "today": today, "court": court})
        return [WaitingPlacement(*row) for row in rows.tuples()]

    async def named_debtors(self, customer_ids: Sequence[UUID]) -> dict[UUID, NamedDebtor]:
        """Debtors as the placement statement names them (the SQL twin of domain/debtors.py, for its test)."""
        rows = await self.session.execute(_NAMED_DEBTORS, {"ids": list(customer_ids)})
        return {customer_id: NamedDebtor(DebtorKind(kind), name) for customer_id, kind, name in rows.tuples()}

    async def mark_placed(self, referral_ids: Sequence[UUID], file_id: int, today: date) -> None:
        """These placements went in this file."""
        await self._lock_in_order(referral_ids)
        await self.session.execute(
            _MARK_PLACED, {"file_id": file_id, "today": today, "ids": list(referral_ids)}
        )

    async def placed_with(self, agent_code: str) -> dict[str, PlacedCase]:
        """The cases this agent has been sent, by case reference."""
        rows = await self.session.execute(_PLACED_WITH, {"agent": agent_code})
        return {
            reference: PlacedCase(
                reference, referral, debt, balance, status, tuple(customers), placed_on, vulnerable
            )
            for reference, referral, debt, balance, status, customers, placed_on, vulnerable in rows.tuples()
        }

    async def acknowledge(
        self, referral_ids: Sequence[UUID], agent_references: Sequence[str], days: Sequence[date]
    ) -> set[UUID]:
        """Mark sent placements acknowledged; the referral ids that were (not those already answered)."""
        await self._lock_in_order(referral_ids)
        rows = await self.session.execute(
            _ACKNOWLEDGE,
            {"ids": list(referral_ids), "references": list(agent_references), "days": list(days)},
        )
        return set(rows.scalars())

    async def reject(
        self, referral_ids: Sequence[UUID], reasons: Sequence[str], days: Sequence[date]
    ) -> set[UUID]:
        """Mark placements the agent refused; the referral ids that were."""
        await self._lock_in_order(referral_ids)
        rows = await self.session.execute(
            _REJECT, {"ids": list(referral_ids), "reasons": list(reasons), "days": list(days)}
        )
        return set(rows.scalars())

    async def set_stages(self, referral_ids: Sequence[UUID], stages: Sequence[str]) -> None:
        """The enforcement stage each agent reports."""
        await self._lock_in_order(referral_ids)
        await self.session.execute(_STAGES, {"ids": list(referral_ids), "stages": list(stages)})

    async def mark_returned(self, referral_ids: Sequence[UUID], days: Sequence[date]) -> None:
        """The agent returned these cases."""
        await self._lock_in_order(referral_ids)
        await self.session.execute(_RETURNED, {"ids": list(referral_ids), "days": list(days)})

    async def refused_awaiting_officer(self, limit: int = 100) -> list[Placement]:
        """Refused referrals no officer has decided yet, the longest waiting first."""
        rows = await self.session.execute(_REFUSED_TRAY, {"limit": limit})
        return [Placement.model_validate(row._asdict()) for row in rows]

    async def refused_count(self) -> tuple[int, datetime | None]:
        """How many refused referrals wait for an officer, and since when the oldest has."""
        count, oldest = (await self.session.execute(_REFUSED_COUNT)).one()
        return int(count), oldest

    async def redirect(
        self,
        referral_id: UUID,
        agent_code: str,
        agency_kind: str,
        officer: str,
        at: datetime,
        reason: str | None,
    ) -> bool:
        """An officer sends a refused referral to another agent: it waits for that agent's next file. False when
        it is not (or no longer) an undecided refusal."""
        row = await self.session.execute(
            _REDIRECT,
            {
                "id": referral_id,
                "agent": agent_code,
                "kind": agency_kind,
                "officer": officer,
                "at": at,
                "reason": reason,
            },
        )
        return row.one_or_none() is not None

    async def return_to_recovery(
        self, referral_id: UUID, officer: str, at: datetime, reason: str, today: date
    ) -> bool:
        """An officer gives a refused referral back to recovery. False when it is not an undecided refusal."""
        row = await self.session.execute(
            _RETURN_TO_RECOVERY,
            {"id": referral_id, "officer": officer, "at": at, "reason": reason, "today": today},
        )
        return row.one_or_none() is not None

    async def sent_unanswered(self) -> list[PlacementSent]:
        """Placements sent and neither acknowledged nor rejected."""
        return [PlacementSent(*row) for row in (await self.session.execute(_SENT_UNANSWERED)).tuples()]

    async def recalled(self) -> list[RecalledPlacement]:
        """Every placement the council recalled."""
        return [RecalledPlacement(*row) for row in (await self.session.execute(_RECALLED_CASES)).tuples()]
