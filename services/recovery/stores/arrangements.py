"""Arrangements to pay (`arrangement`, its debts, instalments, payments towards it and its default)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.stores.store import Store


@dataclass(frozen=True)
class ArrangementTerms:
    """An arrangement as made: who, when, the totals and the Standard Financial Statement it rests on."""

    arrangement_id: UUID
    customer_id: UUID | None
    made_on: date
    made_by: str
    total_pence: int
    instalment_pence: int
    instalments: int
    first_due_on: date
    monthly_income_pence: int
    monthly_expenditure_pence: int
    statement_recorded_by: str
    affordable: bool
    within_policy: bool
    note: str


@dataclass(frozen=True)
class ArrangedCase:
    """A case's debt covered by an arrangement, and how much of it."""

    case_id: UUID
    debt_id: UUID
    amount_pence: int
    debt_type: str


@dataclass(frozen=True)
class InstalmentRow:
    """An instalment of an arrangement, with what is owed by its due date."""

    number: int
    due_on: date
    amount_pence: int
    owed_to_date_pence: int


@dataclass(frozen=True)
class PaymentTowards:
    """A payment received towards an arrangement."""

    payment_id: UUID
    arrangement_id: UUID
    debt_id: UUID
    received_on: date
    amount_pence: int


@dataclass(frozen=True)
class StoredArrangement:
    """Everything stored of one arrangement."""

    terms: ArrangementTerms
    cases: list[ArrangedCase]
    instalments: list[InstalmentRow]
    payments: list[PaymentTowards]


class ArrangementStore(Store):
    """Making arrangements, the payments towards them, and finding the broken ones."""

    # A live arrangement whose payments by an instalment's due date plus the grace days fall short of what was
    # owed by then: a candidate the domain's `detect_default` confirms.
    _BROKEN = text(
        """
        WITH live AS (
            SELECT DISTINCT arrangement_id FROM recovery.recovery_case
             WHERE status = 'open' AND arrangement_status = 'live' AND arrangement_id IS NOT NULL
        )
        SELECT DISTINCT i.arrangement_id
          FROM recovery.arrangement_instalment i JOIN live ON live.arrangement_id = i.arrangement_id
         WHERE i.due_on + CAST(:grace AS integer) < :business_date
           AND i.owed_to_date_pence > (
                SELECT coalesce(sum(p.amount_pence), 0) FROM recovery.arrangement_payment p
                 WHERE p.arrangement_id = i.arrangement_id AND p.received_on <= i.due_on + CAST(:grace AS integer))
        """
    )
    _TERMS = text(
        "SELECT arrangement_id, customer_id, made_on, made_by, total_pence, instalment_pence, instalments, "
        "first_due_on, monthly_income_pence, monthly_expenditure_pence, statement_recorded_by, affordable, "
        "within_policy, note FROM recovery.arrangement WHERE arrangement_id = :id"
    )
    _CASES = text(
        "SELECT d.case_id, d.debt_id, d.amount_pence, c.debt_type FROM recovery.arrangement_debt d "
        "JOIN recovery.recovery_case c ON c.case_id = d.case_id WHERE d.arrangement_id = :id"
    )
    _INSTALMENTS = text(
        "SELECT number, due_on, amount_pence, owed_to_date_pence FROM recovery.arrangement_instalment "
        "WHERE arrangement_id = :id ORDER BY number"
    )
    _PAYMENTS = text(
        "SELECT payment_id, arrangement_id, debt_id, received_on, amount_pence FROM recovery.arrangement_payment "
        "WHERE arrangement_id = :id"
    )
    _MAKE = text(
        """
        INSERT INTO recovery.arrangement (arrangement_id, customer_id, made_on, made_by, total_pence,
            instalment_pence, instalments, first_due_on, monthly_income_pence, monthly_expenditure_pence,
            statement_recorded_by, affordable, within_policy, note)
        VALUES (:arrangement_id, :customer_id, :made_on, :made_by, :total_pence, :instalment_pence, :instalments,
                :first_due_on, :monthly_income_pence, :monthly_expenditure_pence, :statement_recorded_by,
                :affordable, :within_policy, :note)
        """
    )
    _DEBTS = text(
        "INSERT INTO recovery.arrangement_debt (arrangement_id, case_id, debt_id, amount_pence) "
        "SELECT :id, * FROM unnest(CAST(:cases AS uuid[]), CAST(:debts AS uuid[]), CAST(:amounts AS bigint[]))"
    )
    _INSTALMENTS_MADE = text(
        "INSERT INTO recovery.arrangement_instalment (arrangement_id, number, due_on, amount_pence, "
        "owed_to_date_pence) SELECT :id, * FROM unnest(CAST(:numbers AS integer[]), CAST(:dues AS date[]), "
        "CAST(:amounts AS bigint[]), CAST(:owed AS bigint[]))"
    )
    _PAYMENT = text(
        "INSERT INTO recovery.arrangement_payment (payment_id, arrangement_id, debt_id, received_on, "
        "amount_pence) VALUES (:payment_id, :arrangement_id, :debt_id, :received_on, :amount_pence) "
        "ON CONFLICT DO NOTHING"
    )
    _DEFAULT = text(
        "INSERT INTO recovery.arrangement_default (arrangement_id, defaulted_on, missed_instalment, "
        "whole_balance_due_pence) VALUES (:id, :day, :number, :due) ON CONFLICT DO NOTHING"
    )

    async def possibly_broken(self, business_date: date, grace_days: int) -> list[UUID]:
        """Live arrangements short of what was owed by an instalment's due date plus the grace days."""
        result = await self.session.execute(
            self._BROKEN, {"grace": grace_days, "business_date": business_date}
        )
        return [r.arrangement_id for r in result]

    async def arrangement(self, arrangement_id: UUID) -> StoredArrangement:
        """The arrangement with its cases, instalments and payments."""
        params = {"id": arrangement_id}
        terms = ArrangementTerms(**(await self.session.execute(self._TERMS, params)).one()._mapping)
        cases = [ArrangedCase(**r._mapping) for r in await self.session.execute(self._CASES, params)]
        instalments = [
            InstalmentRow(**r._mapping) for r in await self.session.execute(self._INSTALMENTS, params)
        ]
        payments = [PaymentTowards(**r._mapping) for r in await self.session.execute(self._PAYMENTS, params)]
        return StoredArrangement(terms, cases, instalments, payments)

    async def make(
        self, terms: ArrangementTerms, cases: list[ArrangedCase], instalments: list[InstalmentRow]
    ) -> None:
        """Record a new arrangement, its debts and its instalments."""
        await self.session.execute(self._MAKE, terms.__dict__)
        await self.session.execute(
            self._DEBTS,
            {
                "id": terms.arrangement_id,
                "cases": [c.case_id for c in cases],
                "debts": [c.debt_id for c in cases],
                "amounts": [c.amount_pence for c in cases],
            },
        )
        await self.session.execute(
            self._INSTALMENTS_MADE,
            {
                "id": terms.arrangement_id,
                "numbers": [i.number for i in instalments],
                "dues": [i.due_on for i in instalments],
                "amounts": [i.amount_pence for i in instalments],
                "owed": [i.owed_to_date_pence for i in instalments],
            },
        )

    async def add_payment(self, payment: PaymentTowards) -> None:
        """A payment towards the arrangement (each payment to each debt counted once)."""
        await self.session.execute(self._PAYMENT, payment.__dict__)

    async def defaulted(
        self, arrangement_id: UUID, day: date, missed_instalment: int, whole_due: int
    ) -> None:
        """Record the arrangement's default."""
        await self.session.execute(
            self._DEFAULT, {"id": arrangement_id, "day": day, "number": missed_instalment, "due": whole_due}
        )
