"""Proof of debt asked of originating services and their answers (`proof_of_debt_request`, `proof_of_debt_answer`,
both append-only), read back as the domain's `ProofOfDebtRequest` (with the first answer, the one that stands)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.domain.proof_of_debt import ProofOfDebtAnswer, ProofOfDebtOutcome, ProofOfDebtRequest
from services.recovery.stores.store import Store, as_arrays


@dataclass(frozen=True)
class ProofOfDebtRequestRecord:
    """A request for proof of a debt, made at a step of the case."""

    request_id: UUID
    case_id: UUID
    step_id: UUID
    step_name: str
    originating_service: str
    asked: str
    requested_on: date
    reply_by: date


@dataclass(frozen=True)
class ProofOfDebtAnswerRecord:
    """One answer of the originating service (the envelope's event id is the answer's id)."""

    answer_id: UUID
    request_id: UUID
    outcome: str
    answered_on: date
    detail: str
    confirmed_by: str


@dataclass(frozen=True)
class StoredProofOfDebt:
    """A request as stored, with its first answer (None: not answered)."""

    request: ProofOfDebtRequestRecord
    first_answer: ProofOfDebtAnswerRecord | None

    @property
    def as_domain(self) -> ProofOfDebtRequest:
        """The domain's view: the step, the dates and the answer that stands."""
        answer = self.first_answer
        return ProofOfDebtRequest(
            step_name=self.request.step_name,
            requested_on=self.request.requested_on,
            reply_by=self.request.reply_by,
            answer=None
            if answer is None
            else ProofOfDebtAnswer(ProofOfDebtOutcome(answer.outcome), answer.answered_on, answer.detail),
        )


class ProofOfDebtStore(Store):
    """Recording requests (many at a time, from the daily run) and answers; reading them per case."""

    _REQUESTS = text(
        "INSERT INTO recovery.proof_of_debt_request (request_id, case_id, step_id, step_name, "
        "originating_service, asked, requested_on, reply_by) "
        "SELECT * FROM unnest(CAST(:request_id AS uuid[]), CAST(:case_id AS uuid[]), CAST(:step_id AS uuid[]), "
        "CAST(:step_name AS text[]), CAST(:originating_service AS text[]), CAST(:asked AS text[]), "
        "CAST(:requested_on AS date[]), CAST(:reply_by AS date[]))"
    )
    _ANSWER = text(
        "INSERT INTO recovery.proof_of_debt_answer (answer_id, request_id, outcome, answered_on, detail, "
        "confirmed_by) VALUES (:answer_id, :request_id, :outcome, :answered_on, :detail, :confirmed_by) "
        "ON CONFLICT DO NOTHING"
    )
    _SELECT = (
        "SELECT r.request_id, r.case_id, r.step_id, r.step_name, r.originating_service, r.asked, "
        "r.requested_on, r.reply_by, a.answer_id, a.outcome, a.answered_on, a.detail, a.confirmed_by "
        "FROM recovery.proof_of_debt_request r "
        "LEFT JOIN LATERAL (SELECT * FROM recovery.proof_of_debt_answer x WHERE x.request_id = r.request_id "
        "ORDER BY x.recorded_at, x.answer_id LIMIT 1) a ON true "
    )
    _FOR_CASES = text(_SELECT + "WHERE r.case_id = ANY(:case_ids) ORDER BY r.requested_on, r.recorded_at")
    _ONE = text(_SELECT + "WHERE r.request_id = :request_id")

    async def add_requests(self, requests: list[ProofOfDebtRequestRecord]) -> None:
        """Record requests made, in one statement."""
        if requests:
            await self.session.execute(self._REQUESTS, as_arrays(requests))

    async def add_answer(self, answer: ProofOfDebtAnswerRecord) -> None:
        """Record an answer (every answer is kept; the first one stands)."""
        await self.session.execute(
            self._ANSWER,
            {
                "answer_id": answer.answer_id,
                "request_id": answer.request_id,
                "outcome": answer.outcome,
                "answered_on": answer.answered_on,
                "detail": answer.detail,
                "confirmed_by": answer.confirmed_by,
            },
        )

    async def request(self, request_id: UUID) -> StoredProofOfDebt | None:
        """One request with its first answer, or None when recovery made no such request."""
        row = (await self.session.execute(self._ONE, {"request_id": request_id})).first()
        return None if row is None else _stored(row)

    async def for_cases(self, case_ids: list[UUID]) -> dict[UUID, list[StoredProofOfDebt]]:
        """Every request of these cases in the order made, each with its first answer."""
        found: dict[UUID, list[StoredProofOfDebt]] = defaultdict(list)
        if case_ids:
            for row in await self.session.execute(self._FOR_CASES, {"case_ids": case_ids}):
                found[row.case_id].append(_stored(row))
        return found


def _stored(row: object) -> StoredProofOfDebt:
    m = row._mapping  # type: ignore[attr-defined]
    request = ProofOfDebtRequestRecord(
        m["request_id"],
        m["case_id"],
        m["step_id"],
        m["step_name"],
        m["originating_service"],
        m["asked"],
        m["requested_on"],
        m["reply_by"],
    )
    answer = (
        None
        if m["answer_id"] is None
        else ProofOfDebtAnswerRecord(
            m["answer_id"], m["request_id"], m["outcome"], m["answered_on"], m["detail"], m["confirmed_by"]
        )
    )
    return StoredProofOfDebt(request, answer)
