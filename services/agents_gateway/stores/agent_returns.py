"""What agents reported (payments, fees, dated activity) and the payments billing posted through the agent
channel: kept to apply return files once and to reconcile."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.domain.reconciliation import (
    AgentActivity,
    AgentReportedPayment,
    PostedAgentPayment,
)


@dataclass(frozen=True)
class ReportedPayment:
    """A payment an agent reported collecting, to record."""

    payment_reference: str
    referral_id: UUID
    debt_id: UUID
    amount_pence: int
    collected_on: date


@dataclass(frozen=True)
class ReportedFee:
    """A fee an agent reported charging, with the council's check of it."""

    referral_id: UUID
    debt_id: UUID
    stage: str
    amount_pence: int
    charged_on: date
    accepted: bool
    findings: list[str]


@dataclass(frozen=True)
class ReportedActivity:
    """One record of a return file, dated: what the agent did on a case."""

    referral_id: UUID
    record_kind: str
    occurred_on: date | None  # every return record is dated; the table refuses one that is not


@dataclass(frozen=True)
class AcceptedFee:
    """A fee already charged (and accepted) on one of a debtor's placements with an agent."""

    referral_id: UUID
    customer_ids: tuple[UUID, ...]
    placed_on: date | None
    stage: str
    amount_pence: int
    charged_on: date
    balance_pence: int


@dataclass(frozen=True)
class PaymentPosted:
    """A payment billing posted through the agent channel, by debt."""

    payment_id: UUID
    debt_id: UUID
    channel_reference: str
    amount_pence: int
    received_on: date


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
# Every accepted fee on any placement with this agent whose debtor shares a customer with the cases in hand: what
# "stage already charged" and regulation 11 (powers against the same debtor enforced together) look at.
_ACCEPTED_FEES_OF_DEBTORS = text(
    """
    SELECT f.referral_id, p.customer_ids, p.placed_on, f.stage, f.amount_pence, f.charged_on, p.balance_pence
    FROM agent_fee f JOIN placement p USING (referral_id)
    WHERE f.accepted AND f.agent_code = :agent AND p.customer_ids && CAST(:customer_ids AS uuid[])
    ORDER BY f.fee_id
    """
)
_POSTED = text(
    """
    INSERT INTO posted_agent_payment (payment_id, debt_id, channel_reference, amount_pence, received_on)
    SELECT * FROM unnest(CAST(:payment_ids AS uuid[]), CAST(:debt_ids AS uuid[]), CAST(:references AS text[]),
                         CAST(:amounts AS bigint[]), CAST(:days AS date[]))
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING
    """
)
_REPORTED = text(
    "SELECT a.agent_code, a.payment_reference, p.case_reference, a.amount_pence, a.collected_on "
    "FROM agent_payment a JOIN placement p USING (referral_id)"
)
# Billing posts an agent's collection under the channel reference "<agent>:<agent's payment reference>". The
# case is the most recent placement of the debt with that agent.
_POSTED_BY_CASE = text(
    """
    SELECT DISTINCT ON (posted.payment_id, posted.debt_id)
           split_part(posted.channel_reference, ':', 1) AS agent_code,
           substr(posted.channel_reference, strpos(posted.channel_reference, ':') + 1) AS payment_reference,
           coalesce(p.case_reference, '') AS case_reference, posted.amount_pence, posted.received_on
    FROM posted_agent_payment posted
    LEFT JOIN placement p ON p.debt_id = posted.debt_id
         AND p.agent_code = split_part(posted.channel_reference, ':', 1) AND p.placed_on IS NOT NULL
    ORDER BY posted.payment_id, posted.debt_id, p.placed_on DESC NULLS LAST
    """
)
_ACTIVITY_ON_RECALLED = text(
    "SELECT a.agent_code, p.case_reference, a.record_kind, a.occurred_on FROM agent_activity a "
    "JOIN placement p USING (referral_id) WHERE p.recalled_on IS NOT NULL"
)


class AgentReturnStore:
    """Agents' reported payments, fees and activity, and billing's postings of agents' collections."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_payments(
        self, agent_code: str, file_id: int, payments: Sequence[ReportedPayment]
    ) -> set[str]:
        """Record reported payments; the payment references new to the gateway (a repeat is kept once)."""
        rows = await self.session.execute(
            _PAYMENTS,
            {
                "agent": agent_code,
                "file_id": file_id,
                "references": [p.payment_reference for p in payments],
                "ids": [p.referral_id for p in payments],
                "debt_ids": [p.debt_id for p in payments],
                "amounts": [p.amount_pence for p in payments],
                "days": [p.collected_on for p in payments],
            },
        )
        return set(rows.scalars())

    async def record_fees(self, agent_code: str, file_id: int, fees: Sequence[ReportedFee]) -> None:
        """Record reported fees with their check, in one statement."""
        await self.session.execute(
            _FEES,
            {
                "agent": agent_code,
                "file_id": file_id,
                "ids": [f.referral_id for f in fees],
                "debt_ids": [f.debt_id for f in fees],
                "stages": [f.stage for f in fees],
                "amounts": [f.amount_pence for f in fees],
                "days": [f.charged_on for f in fees],
                "accepted": [f.accepted for f in fees],
                "findings": [json.dumps(f.findings) for f in fees],
            },
        )

    async def record_activity(
        self, agent_code: str, file_id: int, activity: Sequence[ReportedActivity]
    ) -> None:
        """Record what the agent reported doing, dated, in one statement."""
        await self.session.execute(
            _ACTIVITY,
            {
                "agent": agent_code,
                "file_id": file_id,
                "ids": [a.referral_id for a in activity],
                "kinds": [a.record_kind for a in activity],
                "days": [a.occurred_on for a in activity],
            },
        )

    async def accepted_fees_of_debtors(
        self, agent_code: str, customer_ids: Sequence[UUID]
    ) -> list[AcceptedFee]:
        """Fees already charged and accepted by this agent on any placement of these customers, oldest first."""
        rows = await self.session.execute(
            _ACCEPTED_FEES_OF_DEBTORS, {"agent": agent_code, "customer_ids": list(customer_ids)}
        )
        return [
            AcceptedFee(referral, tuple(customers), placed_on, stage, amount, charged_on, balance)
            for referral, customers, placed_on, stage, amount, charged_on, balance in rows.tuples()
        ]

    async def record_posted(self, posted: Sequence[PaymentPosted]) -> None:
        """Keep payments billing posted through the agent channel (each once), in one statement."""
        await self.session.execute(
            _POSTED,
            {
                "payment_ids": [p.payment_id for p in posted],
                "debt_ids": [p.debt_id for p in posted],
                "references": [p.channel_reference for p in posted],
                "amounts": [p.amount_pence for p in posted],
                "days": [p.received_on for p in posted],
            },
        )

    async def reported_payments(self) -> list[AgentReportedPayment]:
        """Every payment agents reported, by case."""
        return [AgentReportedPayment(*row) for row in (await self.session.execute(_REPORTED)).tuples()]

    async def posted_payments(self) -> list[PostedAgentPayment]:
        """Every payment billing posted through the agent channel, by agent, payment reference and case."""
        return [PostedAgentPayment(*row) for row in (await self.session.execute(_POSTED_BY_CASE)).tuples()]

    async def activity_on_recalled(self) -> list[AgentActivity]:
        """What agents reported on cases the council recalled."""
        return [AgentActivity(*row) for row in (await self.session.execute(_ACTIVITY_ON_RECALLED)).tuples()]
