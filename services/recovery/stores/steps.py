"""What recovery did on cases: steps (`case_step`) and their voids, referrals and their ends, letters
(`notice`), write-off requests and the write-off service's outcomes. Written many rows at a time with `unnest`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.stores.store import Store, as_arrays


@dataclass(frozen=True)
class StepRecord:
    """A step taken on a case."""

    step_id: UUID
    case_id: UUID
    step_name: str
    kind: str
    taken_on: date
    costs_pence: int


@dataclass(frozen=True)
class ReferralRecord:
    """A case referred to an enforcement agent, a collection agency or legal services."""

    referral_id: UUID
    case_id: UUID
    step_id: UUID
    agency_kind: str
    referred_on: date
    balance_pence: int


@dataclass(frozen=True)
class NoticeRecord:
    """A letter issued for a step."""

    notice_id: UUID
    case_id: UUID
    step_id: UUID
    step_name: str
    issued_on: date
    amount_pence: int
    large_print: bool
    letter_text: str


@dataclass(frozen=True)
class WriteOffRequestRecord:
    """A write-off asked of the write-off service."""

    request_id: UUID
    case_id: UUID
    debt_id: UUID
    reason_code: str
    amount_pence: int
    evidence: tuple[str, ...]
    requested_by: str
    requested_on: date


@dataclass(frozen=True)
class WriteOffOutcome:
    """The write-off service's decision on a request."""

    request_id: UUID
    outcome: str
    reason: str
    decided_on: date


class StepStore(Store):
    """Steps, referrals, letters and write-off requests, as one batch of recovery work writes them."""

    _STEPS = text(
        "INSERT INTO recovery.case_step (step_id, case_id, step_name, kind, taken_on, costs_pence) "
        "SELECT * FROM unnest(CAST(:step_id AS uuid[]), CAST(:case_id AS uuid[]), CAST(:step_name AS text[]), "
        "CAST(:kind AS text[]), CAST(:taken_on AS date[]), CAST(:costs_pence AS bigint[]))"
    )
    _REFERRALS = text(
        "INSERT INTO recovery.referral (referral_id, case_id, step_id, agency_kind, referred_on, balance_pence) "
        "SELECT * FROM unnest(CAST(:referral_id AS uuid[]), CAST(:case_id AS uuid[]), CAST(:step_id AS uuid[]), "
        "CAST(:agency_kind AS text[]), CAST(:referred_on AS date[]), CAST(:balance_pence AS bigint[]))"
    )
    _NOTICES = text(
        "INSERT INTO recovery.notice (notice_id, case_id, step_id, step_name, issued_on, amount_pence, "
        "large_print, letter_text) "
        "SELECT * FROM unnest(CAST(:notice_id AS uuid[]), CAST(:case_id AS uuid[]), CAST(:step_id AS uuid[]), "
        "CAST(:step_name AS text[]), CAST(:issued_on AS date[]), CAST(:amount_pence AS bigint[]), "
        "CAST(:large_print AS boolean[]), CAST(:letter_text AS text[]))"
    )
    _WRITE_OFF_REQUESTS = text(
        "INSERT INTO recovery.write_off_request (request_id, case_id, debt_id, reason_code, amount_pence, "
        "evidence, requested_by, requested_on) "
        "SELECT u.request_id, u.case_id, u.debt_id, u.reason_code, u.amount_pence, u.evidence::jsonb, "
        "u.requested_by, u.requested_on "
        "FROM unnest(CAST(:request_id AS uuid[]), CAST(:case_id AS uuid[]), CAST(:debt_id AS uuid[]), "
        "CAST(:reason_code AS text[]), CAST(:amount_pence AS bigint[]), CAST(:evidence AS text[]), "
        "CAST(:requested_by AS text[]), CAST(:requested_on AS date[])) AS u(request_id, case_id, debt_id, "
        "reason_code, amount_pence, evidence, requested_by, requested_on)"
    )
    _VOID = text(
        "INSERT INTO recovery.step_void (step_id, voided_on, reason) "
        "SELECT unnest(CAST(:ids AS uuid[])), :day, :reason ON CONFLICT DO NOTHING"
    )
    _END_REFERRAL = text(
        "INSERT INTO recovery.referral_end (referral_id, ended_on, how, reason) "
        "VALUES (:id, :day, :how, :reason) ON CONFLICT DO NOTHING RETURNING referral_id"
    )
    _OUTCOMES = text(
        "INSERT INTO recovery.write_off_outcome (request_id, outcome, reason, decided_on) "
        "SELECT * FROM unnest(CAST(:request_id AS uuid[]), CAST(:outcome AS text[]), CAST(:reason AS text[]), "
        "CAST(:decided_on AS date[])) ON CONFLICT DO NOTHING"
    )

    async def add_steps(self, steps: list[StepRecord]) -> None:
        """Record steps taken, in one statement."""
        if steps:
            await self.session.execute(self._STEPS, as_arrays(steps))

    async def add_referrals(self, referrals: list[ReferralRecord]) -> None:
        """Record referrals made, in one statement."""
        if referrals:
            await self.session.execute(self._REFERRALS, as_arrays(referrals))

    async def add_notices(self, notices: list[NoticeRecord]) -> None:
        """Record letters issued, in one statement."""
        if notices:
            await self.session.execute(self._NOTICES, as_arrays(notices))

    async def add_write_off_requests(self, requests: list[WriteOffRequestRecord]) -> None:
        """Record write-off requests, in one statement (the evidence as a JSON list)."""
        if requests:
            evidence = [json.dumps(list(r.evidence)) for r in requests]
            await self.session.execute(
                self._WRITE_OFF_REQUESTS, {**as_arrays(requests), "evidence": evidence}
            )

    async def void(self, step_ids: list[UUID], day: date, reason: str) -> None:
        """These steps are void from `day` (kept on record, never deleted)."""
        await self.session.execute(self._VOID, {"ids": step_ids, "day": day, "reason": reason})

    async def end_referral(self, referral_id: UUID, day: date, how: str, reason: str) -> bool:
        """End a referral (recalled, returned, rejected, referred back); False when it had already ended."""
        ended = await self.session.execute(
            self._END_REFERRAL, {"id": referral_id, "day": day, "how": how, "reason": reason}
        )
        return ended.first() is not None

    async def add_write_off_outcomes(self, outcomes: list[WriteOffOutcome]) -> None:
        """The write-off service's decisions, each recorded once."""
        if outcomes:
            await self.session.execute(self._OUTCOMES, as_arrays(outcomes))
