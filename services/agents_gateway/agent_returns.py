"""Applying a validated return file from an agent: every record, in one transaction, with set-based SQL.

Called only for a file that passed every check (signature, trailer, every record, every case known). What each
record means for the council is published: acknowledgements and rejections, payments (billing posts them),
fees (checked against the 2014 scale and the debt's breathing spaces), stage updates, vulnerability referrals
(recovery holds enforcement) and returned cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.domain.enforcement_fees import (
    BreathingSpacePeriod,
    EarlierFee,
    FeeStage,
    FeeToCheck,
    check_reported_fees,
)
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
from services.agents_gateway.gateway_service import GatewayHandling
from services.agents_gateway.stores.agent_returns import ReportedActivity, ReportedFee, ReportedPayment
from services.agents_gateway.stores.placements import PlacedCase
from shared.contracts import agents_gateway as published
from shared.contracts.envelope import Contract
from shared.money import format_pounds


def _arrangement(update: StatusUpdate) -> str | None:
    if update.arrangement is None:
        return None
    terms = update.arrangement
    return (
        f"{format_pounds(terms.instalment_pence)} {terms.frequency.value} "
        f"from {terms.first_payment_on.isoformat()}"
    )


async def apply_agent_returns(
    handling: GatewayHandling,
    agent: Agent,
    file_id: int,
    records: list[AnyRecord],
    cases: Mapping[str, PlacedCase],
) -> int:
    """Apply every record of a validated return file; how many events were published."""
    stores = handling.stores
    events: list[Contract] = []
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)

    acknowledged: list[PlacementAcknowledged] = by_kind["placement_acknowledged"]
    if acknowledged:
        done = await stores.placements.acknowledge(
            [cases[r.case_reference].referral_id for r in acknowledged],
            [r.agent_reference for r in acknowledged],
            [r.acknowledged_on for r in acknowledged],
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
        done = await stores.placements.reject(
            [cases[rejection.case_reference].referral_id for rejection in rejected],
            [rejection.reason for rejection in rejected],
            [rejection.rejected_on for rejection in rejected],
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
        new_references = await stores.agent_returns.record_payments(
            agent.code,
            file_id,
            [
                ReportedPayment(
                    payment_reference=p.payment_reference,
                    referral_id=cases[p.case_reference].referral_id,
                    debt_id=cases[p.case_reference].debt_id,
                    amount_pence=p.amount_pence,
                    collected_on=p.collected_on,
                )
                for p in payments
            ],
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
        # A referral in this same file makes the debtor vulnerable for its fees too (regulation 12).
        referred = {r.case_reference for r in by_kind["vulnerability_referral"]}
        events.extend(await _check_and_record_fees(handling, agent, file_id, fees, cases, referred))

    updates: list[StatusUpdate] = by_kind["status_update"]
    if updates:
        await stores.placements.set_stages(
            [cases[u.case_reference].referral_id for u in updates], [u.stage.value for u in updates]
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
        await stores.placements.mark_returned(
            [cases[r.case_reference].referral_id for r in returned], [r.returned_on for r in returned]
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

    await stores.agent_returns.record_activity(
        agent.code,
        file_id,
        [ReportedActivity(cases[str(r.case_reference)].referral_id, r.kind, record_date(r)) for r in records],
    )
    await handling.outbox.add_all(events)
    return len(events)


async def _check_and_record_fees(
    handling: GatewayHandling,
    agent: Agent,
    file_id: int,
    fees: list[FeeCharged],
    cases: Mapping[str, PlacedCase],
    referred_vulnerable: set[str],
) -> list[Contract]:
    """Check the file's fees together (domain/enforcement_fees.check_reported_fees: the scale, regulations 11 and
    12, breathing spaces, a stage charged once) against what the gateway knows of each case and debtor."""
    debt_ids = list({cases[f.case_reference].debt_id for f in fees})
    customer_ids = list({customer for f in fees for customer in cases[f.case_reference].customer_ids})
    periods: dict[UUID, list[BreathingSpacePeriod]] = defaultdict(list)
    for space in await handling.stores.breathing_spaces.of_debts(debt_ids):
        periods[space.debt_id].append(BreathingSpacePeriod(space.starts_on, space.ends_on))
    earlier = [
        EarlierFee(
            case=fee.referral_id,
            debtor=frozenset(fee.customer_ids),
            placed_on=fee.placed_on,
            stage=FeeStage(fee.stage),
            amount_pence=fee.amount_pence,
            charged_on=fee.charged_on,
            sum_to_be_recovered_pence=fee.balance_pence,
        )
        for fee in await handling.stores.agent_returns.accepted_fees_of_debtors(agent.code, customer_ids)
    ]
    to_check = [
        FeeToCheck(
            case=case.referral_id,
            debtor=frozenset(case.customer_ids),
            placed_on=case.placed_on,
            stage=fee.stage,
            amount_pence=fee.amount_pence,
            charged_on=fee.charged_on,
            sum_to_be_recovered_pence=case.balance_pence,
            breathing_spaces=tuple(periods.get(case.debt_id, ())),
            debtor_vulnerable=case.vulnerable or fee.case_reference in referred_vulnerable,
            advice_opportunity_given_on=fee.advice_opportunity_given_on,
        )
        for fee in fees
        for case in [cases[fee.case_reference]]
    ]
    events: list[Contract] = []
    reported: list[ReportedFee] = []
    for fee, decision in zip(fees, check_reported_fees(to_check, earlier), strict=True):
        case = cases[fee.case_reference]
        findings = [finding.reason for finding in decision.findings]
        reported.append(
            ReportedFee(
                referral_id=case.referral_id,
                debt_id=case.debt_id,
                stage=fee.stage.value,
                amount_pence=fee.amount_pence,
                charged_on=fee.charged_on,
                accepted=decision.accepted,
                findings=findings,
            )
        )
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
    await handling.stores.agent_returns.record_fees(agent.code, file_id, reported)
    return events
