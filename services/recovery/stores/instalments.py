"""Each debt's instalments and the payments towards them (`instalment`, `instalment_payment`), as billing told
recovery; read back as the domain's `InstalmentLedger`. Writes are idempotent per fact, so an event told twice,
or in any order, leaves the same rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.domain.instalments import Instalment, InstalmentLedger, InstalmentPayment
from services.recovery.stores.store import Store, as_arrays


@dataclass(frozen=True)
class StoredInstalment:
    """One instalment of a debt: from billing's schedule, or (when recovery never saw one) its fell-due event."""

    debt_id: UUID
    instalment_number: int
    financial_year: str
    due_date: date
    amount_pence: int
    told_by: str


@dataclass(frozen=True)
class StoredInstalmentPayment:
    """Money allocated to a debt: `payment_reference` is billing's payment id and the allocation's place in it."""

    debt_id: UUID
    payment_reference: str
    paid_on: date
    amount_pence: int
    instalment_number: int | None


class InstalmentStore(Store):
    """Keeping instalments and payments per debt and reading them as ledgers."""

    # A schedule outranks what a fell-due event said; a fell-due event never overwrites the schedule.
    _ADD_INSTALMENTS = text(
        """
        INSERT INTO recovery.instalment
            (debt_id, instalment_number, financial_year, due_date, amount_pence, told_by)
        SELECT * FROM unnest(CAST(:debt_id AS uuid[]), CAST(:instalment_number AS integer[]),
                             CAST(:financial_year AS text[]), CAST(:due_date AS date[]),
                             CAST(:amount_pence AS bigint[]), CAST(:told_by AS text[]))
        ON CONFLICT (debt_id, instalment_number) DO UPDATE
           SET due_date = excluded.due_date, amount_pence = excluded.amount_pence, told_by = excluded.told_by
         WHERE recovery.instalment.told_by = 'fell_due' AND excluded.told_by = 'schedule'
        """
    )
    _ADD_PAYMENTS = text(
        """
        INSERT INTO recovery.instalment_payment
            (debt_id, payment_reference, paid_on, amount_pence, instalment_number)
        SELECT * FROM unnest(CAST(:debt_id AS uuid[]), CAST(:payment_reference AS text[]),
                             CAST(:paid_on AS date[]), CAST(:amount_pence AS bigint[]),
                             CAST(:instalment_number AS integer[]))
        ON CONFLICT (debt_id, payment_reference) DO NOTHING
        """
    )
    _INSTALMENTS = text(
        "SELECT debt_id, instalment_number, financial_year, due_date, amount_pence, told_by "
        "FROM recovery.instalment WHERE debt_id = ANY(:debt_ids)"
    )
    _PAYMENTS = text(
        "SELECT debt_id, payment_reference, paid_on, amount_pence, instalment_number "
        "FROM recovery.instalment_payment WHERE debt_id = ANY(:debt_ids)"
    )

    async def add_instalments(self, instalments: list[StoredInstalment]) -> None:
        """Keep these instalments (one statement whatever the number)."""
        if instalments:
            await self.session.execute(self._ADD_INSTALMENTS, as_arrays(instalments))

    async def add_payments(self, payments: list[StoredInstalmentPayment]) -> None:
        """Keep these payments; one already kept is not counted again."""
        if payments:
            await self.session.execute(self._ADD_PAYMENTS, as_arrays(payments))

    async def ledgers(self, debt_ids: list[UUID]) -> dict[UUID, InstalmentLedger]:
        """The instalment ledger of each debt that has instalments, in two queries whatever the number."""
        if not debt_ids:
            return {}
        schedule: dict[UUID, list[StoredInstalment]] = defaultdict(list)
        for row in await self.session.execute(self._INSTALMENTS, {"debt_ids": debt_ids}):
            schedule[row.debt_id].append(StoredInstalment(**row._mapping))
        ledgers = {
            debt_id: InstalmentLedger(rows[0].financial_year).with_instalments(
                [Instalment(r.instalment_number, r.due_date, r.amount_pence) for r in rows]
            )
            for debt_id, rows in schedule.items()
        }
        for row in await self.session.execute(self._PAYMENTS, {"debt_ids": list(ledgers)}):
            ledgers[row.debt_id] = ledgers[row.debt_id].with_payment(
                InstalmentPayment(row.payment_reference, row.paid_on, row.amount_pence, row.instalment_number)
            )
        return ledgers
