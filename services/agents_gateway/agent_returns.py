"""Applying a validated return file from an agent: every record, in one transaction, with set-based SQL.

Called only for a file that passed every check (signature, trailer, every record, every case known). What each
record means for the council is published: acknowledgements and rejections, payments (billing posts them),
fees (checked against the 2014 scale and the debt's breathing spaces), stage updates, vulnerability referrals
(recovery holds enforcement) and returned cases.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.domain.enforcement_fees import BreathingSpacePeriod, FeeStage, check_reported_fee
from services.agents_gateway.domain.records import (
    AnyRecord,
    CaseReturned,
    FeeCharged,
    PaymentCollected,
    PlacementAcknowledged,
    PlacementRejected,
    StatusUpdate,
    VulnerabilityReferral,
    record_date,
)
from services.agents_gateway.gateway import runtime
from shared.contracts import agents_gateway as published
from shared.contracts.envelope import Contract
from shared.money import format_pounds


@dataclass(frozen=True)
class PlacedCase:
    """A case the agent holds, as the gateway knows it."""

    referral_id: UUID
    debt_id: UUID
    balance_pence: int
    status: str


_ACKNOWLEDGE = text(
    """
    UPDATE placement p SET status = 'acknowledged', agent_reference = u.agent_reference, answered_on = u.on_day
    FROM unnest(CAST(:ids AS uuid[]), CAST(:references AS text[]), CAST(:days AS date[]))
         AS u(referral_id, agent_reference, on_day)
    WHERE p.referral_id = u.referral_id AND p.status = 'sent'
    RETURNING p.referral_id
    """
)
_REJECT = text(
    """
    UPDATE placement p SET status = 'rejected', refusal = u.reason, answered_on = u.on_day
    FROM unnest(CAST(:ids AS uuid[]), CAST(:reasons AS text[]), CAST(:days AS date[])) AS u(referral_id, reason, on_day)
    WHERE p.referral_id = u.referral_id AND p.status IN ('sent', 'acknowledged')
    RETURNING p.referral_id
    """
)
_PAYMENTS = text(
    """
    INSERT INTO agent_payment (agent_code, payment_reference, referral_id, debt_id, amount_pence, collected_on,
                               file_id)
    SELECT :agent, u.reference, u.referral_id, u.debt_id, u.amount, u.collected_on, :file_id
    FROM unnest(CAST(:references AS text[]), CAST(:ids AS uuid[]), CAST(:debt_ids AS uuid[]),
                CAST(:amounts AS bigint[]), CAST(:days AS date[]))
         AS u(reference, referral_id, debt_id, amount, collected_on)
    ON CONFLICT (agent_code, payment_reference) DO NOTHING
    RETURNING payment_reference
    """
)
_STAGES = text(
    """
    UPDATE placement p SET agent_stage = u.stage
    FROM unnest(CAST(:ids AS uuid[]), CAST(:stages AS text[])) AS u(referral_id, stage)
    WHERE p.referral_id = u.referral_id
    """
)
_RETURNED = text(
    """
    UPDATE placement p SET status = 'returned', closed_on = u.on_day
    FROM unnest(CAST(:ids AS uuid[]), CAST(:days AS date[])) AS u(referral_id, on_day)
    WHERE p.referral_id = u.referral_id
    """
)
_FEES = text(
    """
    INSERT INTO agent_fee (agent_code, referral_id, debt_id, stage, amount_pence, charged_on, accepted, findings,
                           file_id)
    SELECT :agent, u.referral_id, u.debt_id, u.stage, u.amount, u.charged_on, u.accepted,
           CAST(u.findings AS jsonb), :file_id
    FROM unnest(CAST(:ids AS uuid[]), CAST(:debt_ids AS uuid[]), CAST(:stages AS text[]),
                CAST(:amounts AS bigint[]), CAST(:days AS date[]), CAST(:accepted AS boolean[]),
                CAST(:findings AS text[]))
         AS u(referral_id, debt_id, stage, amount, charged_on, accepted, findings)
    """
)
_ACTIVITY = text(
    """
    INSERT INTO agent_activity (referral_id, agent_code, record_kind, occurred_on, file_id)
    SELECT u.referral_id, :agent, u.kind, u.on_day, :file_id
    FROM unnest(CAST(:ids AS uuid[]), CAST(:kinds AS text[]), CAST(:days AS date[])) AS u(referral_id, kind, on_day)
    """
)
_BREATHING_SPACES = text(
    "SELECT debt_id, starts_on, ends_on FROM breathing_space_period WHERE debt_id = ANY(CAST(:debt_ids AS uuid[]))"
)
_ACCEPTED_STAGES = text(
    "SELECT referral_id, stage FROM agent_fee WHERE accepted AND referral_id = ANY(CAST(:ids AS uuid[]))"
)


def _arrangement(update: StatusUpdate) -> str | None:
    if update.arrangement is None:
        return None
    terms = update.arrangement
    return (
        f"{format_pounds(terms.instalment_pence)} {terms.frequency.value} "
        f"from {terms.first_payment_on.isoformat()}"
    )


async def apply_agent_returns(
    session: AsyncSession,
    agent: Agent,
    file_id: int,
    records: list[AnyRecord],
    cases: Mapping[str, PlacedCase],
) -> int:
    """Apply every record of a validated return file; how many events were published."""
    events: list[Contract] = []
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)

    acknowledged: list[PlacementAcknowledged] = by_kind["placement_acknowledged"]
    if acknowledged:
        done = set(
            (
                await session.execute(
                    _ACKNOWLEDGE,
                    {
                        "ids": [cases[r.case_reference].referral_id for r in acknowledged],
                        "references": [r.agent_reference for r in acknowledged],
                        "days": [r.acknowledged_on for r in acknowledged],
                    },
                )
            ).scalars()
        )
        for r in acknowledged:
            case = cases[r.case_reference]
            if case.referral_id in done:
                events.append(
                    published.PlacementAcknowledged(
                        referral_id=case.referral_id,
                        debt_id=case.debt_id,
                        agent=agent.code,
                        agent_reference=r.agent_reference,
                        acknowledged_on=r.acknowledged_on,
                    )
                )

    rejected: list[PlacementRejected] = by_kind["placement_rejected"]
    if rejected:
        done = set(
            (
                await session.execute(
                    _REJECT,
                    {
                        "ids": [cases[rejection.case_reference].referral_id for rejection in rejected],
                        "reasons": [rejection.reason for rejection in rejected],
                        "days": [rejection.rejected_on for rejection in rejected],
                    },
                )
            ).scalars()
        )
        for rejection in rejected:
            case = cases[rejection.case_reference]
            if case.referral_id in done:
                events.append(
                    published.PlacementRejected(
                        referral_id=case.referral_id,
                        debt_id=case.debt_id,
                        agent=agent.code,
                        reason=rejection.reason,
                        rejected_on=rejection.rejected_on,
                    )
                )

    payments: list[PaymentCollected] = by_kind["payment_collected"]
    if payments:
        new_references = set(
            (
                await session.execute(
                    _PAYMENTS,
                    {
                        "agent": agent.code,
                        "file_id": file_id,
                        "references": [p.payment_reference for p in payments],
                        "ids": [cases[p.case_reference].referral_id for p in payments],
                        "debt_ids": [cases[p.case_reference].debt_id for p in payments],
                        "amounts": [p.amount_pence for p in payments],
                        "days": [p.collected_on for p in payments],
                    },
                )
            ).scalars()
        )
        # A payment already reported in an earlier file is not posted twice.
        events.extend(
            published.PaymentCollectedByAgent(
                debt_id=cases[p.case_reference].debt_id,
                agent=agent.code,
                agent_payment_reference=p.payment_reference,
                amount_pence=p.amount_pence,
                collected_on=p.collected_on,
            )
            for p in payments
            if p.payment_reference in new_references
        )

    fees: list[FeeCharged] = by_kind["fee_charged"]
    if fees:
        events.extend(await _check_and_record_fees(session, agent, file_id, fees, cases))

    updates: list[StatusUpdate] = by_kind["status_update"]
    if updates:
        await session.execute(
            _STAGES,
            {
                "ids": [cases[u.case_reference].referral_id for u in updates],
                "stages": [u.stage.value for u in updates],
            },
        )
        events.extend(
            published.AgentStatusUpdated(
                debt_id=cases[u.case_reference].debt_id,
                agent=agent.code,
                stage=u.stage.value,
                reported_on=u.effective_on,
                arrangement=_arrangement(u),
            )
            for u in updates
        )

    referrals: list[VulnerabilityReferral] = by_kind["vulnerability_referral"]
    events.extend(
        published.VulnerabilityReferred(
            debt_id=cases[v.case_reference].debt_id,
            agent=agent.code,
            indicators=list(v.indicators),
            referred_on=v.referred_on,
            notes=v.notes or None,
        )
        for v in referrals
    )

    returned: list[CaseReturned] = by_kind["case_returned"]
    if returned:
        await session.execute(
            _RETURNED,
            {
                "ids": [cases[r.case_reference].referral_id for r in returned],
                "days": [r.returned_on for r in returned],
            },
        )
        events.extend(
            published.CaseReturnedByAgent(
                referral_id=cases[r.case_reference].referral_id,
                debt_id=cases[r.case_reference].debt_id,
                agent=agent.code,
                reason=r.reason.value,
                returned_on=r.returned_on,
                notes=r.notes or None,
            )
            for r in returned
        )

    dated = [(r, record_date(r)) for r in records]
    await session.execute(
        _ACTIVITY,
        {
            "agent": agent.code,
            "file_id": file_id,
            "ids": [cases[str(r.case_reference)].referral_id for r, _ in dated],
            "kinds": [r.kind for r, _ in dated],
            "days": [day for _, day in dated],
        },
    )
    await runtime.outbox.add_all(session, events)
    return len(events)


async def _check_and_record_fees(
    session: AsyncSession,
    agent: Agent,
    file_id: int,
    fees: list[FeeCharged],
    cases: Mapping[str, PlacedCase],
) -> list[Contract]:
    """Check each fee against the scale, the debt's breathing spaces and the stages already charged."""
    debt_ids = list({cases[f.case_reference].debt_id for f in fees})
    referral_ids = list({cases[f.case_reference].referral_id for f in fees})
    periods: dict[UUID, list[BreathingSpacePeriod]] = defaultdict(list)
    for row in await session.execute(_BREATHING_SPACES, {"debt_ids": debt_ids}):
        periods[row.debt_id].append(BreathingSpacePeriod(row.starts_on, row.ends_on))
    charged: dict[UUID, set[FeeStage]] = defaultdict(set)
    for row in await session.execute(_ACCEPTED_STAGES, {"ids": referral_ids}):
        charged[row.referral_id].add(FeeStage(row.stage))
    events: list[Contract] = []
    columns: dict[str, list[Any]] = defaultdict(list)
    for fee in fees:
        case = cases[fee.case_reference]
        decision = check_reported_fee(
            fee.stage,
            fee.amount_pence,
            fee.charged_on,
            sum_to_be_recovered_pence=case.balance_pence,
            breathing_spaces=periods.get(case.debt_id, ()),
            stages_already_charged=charged[case.referral_id],
        )
        if decision.accepted:
            charged[case.referral_id].add(fee.stage)
        findings = [finding.reason for finding in decision.findings]
        columns["ids"].append(case.referral_id)
        columns["debt_ids"].append(case.debt_id)
        columns["stages"].append(fee.stage.value)
        columns["amounts"].append(fee.amount_pence)
        columns["days"].append(fee.charged_on)
        columns["accepted"].append(decision.accepted)
        columns["findings"].append(json.dumps(findings))
        events.append(
            published.FeeReported(
                debt_id=case.debt_id,
                agent=agent.code,
                stage=fee.stage.value,
                amount_pence=fee.amount_pence,
                charged_on=fee.charged_on,
                accepted=decision.accepted,
                findings=findings,
            )
        )
    await session.execute(_FEES, {"agent": agent.code, "file_id": file_id, **columns})
    return events
