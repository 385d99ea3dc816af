"""Taking recovery steps: the step on record, its letter, its referral or write-off request, the events, and the
case's new position, gathered for many cases and written in a few set-based statements.

The daily run collects a whole batch of cases into one `StepsTaken` and writes it once; a handler that takes a
single step (a reinstated debt referred back for enforcement) uses the same code with one case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.case_state import LoadedCase, record
from services.recovery.domain.escalation import WriteOffReason, write_off_request
from services.recovery.domain.policy import StepKind
from services.recovery.domain.step_engine import stored_position, take_step
from services.recovery.letters import has_letter, step_letter
from shared.contracts.envelope import Contract
from shared.contracts.recovery import (
    CaseReferred,
    NoticeIssued,
    StageAdvanced,
    WriteOffRequested,
)
from shared.money import format_pounds

AGENCY_KIND = {
    StepKind.ENFORCEMENT_AGENT_REFERRAL: "enforcement_agent",
    StepKind.COLLECTION_AGENCY_REFERRAL: "collection_agency",
    StepKind.LEGAL_REFERRAL: "legal",
}
REQUESTED_BY_TIMETABLE = "recovery timetable"


@dataclass
class Debtor:
    """What a letter needs to know of the person or body it is addressed to."""

    name: str = "the account holder"
    large_print: bool = False


@dataclass
class StepsTaken:
    """Everything a batch of recovery work writes, gathered so it can be written in a handful of statements."""

    business_date: date
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    referrals: list[tuple[Any, ...]] = field(default_factory=list)
    notices: list[tuple[Any, ...]] = field(default_factory=list)
    write_off_requests: list[tuple[Any, ...]] = field(default_factory=list)
    entries: list[tuple[UUID, date, str, str]] = field(default_factory=list)
    case_updates: list[tuple[UUID, int, str, str | None, date | None]] = field(default_factory=list)
    messages: list[Contract] = field(default_factory=list)

    def take(
        self,
        case: LoadedCase,
        step_name: str,
        amount_pursued: int,
        debtor: Debtor,
        advice_referral: bool,
        referral_note: str = "",
    ) -> None:
        """Take the named step of the case's policy today: record it, write its letter, make its referral or
        write-off request, publish what happened, and work out the case's next position."""
        policy = case.policy
        assert policy is not None, "a case without a policy takes no step"
        step = policy.step_named(step_name)
        day = self.business_date
        step_id = uuid4()
        self.steps.append((step_id, case.case_id, step.name, step.kind.value, day, step.costs))
        costs_text = f", costs of {format_pounds(step.costs)} added" if step.costs else ""
        self.entries.append((case.case_id, day, "step", f"{step.name} ({step.kind.value}){costs_text}"))
        self.messages.append(
            StageAdvanced(
                case_id=case.case_id,
                debt_id=case.debt_id,
                step_name=step.name,
                step_kind=step.kind.value,
                taken_on=day,
                costs_added_pence=step.costs,
                enforcement_options_opened=[o.value for o in step.opens],
            )
        )
        amount_owed = amount_pursued + step.costs
        if has_letter(step):
            notice_id = uuid4()
            letter = step_letter(
                policy,
                step,
                debtor_name=debtor.name,
                reference=case.row["external_reference"] or str(case.debt_id),
                debt_type=case.row["debt_type"],
                financial_year=case.row["financial_year"],
                amount_owed=amount_owed,
                issued_on=day,
                due_date=case.row["due_date"],
                advice_referral=advice_referral,
                large_print=debtor.large_print,
            )
            self.notices.append(
                (notice_id, case.case_id, step_id, step.name, day, amount_owed, debtor.large_print, letter)
            )
            self.entries.append(
                (case.case_id, day, "notice", f"{step.name} letter issued for {format_pounds(amount_owed)}")
            )
            self.messages.append(
                NoticeIssued(
                    notice_id=notice_id,
                    case_id=case.case_id,
                    debt_id=case.debt_id,
                    customer_ids=case.customer_ids,
                    step_name=step.name,
                    issued_on=day,
                    amount_pence=amount_owed,
                    large_print=debtor.large_print,
                    letter_text=letter,
                )
            )
        status = "open"
        if step.is_referral:
            referral_id = uuid4()
            agency = AGENCY_KIND[step.kind]
            self.referrals.append((referral_id, case.case_id, step_id, agency, day, amount_owed))
            self.entries.append(
                (
                    case.case_id,
                    day,
                    "referral",
                    f"referred to {agency.replace('_', ' ')}. {referral_note}".strip(),
                )
            )
            if step.is_agent_referral:
                liability_order = next(
                    (
                        s.taken
                        for s in case.steps
                        if s.taken.kind is StepKind.LIABILITY_ORDER and not s.taken.void
                    ),
                    None,
                )
                self.messages.append(
                    CaseReferred(
                        referral_id=referral_id,
                        case_id=case.case_id,
                        debt_id=case.debt_id,
                        customer_ids=case.customer_ids,
                        debt_type=case.row["debt_type"],
                        balance_pence=amount_owed,
                        referred_on=day,
                        agency_kind=agency,
                        # The council's reference for its application: the case's reference and the order's date.
                        liability_order_reference=(
                            f"LO-{case.row['external_reference'] or case.debt_id}-{liability_order.taken_on:%Y%m%d}"
                            if liability_order
                            else None
                        ),
                        liability_order_date=liability_order.taken_on if liability_order else None,
                        vulnerability_flags=["vulnerable"] if case.row["vulnerable"] else [],
                        contact_notes=referral_note or None,
                    )
                )
        taken_state = take_step(case.state, step, day)
        if step.kind is StepKind.WRITE_OFF_REQUEST:
            self.request_write_off(
                replace(case, state=taken_state),
                WriteOffReason.UNECONOMIC_TO_PURSUE,
                (),
                REQUESTED_BY_TIMETABLE,
            )
            status = "write_off_requested"
            self.case_updates.append((case.case_id, taken_state.balance, status, None, None))
            return
        name, when = stored_position(policy, taken_state, day)
        self.case_updates.append((case.case_id, taken_state.balance, status, name, when))

    def request_write_off(
        self, case: LoadedCase, reason: WriteOffReason, evidence: tuple[str, ...], requested_by: str
    ) -> None:
        """Ask the write-off service to write the case's balance off, with the reason and the evidence."""
        assert case.policy is not None
        request = write_off_request(
            case.policy,
            case.state,
            reason,
            evidence
            or (f"recovery exhausted under the {case.policy.council} {case.row['debt_type']} policy",),
            self.business_date,
        )
        request_id = uuid4()
        self.write_off_requests.append(
            (
                request_id,
                case.case_id,
                case.debt_id,
                reason.value,
                request.amount,
                json.dumps(list(request.evidence)),
                requested_by,
                self.business_date,
            )
        )
        self.entries.append(
            (
                case.case_id,
                self.business_date,
                "write_off_request",
                f"write-off of {format_pounds(request.amount)} requested: {reason.value}",
            )
        )
        customer_ids = case.customer_ids
        self.messages.append(
            WriteOffRequested(
                request_id=request_id,
                case_id=case.case_id,
                debt_id=case.debt_id,
                customer_id=customer_ids[0] if customer_ids else None,
                debt_type=case.row["debt_type"],
                income_code=case.row["income_code"],
                originating_service=case.row["originating_service"],
                financial_year=case.row["financial_year"],
                amount_pence=request.amount,
                reason_code=reason.value,
                evidence=list(request.evidence),
                requested_by=requested_by,
                requested_on=self.business_date,
                council=case.policy.council if case.policy else None,
            )
        )

    def exhausted(self, case: LoadedCase) -> None:
        """Every step is taken and money is still owed: ask for the write-off if the policy says so."""
        assert case.policy is not None
        if case.policy.write_off_when_exhausted and case.state.balance > 0:
            self.request_write_off(case, WriteOffReason.UNECONOMIC_TO_PURSUE, (), REQUESTED_BY_TIMETABLE)
            self.case_updates.append((case.case_id, case.state.balance, "write_off_requested", None, None))
        else:
            self.case_updates.append((case.case_id, case.state.balance, "open", None, None))

    def move(self, case: LoadedCase, name: str | None, when: date | None) -> None:
        """No step today: only the case's stored position changes."""
        self.case_updates.append((case.case_id, case.state.balance, case.row["status"], name, when))

    async def write(self, session: AsyncSession, outbox: Any) -> None:
        """Write everything gathered: history rows with unnest, the case rows in one UPDATE, events in one go."""
        await _insert(
            session,
            "case_step (step_id, case_id, step_name, kind, taken_on, costs_pence)",
            ["uuid", "uuid", "text", "text", "date", "bigint"],
            self.steps,
        )
        await _insert(
            session,
            "referral (referral_id, case_id, step_id, agency_kind, referred_on, balance_pence)",
            ["uuid", "uuid", "uuid", "text", "date", "bigint"],
            self.referrals,
        )
        await _insert(
            session,
            "notice (notice_id, case_id, step_id, step_name, issued_on, amount_pence, large_print, letter_text)",
            ["uuid", "uuid", "uuid", "text", "date", "bigint", "boolean", "text"],
            self.notices,
        )
        await _insert(
            session,
            "write_off_request (request_id, case_id, debt_id, reason_code, amount_pence, evidence, requested_by,"
            " requested_on)",
            ["uuid", "uuid", "uuid", "text", "bigint", "jsonb", "text", "date"],
            self.write_off_requests,
        )
        await record(session, self.entries)
        if self.case_updates:
            columns = list(zip(*self.case_updates, strict=True))
            await session.execute(
                text(
                    """
                    UPDATE recovery.recovery_case c
                       SET balance_pence = u.balance, status = u.status,
                           next_step_name = u.name, next_step_eligible_from = u.eligible_from
                      FROM unnest(CAST(:ids AS uuid[]), CAST(:balances AS bigint[]), CAST(:statuses AS text[]),
                                  CAST(:names AS text[]), CAST(:dates AS date[]))
                           AS u(case_id, balance, status, name, eligible_from)
                     WHERE c.case_id = u.case_id
                    """
                ),
                {
                    "ids": list(columns[0]),
                    "balances": list(columns[1]),
                    "statuses": list(columns[2]),
                    "names": list(columns[3]),
                    "dates": list(columns[4]),
                },
            )
        await outbox.add_all(session, self.messages)


async def _insert(session: AsyncSession, target: str, types: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT ... SELECT FROM unnest(arrays): one statement for any number of rows."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    arrays = ", ".join(
        f"CAST(:c{i} AS {'text' if kind == 'jsonb' else kind}[])" for i, kind in enumerate(types)
    )
    selected = ", ".join(f"c{i}::jsonb" if kind == "jsonb" else f"c{i}" for i, kind in enumerate(types))
    names = ", ".join(f"c{i}" for i in range(len(types)))
    await session.execute(
        text(f"INSERT INTO recovery.{target} SELECT {selected} FROM unnest({arrays}) AS u({names})"),
        {f"c{i}": list(column) for i, column in enumerate(columns)},
    )
