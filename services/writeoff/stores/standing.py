"""What the write-off service knows of each debt from the other services' events (schema `writeoff`):
`debt_standing` (billing), `debt_hold` (recovery), `moratorium_debt` (breathing space) and `agent_placement`
(recovery and the agents gateway).

Each projection converges whatever the order across queues: the latest balance by as-of date, a hold lifted
before its start was heard stays lifted, a moratorium keeps its highest hold version, and a placement closed
before its acknowledgement stays closed. Statements are set-based: billing raises thousands of debts at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import DebtStanding


@dataclass(frozen=True, slots=True)
class RaisedDebt:
    """A debt as billing raised it."""

    debt_id: UUID
    customer_ids: tuple[UUID, ...]
    debt_type: str
    income_code: str
    financial_year: str
    originating_service: str
    amount_pence: int
    raised_on: date
    external_reference: str | None = None
    due_date: date | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    """A debt's balance as of a date, as billing last stated it."""

    debt_id: UUID
    customer_ids: tuple[UUID, ...]
    debt_type: str | None
    balance_pence: int
    as_of: date
    settled: bool


@dataclass(frozen=True, slots=True)
class DescribedDebt:
    """What billing has said of a debt: enough for an officer's request to name it."""

    debt_id: UUID
    customer_ids: tuple[str, ...]
    debt_type: str | None
    income_code: str | None
    financial_year: str | None
    originating_service: str | None


@dataclass(frozen=True, slots=True)
class KnownDebt:
    """A debt's standing and its liable customers."""

    standing: DebtStanding
    customer_ids: tuple[str, ...]


def _json_ids(ids: Iterable[UUID]) -> str:
    return "[" + ",".join(f'"{i}"' for i in ids) + "]"


class StandingStore:
    """The projections of other services' facts about debts."""

    _DEBT_RAISED = text(
        """
        INSERT INTO writeoff.debt_standing (debt_id, customer_ids, debt_type, income_code, financial_year,
                                            originating_service, balance_pence, balance_as_of,
                                            external_reference, due_date, raised_on)
        SELECT d, CAST(c AS json), t, i, y, o, a, r, e, due, r
        FROM unnest(CAST(:debt_ids AS uuid[]), CAST(:customer_ids AS text[]), CAST(:debt_types AS text[]),
                    CAST(:income_codes AS text[]), CAST(:years AS text[]), CAST(:services AS text[]),
                    CAST(:amounts AS bigint[]), CAST(:raised_on AS date[]), CAST(:references AS text[]),
                    CAST(:due_dates AS date[])) AS x(d, c, t, i, y, o, a, r, e, due)
        ON CONFLICT (debt_id) DO UPDATE SET
            customer_ids = EXCLUDED.customer_ids, debt_type = EXCLUDED.debt_type,
            income_code = EXCLUDED.income_code, financial_year = EXCLUDED.financial_year,
            originating_service = EXCLUDED.originating_service,
            external_reference = EXCLUDED.external_reference, due_date = EXCLUDED.due_date,
            raised_on = EXCLUDED.raised_on,
            -- a balance heard before the debt itself is newer than the amount raised
            balance_pence = COALESCE(debt_standing.balance_pence, EXCLUDED.balance_pence),
            balance_as_of = COALESCE(debt_standing.balance_as_of, EXCLUDED.balance_as_of)
        """
    )
    _BALANCES = text(
        """
        INSERT INTO writeoff.debt_standing (debt_id, customer_ids, debt_type, balance_pence, balance_as_of,
                                            settled)
        SELECT d, CAST(c AS json), t, b, a, s
        FROM unnest(CAST(:debt_ids AS uuid[]), CAST(:customer_ids AS text[]), CAST(:debt_types AS text[]),
                    CAST(:balances AS bigint[]), CAST(:as_of AS date[]), CAST(:settled AS boolean[]))
             AS x(d, c, t, b, a, s)
        ON CONFLICT (debt_id) DO UPDATE SET
            balance_pence = EXCLUDED.balance_pence, balance_as_of = EXCLUDED.balance_as_of,
            settled = EXCLUDED.settled
        WHERE debt_standing.balance_as_of IS NULL OR debt_standing.balance_as_of <= EXCLUDED.balance_as_of
        """
    )
    _HOLD = text(
        """
        INSERT INTO writeoff.debt_hold (hold_id, debt_id, reason, lifted)
        VALUES (:hold_id, :debt_id, :reason, :lifted)
        ON CONFLICT (hold_id) DO UPDATE SET lifted = debt_hold.lifted OR EXCLUDED.lifted
        """
    )
    _MORATORIUM_COVERS = text(
        """
        INSERT INTO writeoff.moratorium_debt (moratorium_reference, debt_id, hold_version, active)
        SELECT :reference, debt_id, :version, true FROM unnest(CAST(:debt_ids AS uuid[])) AS debt_id
        ON CONFLICT (moratorium_reference, debt_id) DO UPDATE
            SET hold_version = EXCLUDED.hold_version, active = true
        WHERE moratorium_debt.hold_version < EXCLUDED.hold_version
        """
    )
    _MORATORIUM_ENDS = text(
        """
        INSERT INTO writeoff.moratorium_debt (moratorium_reference, debt_id, hold_version, active)
        SELECT :reference, debt_id, :version, false FROM unnest(CAST(:debt_ids AS uuid[])) AS debt_id
        ON CONFLICT (moratorium_reference, debt_id) DO UPDATE
            SET hold_version = EXCLUDED.hold_version, active = false
        WHERE moratorium_debt.hold_version <= EXCLUDED.hold_version
        """
    )
    _MORATORIUM_ENDS_FOR_EVERY_DEBT = text(
        """
        UPDATE writeoff.moratorium_debt SET hold_version = :version, active = false
        WHERE moratorium_reference = :reference AND hold_version <= :version
        """
    )
    _PLACEMENT_OPENS = text(
        """
        INSERT INTO writeoff.agent_placement (referral_id, debt_id, open) VALUES (:referral_id, :debt_id, true)
        ON CONFLICT (referral_id) DO NOTHING
        """
    )
    _PLACEMENT_CLOSES = text(
        """
        INSERT INTO writeoff.agent_placement (referral_id, debt_id, open) VALUES (:referral_id, :debt_id, false)
        ON CONFLICT (referral_id) DO UPDATE SET open = false
        """
    )
    _EVERY_PLACEMENT_OF_DEBT_CLOSES = text(
        "UPDATE writeoff.agent_placement SET open = false WHERE debt_id = :debt_id"
    )
    # The debt's obstacles as `DebtStanding` carries them for `domain.obstacles_to_write_off`: a hold not lifted,
    # a moratorium still active, a placement still open.
    _STANDING = text(
        """
        SELECT s.debt_id, s.balance_pence, s.customer_ids, s.raised_on,
            (SELECT string_agg(h.reason, ', ' ORDER BY h.reason) FROM writeoff.debt_hold h
              WHERE h.debt_id = s.debt_id AND NOT h.lifted) AS holds,
            EXISTS (SELECT 1 FROM writeoff.moratorium_debt m WHERE m.debt_id = s.debt_id AND m.active)
                AS in_breathing_space,
            EXISTS (SELECT 1 FROM writeoff.agent_placement p WHERE p.debt_id = s.debt_id AND p.open)
                AS open_agent_placement
        FROM writeoff.debt_standing s
        WHERE s.debt_id = ANY(CAST(:debt_ids AS uuid[])) AND s.balance_pence IS NOT NULL
        """
    )
    _DESCRIBED = text(
        """
        SELECT debt_id, customer_ids, debt_type, income_code, financial_year, originating_service
        FROM writeoff.debt_standing WHERE debt_id = :debt_id
        """
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def debts_raised(self, debts: Sequence[RaisedDebt]) -> None:
        """Remember each debt (once each) and its amount, keeping a balance heard before it."""
        await self.session.execute(
            self._DEBT_RAISED,
            {
                "debt_ids": [d.debt_id for d in debts],
                "customer_ids": [_json_ids(d.customer_ids) for d in debts],
                "debt_types": [d.debt_type for d in debts],
                "income_codes": [d.income_code for d in debts],
                "years": [d.financial_year for d in debts],
                "services": [d.originating_service for d in debts],
                "amounts": [d.amount_pence for d in debts],
                "raised_on": [d.raised_on for d in debts],
                "references": [d.external_reference for d in debts],
                "due_dates": [d.due_date for d in debts],
            },
        )

    async def record_balances(self, balances: Sequence[Balance]) -> None:
        """Keep each debt's latest balance (by as-of date; later in the batch wins a tie)."""
        # One row per debt per statement: ON CONFLICT cannot touch a row twice.
        latest: dict[UUID, Balance] = {}
        for balance in balances:
            known = latest.get(balance.debt_id)
            if known is None or known.as_of <= balance.as_of:
                latest[balance.debt_id] = balance
        rows = list(latest.values())
        await self.session.execute(
            self._BALANCES,
            {
                "debt_ids": [b.debt_id for b in rows],
                "customer_ids": [_json_ids(b.customer_ids) for b in rows],
                "debt_types": [b.debt_type for b in rows],
                "balances": [b.balance_pence for b in rows],
                "as_of": [b.as_of for b in rows],
                "settled": [b.settled for b in rows],
            },
        )

    async def record_hold(self, hold_id: UUID, debt_id: UUID, reason: str, *, lifted: bool) -> None:
        """A hold applied or lifted; once lifted it stays lifted."""
        await self.session.execute(
            self._HOLD, {"hold_id": hold_id, "debt_id": debt_id, "reason": reason, "lifted": lifted}
        )

    async def moratorium_covers(self, reference: str, hold_version: int, debt_ids: Sequence[UUID]) -> None:
        """These debts are protected by the moratorium (unless a later version was heard)."""
        await self.session.execute(
            self._MORATORIUM_COVERS,
            {"reference": reference, "version": hold_version, "debt_ids": list(debt_ids)},
        )

    async def moratorium_ends(self, reference: str, hold_version: int, debt_ids: Sequence[UUID]) -> None:
        """The moratorium ended for the debts listed, and for every debt already heard under it."""
        params = {"reference": reference, "version": hold_version}
        await self.session.execute(self._MORATORIUM_ENDS, {**params, "debt_ids": list(debt_ids)})
        await self.session.execute(self._MORATORIUM_ENDS_FOR_EVERY_DEBT, params)

    async def placement_opens(self, referral_id: UUID, debt_id: UUID) -> None:
        """An agent holds the debt (unless this placement already ended)."""
        await self.session.execute(self._PLACEMENT_OPENS, {"referral_id": referral_id, "debt_id": debt_id})

    async def placement_closes(self, referral_id: UUID | None, debt_id: UUID) -> None:
        """The placement ended; with no referral named, every placement of the debt."""
        if referral_id is None:
            await self.session.execute(self._EVERY_PLACEMENT_OF_DEBT_CLOSES, {"debt_id": debt_id})
        else:
            await self.session.execute(
                self._PLACEMENT_CLOSES, {"referral_id": referral_id, "debt_id": debt_id}
            )

    async def standings_of(self, debt_ids: Iterable[UUID]) -> dict[UUID, KnownDebt]:
        """The standing of each debt whose balance is known (one query for any number of debts)."""
        rows = await self.session.execute(self._STANDING, {"debt_ids": list(debt_ids)})
        return {
            row.debt_id: KnownDebt(
                DebtStanding(
                    balance_pence=row.balance_pence,
                    on_hold=row.holds is not None,
                    hold_reason=row.holds,
                    in_breathing_space=row.in_breathing_space,
                    open_agent_placement=row.open_agent_placement,
                    raised_on=row.raised_on,
                ),
                tuple(row.customer_ids or ()),
            )
            for row in rows
        }

    async def described(self, debt_id: UUID) -> DescribedDebt | None:
        """What billing has said of the debt, or None when it never described it."""
        row = (await self.session.execute(self._DESCRIBED, {"debt_id": debt_id})).first()
        if row is None:
            return None
        return DescribedDebt(
            debt_id=row.debt_id,
            customer_ids=tuple(row.customer_ids or ()),
            debt_type=row.debt_type,
            income_code=row.income_code,
            financial_year=row.financial_year,
            originating_service=row.originating_service,
        )
