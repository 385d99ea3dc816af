"""Reading recovery cases into the domain's `RecoveryCaseState`, many at a time, and keeping the stored next
step up to date.

A case's state is its row, its steps (with voids and ended referrals) and its holds (with lifts). The daily run
loads thousands at once with three `= ANY(:ids)` queries; handlers load one or a handful the same way. Proof of
debt requests are read only for cases whose policy has a proof of debt step (NELC 5.10), and what was asked of the
benefits system only for those whose policy asks it first (`benefits_system_first`, NELC 7.2); for those the order
of recovery's decision is worked out once here (`RequestsMade`), not at each question the step engine asks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.recovery.council_policies import policy_for_case
from services.recovery.domain.case import ArrangementStatus, RecoveryCaseState
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.exhausted_timetable import awaiting_decision
from services.recovery.domain.hb_order_of_recovery import (
    BenefitRequestMade,
    RequestsMade,
    asking_date,
    benefits_system_decision,
    suspension_needed,
)
from services.recovery.domain.holds import recovery_next_stopped_on, recovery_resumes_on
from services.recovery.domain.instalments import InstalmentLedger
from services.recovery.domain.policy import PolicyBook, RecoveryPolicy, StepKind
from services.recovery.domain.regulated_case import case_position, follows_regulated_path
from services.recovery.domain.regulated_path import CourtResult
from services.recovery.stores import RecoveryStores
from services.recovery.stores.cases import CaseRow, CaseStore, Position, StoredHold, StoredStep
from services.recovery.stores.proof_of_debt import StoredProofOfDebt


@dataclass(frozen=True)
class LoadedCase:
    """A case as stored (the row) and as the step engine sees it (the state)."""

    row: CaseRow
    steps: list[StoredStep]
    holds: list[StoredHold]
    policy: RecoveryPolicy | None
    state: RecoveryCaseState
    # Council tax and rates: the year's instalments and the court's outcomes (the regulated path).
    ledger: InstalmentLedger | None = None
    court_results: tuple[CourtResult, ...] = ()
    # The proof of debt asked at a step that still counts (the latest), with its first answer (NELC 5.10).
    proof_of_debt: StoredProofOfDebt | None = None

    @property
    def on_regulated_path(self) -> bool:
        """True when the law's path, not the count of defaults, decides the case's notices and summons."""
        return self.policy is not None and follows_regulated_path(self.policy, self.ledger)

    @property
    def case_id(self) -> UUID:
        """The case's id."""
        return self.row.case_id

    @property
    def debt_id(self) -> UUID:
        """The debt the case pursues."""
        return self.row.debt_id

    @property
    def customer_ids(self) -> list[UUID]:
        """Everyone liable for the debt."""
        return self.row.customer_ids

    def open_referrals(self) -> list[StoredStep]:
        """Referrals still with an agent, agency or legal services."""
        return [s for s in self.steps if s.taken.is_open_referral and s.referral_id is not None]


def standing_proof_of_debt(
    steps: Sequence[StoredStep], proofs: Sequence[StoredProofOfDebt]
) -> StoredProofOfDebt | None:
    """The latest proof of debt request made at a step that still counts (a voided step's request is void too)."""
    counting = {s.step_id for s in steps if not s.taken.void}
    made = [p for p in proofs if p.request.step_id in counting]
    return made[-1] if made else None


def state_of(
    row: CaseRow,
    steps: Sequence[StoredStep],
    holds: Sequence[StoredHold],
    proof: StoredProofOfDebt | None = None,
    benefit_requests: Sequence[BenefitRequestMade] = (),
) -> RecoveryCaseState:
    """The engine's view of a case row with its steps and holds (and its standing proof of debt request, and
    what was asked of the benefits system: kept as given when it is `RequestsMade`, decision and all)."""
    return RecoveryCaseState(
        case_id=str(row.case_id),
        debt_type=DebtType(row.debt_type),
        due_date=row.due_date,
        balance=row.balance_pence,
        steps_taken=tuple(s.taken for s in steps),
        defaults_count=row.defaults_count,
        holds=tuple(h.hold for h in holds),
        arrangement=ArrangementStatus(row.arrangement_status) if row.arrangement_status else None,
        vulnerable=row.vulnerable,
        cant_pay=row.cant_pay,
        circumstances_reviewed_on=row.circumstances_reviewed_on,
        debtor_is_individual=row.debtor_is_individual,
        group=row.policy_group,
        customer_id=str(row.customer_ids[0]) if row.customer_ids else "",
        proof_of_debt=proof.as_domain if proof is not None else None,
        benefit_requests=(
            benefit_requests if isinstance(benefit_requests, RequestsMade) else tuple(benefit_requests)
        ),
    )


def asks_for_proof_of_debt(policy: RecoveryPolicy | None) -> bool:
    """True when the policy has a proof of debt step (NELC 5.10): only its cases have requests to read."""
    return policy is not None and any(s.kind is StepKind.PROOF_OF_DEBT_REQUEST for s in policy.steps)


def asks_the_benefits_system_first(policy: RecoveryPolicy | None) -> bool:
    """True when the policy asks the benefits system before its invoice timetable (NELC 7.2, RBWM 9)."""
    return policy is not None and bool(policy.benefits_system_first)


def loaded(
    row: CaseRow,
    steps: list[StoredStep],
    holds: list[StoredHold],
    policy: RecoveryPolicy | None,
    ledger: InstalmentLedger | None = None,
    court_results: tuple[CourtResult, ...] = (),
    proofs: Sequence[StoredProofOfDebt] = (),
    benefit_requests: Sequence[BenefitRequestMade] = (),
) -> LoadedCase:
    """A case row with its steps and holds (and, for council tax and rates, its instalments and the court's
    outcomes; where its policy has them, its proof of debt and what the benefits system was asked, with the
    order of recovery's decision on it worked out once), under the council's policy for its debt type."""
    proof = standing_proof_of_debt(steps, proofs)
    if asks_the_benefits_system_first(policy):
        assert policy is not None
        benefit_requests = RequestsMade(policy.benefits_system_first, benefit_requests)
    return LoadedCase(
        row=row,
        steps=steps,
        holds=holds,
        policy=policy,
        state=state_of(row, steps, holds, proof, benefit_requests),
        ledger=ledger,
        court_results=court_results,
        proof_of_debt=proof,
    )


async def load_cases(cases: CaseStore, book: PolicyBook, case_ids: Iterable[UUID]) -> dict[UUID, LoadedCase]:
    """Cases by id with everything the engine needs, in a handful of queries whatever the number (proof of debt
    and benefits system rows only for the cases whose policy has those steps, none when no case's has)."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return {}
    rows = await cases.rows(ids)
    steps: dict[UUID, list[StoredStep]] = defaultdict(list)
    for step in await cases.steps(ids):
        steps[step.case_id].append(step)
    holds: dict[UUID, list[StoredHold]] = defaultdict(list)
    for hold in await cases.holds(ids):
        holds[hold.case_id].append(hold)
    ledgers = await cases.instalment_ledgers([row.debt_id for row in rows])
    court = await cases.court_results([row.case_id for row in rows])
    policies = {row.case_id: policy_for_case(book, row.debt_type, row.policy_group) for row in rows}
    proving = [case_id for case_id, policy in policies.items() if asks_for_proof_of_debt(policy)]
    proofs = await cases.proofs_of_debt(proving) if proving else {}
    asking = [case_id for case_id, policy in policies.items() if asks_the_benefits_system_first(policy)]
    benefits = await cases.benefit_requests(asking) if asking else {}
    return {
        row.case_id: loaded(
            row,
            steps[row.case_id],
            holds[row.case_id],
            policies[row.case_id],
            ledgers.get(row.debt_id),
            court.get(row.case_id, ()),
            proofs.get(row.case_id, ()),
            benefits.get(row.case_id, ()),
        )
        for row in rows
    }


async def load_case(cases: CaseStore, book: PolicyBook, case_id: UUID) -> LoadedCase | None:
    """One case, or None."""
    return (await load_cases(cases, book, [case_id])).get(case_id)


async def case_for_debt(cases: CaseStore, book: PolicyBook, debt_id: UUID) -> LoadedCase | None:
    """The debt's case, or None when recovery has none."""
    case_id = (await cases.case_ids_for_debts([debt_id])).get(debt_id)
    return None if case_id is None else await load_case(cases, book, case_id)


def position_of(case: LoadedCase, business_date: date) -> tuple[str | None, date | None]:
    """Where the case stands for the daily run: its next step and the date it may be taken (see
    `stored_position`). Closed cases, cases waiting for their first instalment default, cases waiting in the
    officers' decision tray (the officer's decision says what happens next, issue 19) and exhausted cases whose
    write-off was refused wait for an event instead. Council tax and rates with known instalments follow the
    regulated path from the day billing raised them: the ledger says when an instalment is in default. A housing
    benefit overpayment the order of recovery says to ask of the benefits system (never asked, or suspended while a
    hold stopped recovery) is dated the day recovery resumes: the business date, or the day after a dated hold
    ends, so the daily run asks it then (NELC 7.2); a hold with no known end waits for its lifting or end. One
    deducting or asked is dated the first day a hold entered ahead of its start stops recovery, so the daily run
    asks the benefits system to suspend it that day."""
    row, policy = case.row, case.policy
    if row.status != "open" or policy is None:
        return None, None
    if awaiting_decision(row.awaiting_decision_since, row.status, row.arrangement_status):
        return None, None
    if row.awaiting_default and not case.on_regulated_path:
        return None, None
    name, when = case_position(policy, case.state, case.ledger, case.court_results, business_date)
    if name is None and when is not None and row.write_off_rejected_reason:
        return None, None  # the write-off was refused: an officer decides what next, not the timetable
    if name is None and when is None and policy.benefits_system_first and case.state.balance > 0:
        holds, balance = case.state.holds, case.state.balance
        decision = benefits_system_decision(policy.benefits_system_first, case.state.benefit_requests)
        if suspension_needed(
            decision
        ):  # deducting or asked: a hold entered ahead suspends it on its first day
            return None, recovery_next_stopped_on(holds, business_date, balance)
        return None, asking_date(decision, recovery_resumes_on(holds, business_date, balance))
    return name, when


async def reschedule(
    stores: RecoveryStores, book: PolicyBook, case_ids: Iterable[UUID], business_date: date
) -> None:
    """Recompute and store the next step and its date of each case after a change."""
    cases = await load_cases(stores.cases, book, case_ids)
    await stores.cases.store_positions(
        [Position(c.case_id, *position_of(c, business_date)) for c in cases.values()]
    )
