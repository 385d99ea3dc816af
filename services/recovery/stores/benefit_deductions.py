"""Housing benefit overpayments: what recovery asked of the benefits system, method by method (NELC 7.2), and its
answers (`benefit_deduction_request`, `benefit_deduction_answer`, both append-only), read back as the domain's
`BenefitRequestMade` with the latest answer (deductions confirmed may later be stopped, or suspended by recovery for
a breathing space: `suspended`, recovery's own record of its suspension request)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.domain.hb_order_of_recovery import BenefitAnswer, BenefitRequestMade, RecoveryMethod
from services.recovery.stores.store import Store


@dataclass(frozen=True)
class BenefitDeductionRequestRecord:
    """One method asked of the benefits system for a case."""

    request_id: UUID
    case_id: UUID
    method: str
    amount_pence: int
    requested_on: date


@dataclass(frozen=True)
class BenefitDeductionAnswerRecord:
    """One answer of the benefits system (the envelope's event id is the answer's id)."""

    answer_id: UUID
    request_id: UUID
    outcome: str
    answered_on: date
    detail: str


class BenefitDeductionStore(Store):
    """Recording requests and answers; reading them per case, in the order asked."""

    _REQUEST = text(
        "INSERT INTO recovery.benefit_deduction_request (request_id, case_id, method, amount_pence, requested_on) "
        "VALUES (:request_id, :case_id, :method, :amount_pence, :requested_on)"
    )
    _ANSWER = text(
        "INSERT INTO recovery.benefit_deduction_answer (answer_id, request_id, outcome, answered_on, detail) "
        "VALUES (:answer_id, :request_id, :outcome, :answered_on, :detail) ON CONFLICT DO NOTHING"
    )
    _ONE = text(
        "SELECT request_id, case_id, method, amount_pence, requested_on FROM recovery.benefit_deduction_request "
        "WHERE request_id = :request_id"
    )
    _LATEST = text(
        "SELECT request_id, case_id, method, amount_pence, requested_on FROM recovery.benefit_deduction_request "
        "WHERE case_id = :case_id ORDER BY recorded_at DESC, request_id DESC LIMIT 1"
    )
    _FOR_CASES = text(
        "SELECT r.case_id, r.method, r.requested_on, a.outcome, a.answered_on "
        "FROM recovery.benefit_deduction_request r "
        "LEFT JOIN LATERAL (SELECT * FROM recovery.benefit_deduction_answer x WHERE x.request_id = r.request_id "
        "ORDER BY x.recorded_at DESC, x.answer_id LIMIT 1) a ON true "
        "WHERE r.case_id = ANY(:case_ids) ORDER BY r.recorded_at, r.request_id"
    )

    async def add_request(self, request: BenefitDeductionRequestRecord) -> None:
        """Record a method asked of the benefits system."""
        await self.session.execute(
            self._REQUEST,
            {
                "request_id": request.request_id,
                "case_id": request.case_id,
                "method": request.method,
                "amount_pence": request.amount_pence,
                "requested_on": request.requested_on,
            },
        )

    async def add_answer(self, answer: BenefitDeductionAnswerRecord) -> None:
        """Record an answer (each kept; the latest stands)."""
        await self.session.execute(
            self._ANSWER,
            {
                "answer_id": answer.answer_id,
                "request_id": answer.request_id,
                "outcome": answer.outcome,
                "answered_on": answer.answered_on,
                "detail": answer.detail,
            },
        )

    async def request(self, request_id: UUID) -> BenefitDeductionRequestRecord | None:
        """One request, or None when recovery made no such request."""
        row = (await self.session.execute(self._ONE, {"request_id": request_id})).first()
        return None if row is None else BenefitDeductionRequestRecord(**row._mapping)

    async def latest_request(self, case_id: UUID) -> BenefitDeductionRequestRecord | None:
        """The case's latest request (the one its latest answer stands on), or None when none was made."""
        row = (await self.session.execute(self._LATEST, {"case_id": case_id})).first()
        return None if row is None else BenefitDeductionRequestRecord(**row._mapping)

    async def for_cases(self, case_ids: list[UUID]) -> dict[UUID, list[BenefitRequestMade]]:
        """What was asked for each of these cases, in order, each with its latest answer."""
        found: dict[UUID, list[BenefitRequestMade]] = defaultdict(list)
        if case_ids:
            for r in await self.session.execute(self._FOR_CASES, {"case_ids": case_ids}):
                found[r.case_id].append(
                    BenefitRequestMade(
                        RecoveryMethod(r.method),
                        r.requested_on,
                        BenefitAnswer(r.outcome) if r.outcome else None,
                        r.answered_on,
                    )
                )
        return found
