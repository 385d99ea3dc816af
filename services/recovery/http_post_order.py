"""Enforcement after the order, over HTTP: a senior officer chooses and records one step (attachment of earnings
or benefits, charging order, third party debt order, High Court enforcement, insolvency, committal). The pure
rule `domain/post_order_enforcement.may_enforce` decides whether the law allows it on this case now: refused with
its reason (422), or recorded on the case and published as `recovery.enforcement.chosen`.

Council tax and rates take their liability order from the court results on record; recovery keeps no county
court judgments yet, so for other debts the officer gives the judgment's claim number. Enforcement agents "have
failed" when an enforcement agent referral of the case has ended (returned or recalled)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from services.recovery.case_state import LoadedCase, load_case
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.policy import StepKind
from services.recovery.domain.post_order_enforcement import OrderedDebt, PostOrderEnforcement, may_enforce
from services.recovery.domain.regulated_path import granted_order
from services.recovery.http import Service
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from shared.auth import Principal, Role, requires
from shared.contracts.recovery import EnforcementChosen

router = APIRouter()

SeniorOfficer = Annotated[Principal, Depends(requires(Role.SENIOR_OFFICER))]
ENFORCEMENT_CHOSEN = "enforcement_chosen"


class EnforcementAsked(BaseModel):
    """The step chosen; for a debt other than council tax or rates, the county court judgment behind it."""

    model_config = ConfigDict(extra="forbid")

    enforcement: PostOrderEnforcement
    county_court_judgment_reference: str | None = Field(default=None, max_length=100)
    notes: str = Field(default="", max_length=2000)


def ordered_debt(case: LoadedCase, judgment_reference: str | None) -> tuple[OrderedDebt, str]:
    """What the rule needs of the case, and the reference of the order or judgment behind it."""
    order = granted_order(case.court_results)
    agents_ended = any(
        s.taken.kind is StepKind.ENFORCEMENT_AGENT_REFERRAL
        and not s.taken.void
        and s.taken.recalled_on is not None
        for s in case.steps
    )
    judgment = (judgment_reference or "").strip()
    debt = OrderedDebt(
        debt_type=DebtType(case.row.debt_type),
        balance_pence=case.row.balance_pence,
        liability_order_granted=order is not None,
        county_court_judgment=bool(judgment),
        debtor_is_individual=case.row.debtor_is_individual,
        enforcement_agents_failed=agents_ended,
    )
    reference = (order.court_reference or "liability order") if order is not None else judgment
    return debt, reference


@router.post("/cases/{case_id}/enforcement", status_code=201)
async def choose_enforcement(
    case_id: UUID, asked: EnforcementAsked, service: Service, officer: SeniorOfficer
) -> dict[str, Any]:
    """Record the enforcement step a senior officer chose for the case; 422 with the reason where the law does
    not allow it (no order or judgment, not an individual, under the threshold, agents not yet failed)."""
    today = service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        case = await load_case(handling.stores.cases, service.policies, case_id)
        if case is None:
            raise HTTPException(404, f"no recovery case {case_id}")
        if case.row.status != "open":
            raise HTTPException(422, f"case {case_id} is {case.row.status}")
        debt, reference = ordered_debt(case, asked.county_court_judgment_reference)
        if (refusal := may_enforce(asked.enforcement, debt)) is not None:
            raise HTTPException(422, f"{asked.enforcement.value} refused: {refusal}")
        summary = f"{asked.enforcement.value} chosen by {officer.recorded_as} on {reference}"
        await handling.stores.record.append(
            [
                CaseEntry(
                    case_id, today, ENFORCEMENT_CHOSEN, summary + (f": {asked.notes}" if asked.notes else "")
                )
            ]
        )
        await handling.outbox.add(
            EnforcementChosen(
                case_id=case_id,
                debt_id=case.debt_id,
                enforcement=asked.enforcement.value,
                order_reference=reference,
                balance_pence=case.row.balance_pence,
                chosen_by=officer.recorded_as,
                chosen_on=today,
                notes=asked.notes,
            )
        )
    return {"case_id": case_id, "enforcement": asked.enforcement.value, "order_reference": reference}
