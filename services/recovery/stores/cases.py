"""The recovery case rows (`recovery_case`, `case_customer`) and what the step engine reads with them: the steps
on record (with voids and ended referrals) and the holds (with lifts), many cases at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from services.recovery.domain.case import StepTaken
from services.recovery.domain.hb_order_of_recovery import BenefitRequestMade
from services.recovery.domain.holds import Hold, HoldKind
from services.recovery.domain.instalments import InstalmentLedger
from services.recovery.domain.policy import StepKind
from services.recovery.domain.regulated_path import CourtResult
from services.recovery.stores.benefit_deductions import BenefitDeductionStore
from services.recovery.stores.court_results import CourtResultStore
from services.recovery.stores.instalments import InstalmentStore
from services.recovery.stores.proof_of_debt import ProofOfDebtStore, StoredProofOfDebt
from services.recovery.stores.store import Store, as_arrays

CASE_COLUMNS = (
    "case_id, debt_id, customer_ids, debt_type, balance_pence, due_date, status, opened_at, financial_year, "
    "income_code, originating_service, external_reference, evidence_reference, raised_on, policy_group, "
    "awaiting_default, defaults_count, defaulted_instalments, arrangement_id, arrangement_status, vulnerable, "
    "cant_pay, circumstances_reviewed_on, debtor_is_individual, next_step_name, next_step_eligible_from, "
    "write_off_rejected_reason, closed_reason, closed_on, awaiting_decision_since, billing_write_off_ahead_pence"
)

# The SQL twin of `services.recovery.domain.debtors.debtor_is_individual`: no one liable (`:customer_uuids`) is
# known as an organisation. Tested against the Python in tests/integration/recovery/test_rules_in_sql.py.
DEBTOR_IS_INDIVIDUAL = (
    "NOT EXISTS (SELECT 1 FROM recovery.customer k WHERE k.customer_id = ANY(:customer_uuids) "
    "AND k.kind = 'organisation')"
)
# The same rule for a stored case (`c`), over everyone on its `case_customer` rows.
CASE_DEBTOR_IS_INDIVIDUAL = (
    "NOT EXISTS (SELECT 1 FROM recovery.case_customer dc JOIN recovery.customer k ON k.customer_id = dc.customer_id "
    "WHERE dc.case_id = c.case_id AND k.kind = 'organisation')"
)


@dataclass(frozen=True)
class CaseRow:
    """A recovery case as stored: where the debt stands and when its next step may be taken."""

    case_id: UUID
    debt_id: UUID
    customer_ids: list[UUID]
    debt_type: str
    balance_pence: int
    due_date: date
    status: str
    opened_at: datetime | None
    financial_year: str
    income_code: str
    originating_service: str
    external_reference: str
    evidence_reference: str
    raised_on: date | None
    policy_group: str | None
    awaiting_default: bool
    defaults_count: int
    defaulted_instalments: list[int]
    arrangement_id: UUID | None
    arrangement_status: str | None
    vulnerable: bool
    cant_pay: bool
    circumstances_reviewed_on: date | None
    debtor_is_individual: bool
    next_step_name: str | None
    next_step_eligible_from: date | None
    write_off_rejected_reason: str | None
    closed_reason: str | None
    closed_on: date | None
    # In the officers' decision tray from this day (issue 19; `domain/exhausted_timetable.py` `awaiting_decision`).
    awaiting_decision_since: date | None = None
    # Billing's write-off restatements of the balance not yet matched by an approval recovery heard (negative:
    # approvals heard first); `domain/exhausted_timetable.py` `write_off_applied`.
    billing_write_off_ahead_pence: int = 0

    @classmethod
    def from_mapping(cls, row: Any) -> CaseRow:
        """The typed row from a result row (customer ids are stored as JSON strings)."""
        values = dict(row)
        values["customer_ids"] = [UUID(str(c)) for c in values["customer_ids"] or []]
        values["defaulted_instalments"] = list(values["defaulted_instalments"] or [])
        return cls(**values)


@dataclass(frozen=True)
class StoredStep:
    """A step on record with the ids needed to void it or recall its referral."""

    case_id: UUID
    step_id: UUID
    referral_id: UUID | None
    agency_kind: str | None
    taken: StepTaken


@dataclass(frozen=True)
class StoredHold:
    """A hold on record with its id (and its lift date, in the domain hold, if lifted)."""

    case_id: UUID
    hold_id: UUID
    hold: Hold


@dataclass(frozen=True)
class DebtOpened:
    """A new case for a debt billing raised."""

    case_id: UUID
    debt_id: UUID
    customer_ids: list[UUID]
    debt_type: str
    amount_pence: int
    due_date: date
    financial_year: str
    income_code: str
    originating_service: str
    external_reference: str
    evidence_reference: str
    raised_on: date
    awaiting_default: bool
    policy_group: str | None


@dataclass(frozen=True)
class Position:
    """Where a case stands for the daily run: its next step and the date it may be taken."""

    case_id: UUID
    next_step_name: str | None
    eligible_from: date | None


@dataclass(frozen=True)
class CaseUpdate:
    """A case's balance, status and position after a step (or none) was taken."""

    case_id: UUID
    balance_pence: int
    status: str
    next_step_name: str | None
    eligible_from: date | None


@dataclass(frozen=True)
class WrittenOff:
    """A case after an approved write-off: what it still owes, billing's write-off restatements not yet matched,
    and, when the remainder stays to pursue, the position and (for an officer's decision) the day and why."""

    case_id: UUID
    balance_pence: int
    billing_write_off_ahead_pence: int
    stays_open: bool
    next_step_name: str | None = None
    eligible_from: date | None = None
    awaiting_decision_since: date | None = None
    awaiting_decision_why: str | None = None


@dataclass(frozen=True)
class CaseClosing:
    """A case to mark closed: why and on which day."""

    case_id: UUID
    reason: str
    day: date


@dataclass(frozen=True)
class DebtCase:
    """A debt's case with what payments towards an arrangement need."""

    case_id: UUID
    debt_id: UUID
    arrangement_id: UUID | None
    arrangement_status: str | None


def _hold(row: Any) -> Hold:
    return Hold(
        kind=HoldKind(row.kind),
        reason=row.reason,
        authorised_by=row.authorised_by,
        start=row.starts_on,
        end=row.ends_on,
        review_on=row.review_on,
        lifted_on=row.lifted_on,
        disputed_amount=row.disputed_amount_pence,
        reference=row.reference,
        ongoing_after=row.ongoing_after,
        other_liable_customer_ids=tuple(row.other_liable_customer_ids or ()),
        other_parties_policy=row.other_parties_policy,
        other_parties_why=row.other_parties_why,
    )


class CaseStore(Store):
    """Recovery cases: opening, reading many at once with their steps and holds, and every change to the row."""

    _CASES = text(f"SELECT {CASE_COLUMNS} FROM recovery.recovery_case WHERE case_id = ANY(:ids)")
    _STEPS = text(
        """
        SELECT s.step_id, s.case_id, s.step_name, s.kind, s.taken_on, s.costs_pence,
               v.step_id IS NOT NULL AS void, r.referral_id, r.agency_kind, e.ended_on
          FROM recovery.case_step s
          LEFT JOIN recovery.step_void v ON v.step_id = s.step_id
          LEFT JOIN recovery.referral r ON r.step_id = s.step_id
          LEFT JOIN recovery.referral_end e ON e.referral_id = r.referral_id
         WHERE s.case_id = ANY(:ids)
         ORDER BY s.taken_on, s.recorded_at
        """
    )
    _HOLDS = text(
        """
        SELECT h.hold_id, h.case_id, h.kind, h.reason, h.authorised_by, h.starts_on, h.ends_on, h.review_on,
               h.disputed_amount_pence, h.reference, h.ongoing_after, h.other_liable_customer_ids,
               h.other_parties_policy, h.other_parties_why, l.lifted_on
          FROM recovery.hold h LEFT JOIN recovery.hold_lift l ON l.hold_id = h.hold_id
         WHERE h.case_id = ANY(:ids)
         ORDER BY h.starts_on, h.recorded_at
        """
    )
    _FOR_DEBTS = text("SELECT debt_id, case_id FROM recovery.recovery_case WHERE debt_id = ANY(:ids)")
    _FOR_CUSTOMER = text("SELECT case_id FROM recovery.case_customer WHERE customer_id = :customer_id")
    _OF_MORATORIUM = text(
        "SELECT DISTINCT h.case_id FROM recovery.hold h JOIN recovery.recovery_case c "
        "ON c.case_id = h.case_id WHERE h.reference = :reference"
    )
    _DEBT_CASES = text(
        "SELECT case_id, debt_id, arrangement_id, arrangement_status FROM recovery.recovery_case "
        "WHERE debt_id = ANY(:ids)"
    )
    _OPEN = text(
        f"""
        INSERT INTO recovery.recovery_case
            (case_id, debt_id, customer_ids, debt_type, balance_pence, due_date, status, financial_year,
             income_code, originating_service, external_reference, evidence_reference, raised_on,
             awaiting_default, policy_group, debtor_is_individual)
        SELECT :case_id, :debt_id, CAST(:customer_ids AS json), :debt_type, :amount, :due_date, 'open',
               :financial_year, :income_code, :originating_service, :external_reference,
               :evidence_reference, :raised_on, :awaiting_default, :policy_group, {DEBTOR_IS_INDIVIDUAL}
        ON CONFLICT (debt_id) DO NOTHING
        RETURNING case_id
        """
    )
    _LINK_CUSTOMERS = text(
        "INSERT INTO recovery.case_customer (case_id, customer_id) "
        "SELECT :case_id, unnest(CAST(:customers AS uuid[])) ON CONFLICT DO NOTHING"
    )
    # A balance billing restates unchanged is not written: the row is then not locked, so a hold being applied
    # to the case does not wait for this batch to commit.
    _SET_BALANCES = text(
        """
        UPDATE recovery.recovery_case c SET balance_pence = u.balance
          FROM unnest(CAST(:case_ids AS uuid[]), CAST(:balances AS bigint[])) AS u(case_id, balance)
         WHERE c.case_id = u.case_id AND c.balance_pence IS DISTINCT FROM u.balance
        """
    )
    _REDUCE_BALANCE = text(
        "UPDATE recovery.recovery_case SET balance_pence = balance_pence - :costs WHERE case_id = :case_id"
    )
    _DEFAULTED = text(
        "UPDATE recovery.recovery_case SET defaults_count = :count, awaiting_default = false, "
        "due_date = :due_date, defaulted_instalments = array_append(defaulted_instalments, :number) "
        "WHERE case_id = :case_id"
    )
    # Open again with the reason, and in the officers' decision tray from the day of the refusal (a case already
    # waiting keeps its day), with the refusal as why: one statement (`stores/exhausted_cases.py` is the tray).
    _WRITE_OFF_REFUSED = text(
        """
        UPDATE recovery.recovery_case
           SET status = 'open', write_off_rejected_reason = :reason,
               awaiting_decision_since = coalesce(awaiting_decision_since, :refused_on),
               awaiting_decision_why = :why
         WHERE case_id = :case_id AND status <> 'closed'
        """
    )
    # Reinstated: referred back for enforcement (Derby App.1 §12), so no longer an officer's decision either.
    _REOPEN = text(
        "UPDATE recovery.recovery_case SET status = 'open', balance_pence = :balance, closed_reason = NULL, "
        "closed_on = NULL, write_off_rejected_reason = NULL, billing_write_off_ahead_pence = 0, "
        "awaiting_decision_since = NULL, awaiting_decision_why = NULL WHERE case_id = :case_id"
    )
    _WRITE_OFFS_STATED = text(
        """
        UPDATE recovery.recovery_case c
           SET billing_write_off_ahead_pence = c.billing_write_off_ahead_pence + u.written_off
          FROM unnest(CAST(:case_ids AS uuid[]), CAST(:written_off AS bigint[])) AS u(case_id, written_off)
         WHERE c.case_id = u.case_id
        """
    )
    # A case a write-off leaves owing stays open for the remainder (the refusal of an earlier write-off no longer
    # stands), at its new position, and in the tray when an officer is to decide (a new decision: from this day).
    _WRITTEN_OFF = text(
        """
        UPDATE recovery.recovery_case c
           SET balance_pence = u.balance, billing_write_off_ahead_pence = u.ahead,
               status = CASE WHEN u.stays_open THEN 'open' ELSE c.status END,
               write_off_rejected_reason = CASE WHEN u.stays_open THEN NULL ELSE c.write_off_rejected_reason END,
               next_step_name = CASE WHEN u.stays_open THEN u.name ELSE c.next_step_name END,
               next_step_eligible_from = CASE WHEN u.stays_open THEN u.eligible_from
                                              ELSE c.next_step_eligible_from END,
               awaiting_decision_since = CASE WHEN u.stays_open AND u.why IS NOT NULL THEN u.since
                                              ELSE c.awaiting_decision_since END,
               awaiting_decision_why = CASE WHEN u.stays_open AND u.why IS NOT NULL THEN u.why
                                            ELSE c.awaiting_decision_why END
          FROM unnest(CAST(:case_id AS uuid[]), CAST(:balance_pence AS bigint[]),
                      CAST(:billing_write_off_ahead_pence AS bigint[]), CAST(:stays_open AS boolean[]),
                      CAST(:next_step_name AS text[]), CAST(:eligible_from AS date[]),
                      CAST(:awaiting_decision_since AS date[]), CAST(:awaiting_decision_why AS text[]))
               AS u(case_id, balance, ahead, stays_open, name, eligible_from, since, why)
         WHERE c.case_id = u.case_id
        """
    )
    _APPROVALS_HEARD = text(
        "SELECT request_id FROM recovery.write_off_outcome WHERE request_id = ANY(:ids) AND outcome = 'approved'"
    )
    _DEBTOR_KIND = text(
        f"UPDATE recovery.recovery_case c SET debtor_is_individual = {CASE_DEBTOR_IS_INDIVIDUAL} "
        "FROM recovery.case_customer cc WHERE cc.case_id = c.case_id AND cc.customer_id = :id"
    )
    _VULNERABLE = text(
        "UPDATE recovery.recovery_case SET vulnerable = true, circumstances_reviewed_on = NULL "
        "WHERE case_id = :case_id"
    )
    _CIRCUMSTANCES = text(
        "UPDATE recovery.recovery_case SET vulnerable = :vulnerable, cant_pay = :cant_pay, "
        "circumstances_reviewed_on = NULL WHERE case_id = ANY(:ids)"
    )
    _REVIEWED = text(
        "UPDATE recovery.recovery_case SET circumstances_reviewed_on = :day WHERE case_id = ANY(:ids)"
    )
    _FLAGS = text(
        "SELECT coalesce(bool_or(vulnerable), false) AS vulnerable, coalesce(bool_or(cant_pay), false) AS cant_pay "
        "FROM recovery.recovery_case WHERE case_id = ANY(:ids)"
    )
    _ARRANGED = text(
        "UPDATE recovery.recovery_case SET arrangement_id = :id, arrangement_status = 'live' "
        "WHERE case_id = ANY(:cases)"
    )
    _ARRANGEMENT_DEFAULTED = text(
        "UPDATE recovery.recovery_case SET arrangement_status = 'defaulted' "
        "WHERE arrangement_id = :id AND arrangement_status = 'live'"
    )
    _POSITIONS = text(
        """
        UPDATE recovery.recovery_case c
           SET next_step_name = u.name, next_step_eligible_from = u.eligible_from
          FROM unnest(CAST(:case_id AS uuid[]), CAST(:next_step_name AS text[]), CAST(:eligible_from AS date[]))
               AS u(case_id, name, eligible_from)
         WHERE c.case_id = u.case_id
           AND (c.next_step_name, c.next_step_eligible_from) IS DISTINCT FROM (u.name, u.eligible_from)
        """
    )
    _UPDATES = text(
        """
        UPDATE recovery.recovery_case c
           SET balance_pence = u.balance, status = u.status,
               next_step_name = u.name, next_step_eligible_from = u.eligible_from
          FROM unnest(CAST(:case_id AS uuid[]), CAST(:balance_pence AS bigint[]), CAST(:status AS text[]),
                      CAST(:next_step_name AS text[]), CAST(:eligible_from AS date[]))
               AS u(case_id, balance, status, name, eligible_from)
         WHERE c.case_id = u.case_id
        """
    )
    _CLOSE = text(
        """
        UPDATE recovery.recovery_case c
           SET status = 'closed', closed_reason = u.reason, closed_on = u.day, next_step_name = NULL,
               next_step_eligible_from = NULL
          FROM unnest(CAST(:case_id AS uuid[]), CAST(:reason AS text[]), CAST(:day AS date[]))
               AS u(case_id, reason, day)
         WHERE c.case_id = u.case_id
        """
    )

    # -- reading -----------------------------------------------------------------------------------------------
    async def rows(self, case_ids: list[UUID]) -> list[CaseRow]:
        """The case rows of these ids (those that exist)."""
        if not case_ids:
            return []
        result = await self.session.execute(self._CASES, {"ids": case_ids})
        return [CaseRow.from_mapping(r._mapping) for r in result]

    async def steps(self, case_ids: list[UUID]) -> list[StoredStep]:
        """Every step of these cases in the order taken, with voids and ended referrals."""
        if not case_ids:
            return []
        return [
            StoredStep(
                r.case_id,
                r.step_id,
                r.referral_id,
                r.agency_kind,
                StepTaken(
                    name=r.step_name,
                    kind=StepKind(r.kind),
                    taken_on=r.taken_on,
                    costs=r.costs_pence,
                    void=r.void,
                    recalled_on=r.ended_on,
                ),
            )
            for r in await self.session.execute(self._STEPS, {"ids": case_ids})
        ]

    async def holds(self, case_ids: list[UUID]) -> list[StoredHold]:
        """Every hold of these cases in the order they start, with their lifts."""
        if not case_ids:
            return []
        return [
            StoredHold(r.case_id, r.hold_id, _hold(r))
            for r in await self.session.execute(self._HOLDS, {"ids": case_ids})
        ]

    async def instalment_ledgers(self, debt_ids: list[UUID]) -> dict[UUID, InstalmentLedger]:
        """The instalment ledger of each of these debts that has one (the regulated path reads it with the
        case's steps and holds)."""
        return await InstalmentStore(self.session).ledgers(debt_ids)

    async def court_results(self, case_ids: list[UUID]) -> dict[UUID, tuple[CourtResult, ...]]:
        """The court's outcomes recorded for each of these cases, in the order heard."""
        found = await CourtResultStore(self.session).for_cases(case_ids)
        return {case_id: tuple(r.result for r in records) for case_id, records in found.items()}

    async def proofs_of_debt(self, case_ids: list[UUID]) -> dict[UUID, list[StoredProofOfDebt]]:
        """The proof of debt requests of each of these cases, in the order made, each with its first answer."""
        return await ProofOfDebtStore(self.session).for_cases(case_ids)

    async def benefit_requests(self, case_ids: list[UUID]) -> dict[UUID, list[BenefitRequestMade]]:
        """What was asked of the benefits system for each of these cases, in order, with the latest answers."""
        return await BenefitDeductionStore(self.session).for_cases(case_ids)

    async def case_ids_for_debts(self, debt_ids: list[UUID]) -> dict[UUID, UUID]:
        """debt_id -> case_id for the debts that have a case."""
        if not debt_ids:
            return {}
        return {r.debt_id: r.case_id for r in await self.session.execute(self._FOR_DEBTS, {"ids": debt_ids})}

    async def case_ids_for_customer(self, customer_id: UUID) -> list[UUID]:
        """Every case of the customer's debts."""
        result = await self.session.execute(self._FOR_CUSTOMER, {"customer_id": customer_id})
        return [r.case_id for r in result]

    async def case_ids_held_by(self, reference: str) -> list[UUID]:
        """The cases a moratorium (by its reference) put on hold."""
        return [r.case_id for r in await self.session.execute(self._OF_MORATORIUM, {"reference": reference})]

    async def debt_cases(self, debt_ids: list[UUID]) -> list[DebtCase]:
        """The cases of these debts with their arrangement."""
        result = await self.session.execute(self._DEBT_CASES, {"ids": debt_ids})
        return [DebtCase(r.case_id, r.debt_id, r.arrangement_id, r.arrangement_status) for r in result]

    async def circumstance_flags(self, case_ids: list[UUID]) -> tuple[bool, bool]:
        """(vulnerable, can't pay) as any of these cases has them."""
        row = (await self.session.execute(self._FLAGS, {"ids": case_ids})).one()
        return bool(row.vulnerable), bool(row.cant_pay)

    # -- writing -----------------------------------------------------------------------------------------------
    async def open(self, case: DebtOpened) -> bool:
        """Open the case (its debtor an individual unless an organisation is liable) and link its customers;
        False when the debt already has a case."""
        opened = (
            await self.session.execute(
                self._OPEN,
                {
                    "case_id": case.case_id,
                    "debt_id": case.debt_id,
                    "customer_ids": "[" + ", ".join(f'"{i}"' for i in case.customer_ids) + "]",
                    "customer_uuids": case.customer_ids,
                    "debt_type": case.debt_type,
                    "amount": case.amount_pence,
                    "due_date": case.due_date,
                    "financial_year": case.financial_year,
                    "income_code": case.income_code,
                    "originating_service": case.originating_service,
                    "external_reference": case.external_reference,
                    "evidence_reference": case.evidence_reference,
                    "raised_on": case.raised_on,
                    "awaiting_default": case.awaiting_default,
                    "policy_group": case.policy_group,
                },
            )
        ).first()
        if opened is None:
            return False
        await self.session.execute(
            self._LINK_CUSTOMERS, {"case_id": case.case_id, "customers": case.customer_ids}
        )
        return True

    async def set_balances(self, balances: dict[UUID, int]) -> None:
        """Each case's balance as billing last stated it, in one statement."""
        await self.session.execute(
            self._SET_BALANCES, {"case_ids": list(balances), "balances": list(balances.values())}
        )

    async def reduce_balance(self, case_id: UUID, by_pence: int) -> None:
        """Take reversed costs off the case's balance."""
        await self.session.execute(self._REDUCE_BALANCE, {"costs": by_pence, "case_id": case_id})

    async def instalment_defaulted(self, case_id: UUID, number: int, due_date: date, count: int) -> None:
        """An instalment fell due unpaid: the case pursues it from its due date, `count` defaults so far."""
        await self.session.execute(
            self._DEFAULTED, {"count": count, "due_date": due_date, "number": number, "case_id": case_id}
        )

    async def write_off_refused(self, case_id: UUID, reason: str, refused_on: date, why: str) -> None:
        """The write-off was refused: the case is open again, with the reason, and waits for an officer's decision
        from the day of the refusal (a case already waiting keeps its day), with `why`, in one statement."""
        await self.session.execute(
            self._WRITE_OFF_REFUSED,
            {"reason": reason, "case_id": case_id, "refused_on": refused_on, "why": why},
        )

    async def approvals_heard(self, request_ids: list[UUID]) -> set[UUID]:
        """Which of these write-off requests recovery has already heard approved (a replayed approval is applied
        once)."""
        if not request_ids:
            return set()
        return {r.request_id for r in await self.session.execute(self._APPROVALS_HEARD, {"ids": request_ids})}

    async def write_offs_stated(self, written_off: dict[UUID, int]) -> None:
        """Billing restated these cases' balances after posting write-offs of these amounts (see
        `CaseRow.billing_write_off_ahead_pence`)."""
        if written_off:
            await self.session.execute(
                self._WRITE_OFFS_STATED,
                {"case_ids": list(written_off), "written_off": list(written_off.values())},
            )

    async def written_off(self, cases: list[WrittenOff]) -> None:
        """What approved write-offs leave of these cases, in one statement (closing is `close`)."""
        if cases:
            await self.session.execute(self._WRITTEN_OFF, as_arrays(cases))

    async def reopen(self, case_id: UUID, balance_pence: int) -> None:
        """A written-off debt reinstated: open again with what is owed."""
        await self.session.execute(self._REOPEN, {"balance": balance_pence, "case_id": case_id})

    async def restate_debtor_kind(self, customer_id: UUID) -> None:
        """Whether each of the customer's cases has an individual as debtor, after the customer's kind changed."""
        await self.session.execute(self._DEBTOR_KIND, {"id": customer_id})

    async def mark_vulnerable(self, case_id: UUID) -> None:
        """Vulnerable, and not yet reviewed."""
        await self.session.execute(self._VULNERABLE, {"case_id": case_id})

    async def set_circumstances(self, case_ids: list[UUID], vulnerable: bool, cant_pay: bool) -> None:
        """The debtor's circumstances as an officer recorded them, awaiting review."""
        await self.session.execute(
            self._CIRCUMSTANCES, {"vulnerable": vulnerable, "cant_pay": cant_pay, "ids": case_ids}
        )

    async def circumstances_reviewed(self, case_ids: list[UUID], day: date) -> None:
        """An officer reviewed the debtor's circumstances on `day`."""
        await self.session.execute(self._REVIEWED, {"day": day, "ids": case_ids})

    async def arranged(self, case_ids: list[UUID], arrangement_id: UUID) -> None:
        """The cases are paid by a live arrangement."""
        await self.session.execute(self._ARRANGED, {"id": arrangement_id, "cases": case_ids})

    async def arrangement_defaulted(self, arrangement_id: UUID) -> None:
        """The arrangement's live cases: defaulted."""
        await self.session.execute(self._ARRANGEMENT_DEFAULTED, {"id": arrangement_id})

    async def store_positions(self, positions: list[Position]) -> None:
        """Write many cases' next step and date in one statement. A position that did not change is not written,
        so its row is not locked (busy traffic such as balance changes then never makes a hold or a step on the
        same case wait)."""
        if positions:
            await self.session.execute(self._POSITIONS, as_arrays(positions))

    async def update(self, updates: list[CaseUpdate]) -> None:
        """Balance, status and position of many cases after a batch of steps, in one statement."""
        if updates:
            await self.session.execute(self._UPDATES, as_arrays(updates))

    async def close(self, closings: list[CaseClosing]) -> None:
        """Mark many cases closed in one statement."""
        if closings:
            await self.session.execute(self._CLOSE, as_arrays(closings))
