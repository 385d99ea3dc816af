"""A recovery case follows its debt as billing reports it: opened when raised, balance as it moves, instalment
defaults counted, closed when settled, cancelled or written off, reopened and referred back for enforcement when
a written-off debt is reinstated; and the write-off service's answers."""

from __future__ import annotations

from uuid import UUID, uuid4

from services.recovery.benefit_deductions import ask_the_benefits_system
from services.recovery.breathing_space import apply_breathing_space_notices
from services.recovery.case_state import LoadedCase, case_for_debt, load_case, load_cases, reschedule
from services.recovery.council_policies import NO_RECOVERY_ROUTE, policy_for_case
from services.recovery.domain.balances import case_balances
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.exhausted_timetable import WriteOffApplied, write_off_applied
from services.recovery.domain.holds import holds_stopping_recovery
from services.recovery.domain.regulated_path import enforcement_allowed
from services.recovery.holds import CaseClosure, close_case, close_cases
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.step_taking import StepsTaken
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.cases import DebtOpened, WrittenOff
from services.recovery.stores.instalments import StoredInstalment
from services.recovery.stores.steps import WriteOffOutcome
from shared.contracts.billing import (
    BalancesChanged,
    CustomerAmended,
    CustomerRegistered,
    DebtCancelled,
    DebtRaised,
    DebtReinstated,
    DebtSettled,
    InstalmentFellDue,
    each_balance_change,
)
from shared.contracts.council_systems import LiableParty
from shared.contracts.envelope import Envelope
from shared.contracts.writeoff import WriteOffApproved, WriteOffRejected
from shared.messaging.inbox_router import InboxRouter
from shared.money import format_pounds

router = InboxRouter[RecoveryStores, Recovery]()
# The debts the 1992 and 1989 Regulations take through reminder, summons and the magistrates' court.
REGULATED_PATH_DEBT_TYPES = frozenset({DebtType.COUNCIL_TAX.value, DebtType.BUSINESS_RATES.value})


@router.handles(DebtRaised)
async def open_recovery_case(debt: DebtRaised, handling: RecoveryHandling) -> None:
    """A new debt gets a recovery case, waiting for its due date (or, for a debt paid by instalments, for its
    first instalment to fall due unpaid). A breathing space that arrived before the debt applies at once."""
    stores, service = handling.stores, handling.service
    case_id = uuid4()
    group = opened_policy_group(debt, service)
    opened = await stores.cases.open(
        DebtOpened(
            case_id=case_id,
            debt_id=debt.debt_id,
            customer_ids=list(debt.customer_ids),
            debt_type=debt.debt_type,
            amount_pence=debt.amount_pence,
            due_date=debt.due_date,
            financial_year=debt.financial_year,
            income_code=debt.income_code,
            originating_service=debt.originating_service,
            external_reference=debt.external_reference,
            evidence_reference=debt.evidence_reference,
            raised_on=debt.raised_on,
            awaiting_default=bool(debt.instalments),
            policy_group=group,
        )
    )
    # Council tax and rates keep their schedule for the regulated path (kept even when the case already
    # exists: the same facts told twice leave the same rows).
    if debt.debt_type in REGULATED_PATH_DEBT_TYPES:
        await stores.instalments.add_instalments(
            [
                StoredInstalment(
                    debt.debt_id, i.number, debt.financial_year, i.due_date, i.amount_pence, "schedule"
                )
                for i in debt.instalments
            ]
        )
    if not opened:
        return  # the same debt announced twice: one case
    waiting = "its first instalment to fall due" if debt.instalments else f"its due date {debt.due_date}"
    await stores.record.append(
        [
            CaseEntry(
                case_id,
                debt.raised_on,
                "opened",
                f"{debt.debt_type} debt of {format_pounds(debt.amount_pence)} raised by {debt.originating_service} "
                f"({debt.external_reference}); recovery waits for {waiting}",
            )
        ]
    )
    if policy_for_case(service.policies, debt.debt_type, group) is None:
        # No route for this debt type: said on the case and counted in the officers' tray, never left silent.
        await stores.record.append(
            [
                CaseEntry(
                    case_id,
                    debt.raised_on,
                    NO_RECOVERY_ROUTE,
                    f"no recovery steps for {debt.debt_type}{' group ' + group if group else ''}: "
                    f"{service.policies.reason_for_no_route(debt.debt_type)}; an officer decides what is done",
                )
            ]
        )
    await apply_breathing_space_notices(handling, case_id, debt.debt_id)
    policy = policy_for_case(service.policies, debt.debt_type, group)
    if policy is not None and policy.benefits_system_first:
        # NELC 7.2: a housing benefit overpayment is asked of the benefits system before any invoice step.
        case = await load_case(stores.cases, service.policies, case_id)
        if case is not None:
            await ask_the_benefits_system(handling, case, service.clock.today())
    await reschedule(stores, service.policies, [case_id], service.clock.today())


def opened_policy_group(debt: DebtRaised, service: Recovery) -> str | None:
    """The special group a new debt follows, by the income code it was raised to (settings)."""
    return service.settings.policy_groups_by_income_code.get(debt.income_code)


@router.handles_batch(BalancesChanged)
async def balances_changed(
    statements: list[tuple[BalancesChanged, Envelope]], handling: RecoveryHandling
) -> None:
    """Keep each case's balance as billing states it, many changes at a time (balance changes are billing's
    busiest events, stated many to a message); a payment may leave nothing to pursue. Changes of one debt apply
    in order: the last stands, and each is a line on the case record."""
    stores, service = handling.stores, handling.service
    changes = [change for change, _ in each_balance_change(statements)]
    case_for = await stores.cases.case_ids_for_debts(list({change.debt_id for change in changes}))
    stated = case_balances(changes, case_for)
    if not stated.balances:
        return
    await stores.cases.set_balances(stated.balances)
    # What billing's restatements after posting a write-off took off, for the approval that may arrive after them.
    written_off: dict[UUID, int] = {}
    for change in changes:
        if change.cause == "write_off" and change.debt_id in case_for:
            case_id = case_for[change.debt_id]
            written_off[case_id] = written_off.get(case_id, 0) - change.change_pence
    await stores.cases.write_offs_stated(written_off)
    await stores.record.append([CaseEntry(*entry) for entry in stated.record])
    await reschedule(stores, service.policies, list(stated.balances), service.clock.today())


@router.handles(InstalmentFellDue)
async def instalment_fell_due(due: InstalmentFellDue, handling: RecoveryHandling) -> None:
    """Billing says an instalment's day has come with money owed on it. On the regulated path the instalment
    ledger decides (it is late only once its day has passed, whatever the order this and the payments arrive
    in); this event only adds an instalment recovery had not heard of. Cases opened before recovery kept
    instalments count the default as before (a final notice only on the third)."""
    if due.outstanding_pence <= 0:
        return
    stores, service = handling.stores, handling.service
    case = await case_for_debt(stores.cases, service.policies, due.debt_id)
    if case is None or case.row.status == "closed":
        return
    if case.policy is not None and case.policy.regulated_terms is not None and case.ledger is not None:
        if all(i.number != due.instalment_number for i in case.ledger.instalments):
            await stores.instalments.add_instalments(
                [
                    StoredInstalment(
                        due.debt_id,
                        due.instalment_number,
                        case.row.financial_year,
                        due.due_date,
                        due.outstanding_pence,
                        "fell_due",
                    )
                ]
            )
            await reschedule(stores, service.policies, [case.case_id], service.clock.today())
        return
    if due.instalment_number in case.row.defaulted_instalments:
        return
    count = len(case.row.defaulted_instalments) + 1
    await stores.cases.instalment_defaulted(case.case_id, due.instalment_number, due.due_date, count)
    await stores.record.append(
        [
            CaseEntry(
                case.case_id,
                due.due_date,
                "instalment_default",
                f"instalment {due.instalment_number} due {due.due_date.isoformat()} unpaid "
                f"({format_pounds(due.outstanding_pence)} outstanding): default {count} this year",
            )
        ]
    )
    await reschedule(stores, service.policies, [case.case_id], service.clock.today())


@router.handles(DebtSettled)
async def debt_settled(settled: DebtSettled, handling: RecoveryHandling) -> None:
    """Paid in full: recovery stops."""
    case = await case_for_debt(handling.stores.cases, handling.service.policies, settled.debt_id)
    if case is not None:
        await close_case(handling, case, "settled", settled.settled_on)


@router.handles(DebtCancelled)
async def debt_cancelled(cancelled: DebtCancelled, handling: RecoveryHandling) -> None:
    """The originating service cancelled the debt: recovery stops."""
    case = await case_for_debt(handling.stores.cases, handling.service.policies, cancelled.debt_id)
    if case is not None:
        await close_case(handling, case, f"cancelled: {cancelled.reason}", cancelled.cancelled_on)


@router.handles_batch(WriteOffApproved)
async def write_offs_approved(
    batch: list[tuple[WriteOffApproved, Envelope]], handling: RecoveryHandling
) -> None:
    """Written off in full: the case closes (the customer stays liable; a later payment reinstates it). Written
    off for less than is owed: the case stays open for the remainder and recovery goes on; for a formal insolvency
    (only the debt up to the order is written off, Derby App.1 §7) the remainder, accrued after the order, waits in
    the officers' decision tray with what was written off and what remains as why
    (`domain/exhausted_timetable.py` `write_off_applied`). A signed schedule approves thousands at once, so they
    are applied a batch at a time; an approval heard before (a replay) is applied once."""
    stores, service = handling.stores, handling.service
    case_for = await stores.cases.case_ids_for_debts(list({approved.debt_id for approved, _ in batch}))
    cases = await load_cases(stores.cases, service.policies, set(case_for.values()))
    heard = await stores.cases.approvals_heard(list({approved.request_id for approved, _ in batch}))
    known: list[tuple[WriteOffApproved, Envelope]] = []
    for approved, envelope in batch:
        if approved.debt_id in case_for and approved.request_id not in heard:
            heard.add(approved.request_id)
            known.append((approved, envelope))
    await stores.steps.add_write_off_outcomes(
        [
            WriteOffOutcome(approved.request_id, "approved", approved.approved_by, approved.approved_on)
            for approved, _ in known
        ]
    )
    left: dict[UUID, tuple[WriteOffApproved, Envelope, WriteOffApplied]] = {}
    entries: list[CaseEntry] = []
    for approved, envelope in known:  # in order: two approvals of one debt see each other
        case = cases[case_for[approved.debt_id]]
        before = left.get(case.case_id)
        balance = before[2].remainder if before else case.row.balance_pence
        ahead = before[2].billing_ahead if before else case.row.billing_write_off_ahead_pence
        applied = write_off_applied(
            approved.amount_pence,
            balance,
            ahead,
            approved.reason_code,
            from_the_tray=case.row.awaiting_decision_since is not None,
        )
        left[case.case_id] = (approved, envelope, applied)
        if not applied.closes_the_case and case.row.status != "closed":
            entries.append(_written_off_in_part(case.case_id, approved, applied))
    stays_open = {
        case_id
        for case_id, (_, _, applied) in left.items()
        if not applied.closes_the_case and cases[case_id].row.status != "closed"
    }
    await stores.cases.written_off(
        [
            WrittenOff(
                case_id,
                applied.remainder,
                applied.billing_ahead,
                case_id in stays_open,
                awaiting_decision_since=approved.approved_on if applied.awaiting_decision_why else None,
                awaiting_decision_why=applied.awaiting_decision_why,
            )
            for case_id, (approved, _, applied) in left.items()
        ]
    )
    await stores.record.append(entries)
    await close_cases(
        handling,
        [
            CaseClosure(
                cases[case_id], f"written off ({approved.reason_code})", approved.approved_on, envelope
            )
            for case_id, (approved, envelope, applied) in left.items()
            if applied.closes_the_case
        ],
    )
    # The remainder goes on where its timetable stands, unless an officer is to decide (no date of its own then).
    await reschedule(
        stores,
        service.policies,
        [case_id for case_id in stays_open if not left[case_id][2].awaiting_decision_why],
        service.clock.today(),
    )


def _written_off_in_part(case_id: UUID, approved: WriteOffApproved, applied: WriteOffApplied) -> CaseEntry:
    """The case record's line for a write-off that leaves money owed: what was written off, what remains, and
    what happens to it."""
    next_course = (
        f"due for an officer's decision: {applied.awaiting_decision_why}"
        if applied.awaiting_decision_why
        else "recovery goes on for the remainder"
    )
    return CaseEntry(
        case_id,
        approved.approved_on,
        "written_off_in_part",
        f"write-off of {format_pounds(applied.written_off)} approved ({approved.reason_code}) by "
        f"{approved.approved_by}; {format_pounds(applied.remainder)} still owed: {next_course}",
    )


@router.handles(WriteOffRejected)
async def write_off_rejected(rejected: WriteOffRejected, handling: RecoveryHandling) -> None:
    """The write-off was refused: the reason goes on record and the case waits in the officers' decision tray
    from the day of the refusal, with the refusal as why (issue 19), however the write-off was asked for (the
    timetable, an agent's return, no proof of debt, an officer); an exhausted timetable never asks again by
    itself."""
    stores, service = handling.stores, handling.service
    case = await case_for_debt(stores.cases, service.policies, rejected.debt_id)
    if case is None:
        return
    await stores.steps.add_write_off_outcomes(
        [WriteOffOutcome(rejected.request_id, "rejected", rejected.reason, rejected.rejected_on)]
    )
    await stores.cases.write_off_refused(
        case.case_id, rejected.reason, rejected.rejected_on, f"write-off refused: {rejected.reason}"
    )
    await stores.record.append(
        [
            CaseEntry(
                case.case_id,
                rejected.rejected_on,
                "write_off_rejected",
                f"write-off refused: {rejected.reason}",
            )
        ]
    )
    await reschedule(stores, service.policies, [case.case_id], service.clock.today())


@router.handles(DebtReinstated)
async def debt_reinstated(reinstated: DebtReinstated, handling: RecoveryHandling) -> None:
    """Money arrived on a written-off debt: the unpaid remainder is owed again and goes back to enforcement
    (Derby App.1 §12): the case reopens and the policy's referral step is taken again at once."""
    stores, service = handling.stores, handling.service
    case = await case_for_debt(stores.cases, service.policies, reinstated.debt_id)
    if case is None:
        return
    day = reinstated.reinstated_on
    await stores.cases.reopen(case.case_id, reinstated.reinstated_pence)
    await stores.record.append(
        [
            CaseEntry(
                case.case_id,
                day,
                "reopened",
                f"written-off debt reinstated: {format_pounds(reinstated.reinstated_pence)} owed again, "
                "referred back for enforcement",
            )
        ]
    )
    reopened = await load_case(stores.cases, service.policies, case.case_id)
    assert reopened is not None
    referral = _enforcement_step(reopened)
    if referral is not None and not _may_enforce(reopened, referral):
        referral = None  # council tax or rates: enforcement only on a liability order the court granted
    if referral is None or holds_stopping_recovery(reopened.state.holds, day, reopened.state.balance):
        await reschedule(stores, service.policies, [case.case_id], day)
        return
    work = StepsTaken(day)
    debtor = await stores.customers.debtor(reopened.customer_ids)
    work.take(reopened, referral, reopened.state.balance, debtor, False, "Reinstated after write-off.")
    await work.write(stores, handling.outbox)


def _may_enforce(case: LoadedCase, step_name: str) -> bool:
    assert case.policy is not None
    if case.policy.regulated_terms is None:
        return True
    return enforcement_allowed(case.policy.step_named(step_name).kind, case.court_results)


def _enforcement_step(case: LoadedCase) -> str | None:
    """The policy's agent referral step, else its last referral of any kind."""
    if case.policy is None:
        return None
    agent = [s for s in case.policy.steps if s.is_agent_referral]
    referrals = agent or [s for s in case.policy.steps if s.is_referral]
    return referrals[-1].name if referrals else None


def _name(identity: LiableParty) -> str:
    if identity.kind == "organisation" and identity.organisation_name:
        return identity.organisation_name
    parts = (identity.title, identity.first_names, identity.surname)
    return " ".join(p for p in parts if p) or "the account holder"


async def _remember_customer(handling: RecoveryHandling, customer_id: UUID, identity: LiableParty) -> None:
    # Whether the debtor is an individual is restated from every customer of each case (the rule in
    # domain/debtors.py, its SQL twin in stores/cases.py), as when the case was opened.
    await handling.stores.customers.remember(customer_id, identity.kind, _name(identity))
    # Where the letters are posted (issue 16: the address in the envelope's window).
    await handling.stores.letters.remember_address(
        customer_id, identity.address.lines, identity.address.postcode
    )
    await handling.stores.cases.restate_debtor_kind(customer_id)


@router.handles(CustomerRegistered)
async def customer_registered(customer: CustomerRegistered, handling: RecoveryHandling) -> None:
    """Keep the name letters are addressed to, and whether the debtor is a person (committal and similar steps
    are for individuals only)."""
    await _remember_customer(handling, customer.customer_id, customer.identity)


@router.handles(CustomerAmended)
async def customer_amended(customer: CustomerAmended, handling: RecoveryHandling) -> None:
    """A corrected name or a company in place of a person: letters and conditions follow."""
    await _remember_customer(handling, customer.customer_id, customer.identity)
