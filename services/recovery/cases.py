"""A recovery case follows its debt as billing reports it: opened when raised, balance as it moves, instalment
defaults counted, closed when settled, cancelled or written off, reopened and referred back for enforcement when
a written-off debt is reinstated; and the write-off service's answers."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.breathing_space import apply_breathing_space_notices
from services.recovery.case_state import LoadedCase, case_ids_for_debts, load_cases, record, reschedule
from services.recovery.domain.balances import case_balances
from services.recovery.domain.holds import holds_stopping_recovery
from services.recovery.holds import CaseClosure, close_case, close_cases
from services.recovery.service import policies, recovery_settings, runtime
from services.recovery.step_taking import Debtor, StepsTaken
from shared.clock import clock
from shared.contracts.billing import (
    BalanceChanged,
    CustomerAmended,
    CustomerRegistered,
    DebtCancelled,
    DebtRaised,
    DebtReinstated,
    DebtSettled,
    InstalmentFellDue,
)
from shared.contracts.council_systems import LiableParty
from shared.contracts.envelope import Envelope
from shared.contracts.writeoff import WriteOffApproved, WriteOffRejected
from shared.money import format_pounds


async def _case_for_debt(session: AsyncSession, debt_id: UUID) -> LoadedCase | None:
    case_id = (
        await session.execute(
            text("SELECT case_id FROM recovery.recovery_case WHERE debt_id = :debt_id"), {"debt_id": debt_id}
        )
    ).scalar_one_or_none()
    if case_id is None:
        return None
    return (await load_cases(session, policies, [case_id]))[case_id]


@runtime.inbox.handles(DebtRaised)
async def open_recovery_case(session: AsyncSession, debt: DebtRaised, envelope: Envelope) -> None:
    """A new debt gets a recovery case, waiting for its due date (or, for a debt paid by instalments, for its
    first instalment to fall due unpaid). A breathing space that arrived before the debt applies at once."""
    case_id = uuid4()
    opened = (
        await session.execute(
            text(
                """
                INSERT INTO recovery.recovery_case
                    (case_id, debt_id, customer_ids, debt_type, balance_pence, due_date, status, financial_year,
                     income_code, originating_service, external_reference, evidence_reference, raised_on,
                     awaiting_default, policy_group, debtor_is_individual)
                SELECT :case_id, :debt_id, CAST(:customer_ids AS json), :debt_type, :amount, :due_date, 'open',
                       :financial_year, :income_code, :originating_service, :external_reference,
                       :evidence_reference, :raised_on, :awaiting_default, :policy_group,
                       NOT EXISTS (SELECT 1 FROM recovery.customer
                                    WHERE customer_id = ANY(:customer_uuids) AND kind = 'organisation')
                ON CONFLICT (debt_id) DO NOTHING
                RETURNING case_id
                """
            ),
            {
                "case_id": case_id,
                "debt_id": debt.debt_id,
                "customer_ids": _json_ids(debt.customer_ids),
                "customer_uuids": list(debt.customer_ids),
                "debt_type": debt.debt_type,
                "amount": debt.amount_pence,
                "due_date": debt.due_date,
                "financial_year": debt.financial_year,
                "income_code": debt.income_code,
                "originating_service": debt.originating_service,
                "external_reference": debt.external_reference,
                "evidence_reference": debt.evidence_reference,
                "raised_on": debt.raised_on,
                "awaiting_default": bool(debt.instalments),
                "policy_group": recovery_settings.policy_groups_by_income_code.get(debt.income_code),
            },
        )
    ).first()
    if opened is None:
        return  # the same debt announced twice: one case
    await session.execute(
        text(
            "INSERT INTO recovery.case_customer (case_id, customer_id) "
            "SELECT :case_id, unnest(CAST(:customers AS uuid[])) ON CONFLICT DO NOTHING"
        ),
        {"case_id": case_id, "customers": list(debt.customer_ids)},
    )
    waiting = "its first instalment to fall due" if debt.instalments else f"its due date {debt.due_date}"
    await record(
        session,
        [
            (
                case_id,
                debt.raised_on,
                "opened",
                f"{debt.debt_type} debt of {format_pounds(debt.amount_pence)} raised by {debt.originating_service} "
                f"({debt.external_reference}); recovery waits for {waiting}",
            )
        ],
    )
    await apply_breathing_space_notices(session, case_id, debt.debt_id, envelope)
    await reschedule(session, policies, [case_id], clock.today())


def _json_ids(ids: list[UUID]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in ids) + "]"


# A balance billing restates unchanged is not written: the row is then not locked, so a hold being applied to
# the case does not wait for this batch to commit.
_SET_BALANCES = text(
    """
    UPDATE recovery.recovery_case c SET balance_pence = u.balance
      FROM unnest(CAST(:case_ids AS uuid[]), CAST(:balances AS bigint[])) AS u(case_id, balance)
     WHERE c.case_id = u.case_id AND c.balance_pence IS DISTINCT FROM u.balance
    """
)


@runtime.inbox.handles_batch(BalanceChanged)
async def balances_changed(session: AsyncSession, batch: list[tuple[BalanceChanged, Envelope]]) -> None:
    """Keep each case's balance as billing states it, many changes at a time (balance changes are billing's
    busiest events); a payment may leave nothing to pursue. Changes of one debt apply in order: the last stands,
    and each is a line on the case record."""
    changes = [change for change, _ in batch]
    case_for_debt = await case_ids_for_debts(session, {change.debt_id for change in changes})
    stated = case_balances(changes, case_for_debt)
    if not stated.balances:
        return
    await session.execute(
        _SET_BALANCES,
        {"case_ids": list(stated.balances), "balances": list(stated.balances.values())},
    )
    await record(session, stated.record)
    await reschedule(session, policies, list(stated.balances), clock.today())


@runtime.inbox.handles(InstalmentFellDue)
async def instalment_fell_due(session: AsyncSession, due: InstalmentFellDue, envelope: Envelope) -> None:
    """An instalment unpaid on its due date is a default: the case pursues it from that date, and the count of
    defaults in the year decides the step (council tax: a final notice only on the third default)."""
    if due.outstanding_pence <= 0:
        return
    case = await _case_for_debt(session, due.debt_id)
    if case is None or case.row["status"] == "closed":
        return
    if due.instalment_number in (case.row["defaulted_instalments"] or []):
        return
    count = len(case.row["defaulted_instalments"] or []) + 1
    await session.execute(
        text(
            "UPDATE recovery.recovery_case SET defaults_count = :count, awaiting_default = false, "
            "due_date = :due_date, defaulted_instalments = array_append(defaulted_instalments, :number) "
            "WHERE case_id = :case_id"
        ),
        {"count": count, "due_date": due.due_date, "number": due.instalment_number, "case_id": case.case_id},
    )
    await record(
        session,
        [
            (
                case.case_id,
                due.due_date,
                "instalment_default",
                f"instalment {due.instalment_number} due {due.due_date.isoformat()} unpaid "
                f"({format_pounds(due.outstanding_pence)} outstanding): default {count} this year",
            )
        ],
    )
    await reschedule(session, policies, [case.case_id], clock.today())


@runtime.inbox.handles(DebtSettled)
async def debt_settled(session: AsyncSession, settled: DebtSettled, envelope: Envelope) -> None:
    """Paid in full: recovery stops."""
    case = await _case_for_debt(session, settled.debt_id)
    if case is not None:
        await close_case(session, case, "settled", settled.settled_on, envelope)


@runtime.inbox.handles(DebtCancelled)
async def debt_cancelled(session: AsyncSession, cancelled: DebtCancelled, envelope: Envelope) -> None:
    """The originating service cancelled the debt: recovery stops."""
    case = await _case_for_debt(session, cancelled.debt_id)
    if case is not None:
        await close_case(session, case, f"cancelled: {cancelled.reason}", cancelled.cancelled_on, envelope)


@runtime.inbox.handles_batch(WriteOffApproved)
async def write_offs_approved(session: AsyncSession, batch: list[tuple[WriteOffApproved, Envelope]]) -> None:
    """Written off: the case closes (the customer stays liable; a later payment reinstates it). A signed
    schedule approves thousands at once, so they are closed a batch at a time."""
    case_for_debt = await case_ids_for_debts(session, {approved.debt_id for approved, _ in batch})
    cases = await load_cases(session, policies, set(case_for_debt.values()))
    known = [(approved, envelope) for approved, envelope in batch if approved.debt_id in case_for_debt]
    await _write_off_outcomes(
        session,
        [
            (approved.request_id, "approved", approved.approved_by, approved.approved_on)
            for approved, _ in known
        ],
    )
    await close_cases(
        session,
        [
            CaseClosure(
                cases[case_for_debt[approved.debt_id]],
                f"written off ({approved.reason_code})",
                approved.approved_on,
                envelope,
            )
            for approved, envelope in known
        ],
    )


@runtime.inbox.handles(WriteOffRejected)
async def write_off_rejected(session: AsyncSession, rejected: WriteOffRejected, envelope: Envelope) -> None:
    """The write-off was refused: recovery resumes, with the reason on record; an exhausted timetable waits for
    an officer rather than asking again."""
    case = await _case_for_debt(session, rejected.debt_id)
    if case is None:
        return
    await _write_off_outcome(session, rejected.request_id, "rejected", rejected.reason, rejected.rejected_on)
    await session.execute(
        text(
            "UPDATE recovery.recovery_case SET status = 'open', write_off_rejected_reason = :reason "
            "WHERE case_id = :case_id AND status <> 'closed'"
        ),
        {"reason": rejected.reason, "case_id": case.case_id},
    )
    await record(
        session,
        [(case.case_id, rejected.rejected_on, "write_off_rejected", f"write-off refused: {rejected.reason}")],
    )
    await reschedule(session, policies, [case.case_id], clock.today())


async def _write_off_outcome(
    session: AsyncSession, request_id: UUID, outcome: str, reason: str, day: date
) -> None:
    await _write_off_outcomes(session, [(request_id, outcome, reason, day)])


async def _write_off_outcomes(session: AsyncSession, outcomes: list[tuple[UUID, str, str, date]]) -> None:
    """The write-off service's decisions (request id, outcome, reason, day), each recorded once."""
    if not outcomes:
        return
    await session.execute(
        text(
            "INSERT INTO recovery.write_off_outcome (request_id, outcome, reason, decided_on) "
            "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:outcomes AS text[]), CAST(:reasons AS text[]), "
            "CAST(:days AS date[])) ON CONFLICT DO NOTHING"
        ),
        {
            "ids": [o[0] for o in outcomes],
            "outcomes": [o[1] for o in outcomes],
            "reasons": [o[2] for o in outcomes],
            "days": [o[3] for o in outcomes],
        },
    )


@runtime.inbox.handles(DebtReinstated)
async def debt_reinstated(session: AsyncSession, reinstated: DebtReinstated, envelope: Envelope) -> None:
    """Money arrived on a written-off debt: the unpaid remainder is owed again and goes back to enforcement
    (Derby App.1 §12): the case reopens and the policy's referral step is taken again at once."""
    case = await _case_for_debt(session, reinstated.debt_id)
    if case is None:
        return
    day = reinstated.reinstated_on
    await session.execute(
        text(
            "UPDATE recovery.recovery_case SET status = 'open', balance_pence = :balance, closed_reason = NULL, "
            "closed_on = NULL, write_off_rejected_reason = NULL WHERE case_id = :case_id"
        ),
        {"balance": reinstated.reinstated_pence, "case_id": case.case_id},
    )
    await record(
        session,
        [
            (
                case.case_id,
                day,
                "reopened",
                f"written-off debt reinstated: {format_pounds(reinstated.reinstated_pence)} owed again, "
                "referred back for enforcement",
            )
        ],
    )
    case = (await load_cases(session, policies, [case.case_id]))[case.case_id]
    referral = _enforcement_step(case)
    if referral is None or holds_stopping_recovery(case.state.holds, day, case.state.balance):
        await reschedule(session, policies, [case.case_id], day)
        return
    work = StepsTaken(day)
    work.take(
        case, referral, case.state.balance, await _debtor(session, case), False, "Reinstated after write-off."
    )
    await work.write(session, runtime.outbox)


def _enforcement_step(case: LoadedCase) -> str | None:
    """The policy's agent referral step, else its last referral of any kind."""
    if case.policy is None:
        return None
    agent = [s for s in case.policy.steps if s.is_agent_referral]
    referrals = agent or [s for s in case.policy.steps if s.is_referral]
    return referrals[-1].name if referrals else None


async def _debtor(session: AsyncSession, case: LoadedCase) -> Debtor:
    rows = (
        await session.execute(
            text("SELECT name, large_print FROM recovery.customer WHERE customer_id = ANY(:ids)"),
            {"ids": case.customer_ids},
        )
    ).all()
    if not rows:
        return Debtor()
    return Debtor(name=" and ".join(r.name for r in rows), large_print=any(r.large_print for r in rows))


def _name(identity: LiableParty) -> str:
    if identity.kind == "organisation" and identity.organisation_name:
        return identity.organisation_name
    parts = (identity.title, identity.first_names, identity.surname)
    return " ".join(p for p in parts if p) or "the account holder"


async def _remember_customer(session: AsyncSession, customer_id: UUID, identity: LiableParty) -> None:
    await session.execute(
        text(
            "INSERT INTO recovery.customer (customer_id, kind, name) VALUES (:id, :kind, :name) "
            "ON CONFLICT (customer_id) DO UPDATE SET kind = excluded.kind, name = excluded.name"
        ),
        {"id": customer_id, "kind": identity.kind, "name": _name(identity)},
    )
    await session.execute(
        text(
            "UPDATE recovery.recovery_case c SET debtor_is_individual = :individual FROM recovery.case_customer cc "
            "WHERE cc.case_id = c.case_id AND cc.customer_id = :id"
        ),
        {"individual": identity.kind != "organisation", "id": customer_id},
    )


@runtime.inbox.handles(CustomerRegistered)
async def customer_registered(
    session: AsyncSession, customer: CustomerRegistered, envelope: Envelope
) -> None:
    """Keep the name letters are addressed to, and whether the debtor is a person (committal and similar steps
    are for individuals only)."""
    await _remember_customer(session, customer.customer_id, customer.identity)


@runtime.inbox.handles(CustomerAmended)
async def customer_amended(session: AsyncSession, customer: CustomerAmended, envelope: Envelope) -> None:
    """A corrected name or a company in place of a person: letters and conditions follow."""
    await _remember_customer(session, customer.customer_id, customer.identity)
