"""The magistrates' court's outcome per summons (`court_result`, append-only), as an officer records it; read
back as the domain's `CourtResult`s. Nothing here grants an order: a granted row carries the court's reference."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text

from services.recovery.domain.regulated_path import CourtOutcome, CourtResult
from services.recovery.stores.store import Store


@dataclass(frozen=True)
class CourtResultRecord:
    """One outcome for one summons, with who recorded it."""

    court_result_id: UUID
    case_id: UUID
    summons_step_id: UUID
    outcome: str
    heard_on: date
    court_reference: str | None
    costs_awarded_pence: int
    adjourned_to: date | None
    recorded_by: str
    court_results_file: str | None = None  # the sha256 of the court results file it came from, if any

    @property
    def result(self) -> CourtResult:
        """The domain's view of the outcome."""
        return CourtResult(
            outcome=CourtOutcome(self.outcome),
            heard_on=self.heard_on,
            court_reference=self.court_reference,
            costs_awarded=self.costs_awarded_pence,
            adjourned_to=self.adjourned_to,
        )


class CourtResultStore(Store):
    """Recording the court's outcomes and reading them per case."""

    _ADD = text(
        """
        INSERT INTO recovery.court_result
            (court_result_id, case_id, summons_step_id, outcome, heard_on, court_reference,
             costs_awarded_pence, adjourned_to, recorded_by, court_results_file)
        VALUES (:court_result_id, :case_id, :summons_step_id, :outcome, :heard_on, :court_reference,
                :costs_awarded_pence, :adjourned_to, :recorded_by, :court_results_file)
        """
    )
    _FOR_CASES = text(
        "SELECT court_result_id, case_id, summons_step_id, outcome, heard_on, court_reference, "
        "costs_awarded_pence, adjourned_to, recorded_by, court_results_file FROM recovery.court_result "
        "WHERE case_id = ANY(:case_ids) ORDER BY heard_on, recorded_at"
    )

    async def add(self, record: CourtResultRecord) -> None:
        """Record one outcome."""
        await self.session.execute(
            self._ADD,
            {
                "court_result_id": record.court_result_id,
                "case_id": record.case_id,
                "summons_step_id": record.summons_step_id,
                "outcome": record.outcome,
                "heard_on": record.heard_on,
                "court_reference": record.court_reference,
                "costs_awarded_pence": record.costs_awarded_pence,
                "adjourned_to": record.adjourned_to,
                "recorded_by": record.recorded_by,
                "court_results_file": record.court_results_file,
            },
        )

    async def for_cases(self, case_ids: list[UUID]) -> dict[UUID, list[CourtResultRecord]]:
        """Every outcome recorded for these cases, in the order heard."""
        found: dict[UUID, list[CourtResultRecord]] = defaultdict(list)
        if case_ids:
            for row in await self.session.execute(self._FOR_CASES, {"case_ids": case_ids}):
                found[row.case_id].append(CourtResultRecord(**row._mapping))
        return found
