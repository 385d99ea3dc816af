"""Recovery's HTTP API: case records, holds, contacts, arrangements and write-off requests. Who acted is the
signed-in officer, taken by recovery from the token, so no body names them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from services.workbench.clients.calls import ServiceClient


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


class RecoveryApi:
    """What the workbench asks recovery."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def cases_of_customer(self, customer_id: UUID) -> dict[str, Any]:
        """Every case of the customer with its record, and their circumstances."""
        found: dict[str, Any] = await self.client.get(f"/customers/{customer_id}/cases")
        return found

    async def case(self, case_id: UUID) -> dict[str, Any]:
        """One case with its whole record."""
        found: dict[str, Any] = await self.client.get(f"/cases/{case_id}")
        return found

    async def notice(self, case_id: UUID, notice_id: UUID) -> dict[str, Any]:
        """One letter as issued."""
        found: dict[str, Any] = await self.client.get(f"/cases/{case_id}/notices/{notice_id}")
        return found

    async def letter_pdf(self, case_id: UUID, notice_id: UUID) -> tuple[bytes, str]:
        """The letter's PDF as posted."""
        return await self.client.get_bytes(f"/cases/{case_id}/letters/{notice_id}.pdf")

    async def apply_hold(
        self,
        case_id: UUID,
        *,
        kind: str,
        reason: str,
        starts_on: date | None,
        ends_on: date | None,
        review_on: date | None,
        disputed_amount_pence: int | None,
    ) -> dict[str, Any]:
        """Put the case on hold with its authority (the reason) and its review or end date."""
        body = {
            "kind": kind,
            "reason": reason,
            "starts_on": _day(starts_on),
            "ends_on": _day(ends_on),
            "review_on": _day(review_on),
            "disputed_amount_pence": disputed_amount_pence,
        }
        applied: dict[str, Any] = await self.client.post(
            f"/cases/{case_id}/holds", {k: v for k, v in body.items() if v is not None}
        )
        return applied

    async def lift_hold(self, case_id: UUID, hold_id: UUID, reason: str, lifted_on: date | None) -> None:
        """Lift a hold: recovery resumes where it paused."""
        body = {"reason": reason, "lifted_on": _day(lifted_on)}
        await self.client.post(
            f"/cases/{case_id}/holds/{hold_id}/lift", {k: v for k, v in body.items() if v is not None}
        )

    async def record_contact(self, case_id: UUID, channel: str, direction: str, summary: str) -> None:
        """Record a discussion with the debtor on the case."""
        await self.client.post(
            f"/cases/{case_id}/contacts", {"channel": channel, "direction": direction, "summary": summary}
        )

    async def make_arrangement(
        self,
        case_ids: list[UUID],
        monthly_income_pence: int,
        monthly_expenditure_pence: int,
        first_instalment_on: date,
        officer_allows_longer: bool,
    ) -> dict[str, Any]:
        """An arrangement to pay on the Standard Financial Statement's figures."""
        made: dict[str, Any] = await self.client.post(
            "/arrangements",
            {
                "case_ids": [str(c) for c in case_ids],
                "monthly_income_pence": monthly_income_pence,
                "monthly_expenditure_pence": monthly_expenditure_pence,
                "first_instalment_on": first_instalment_on.isoformat(),
                "officer_allows_longer": officer_allows_longer,
            },
        )
        return made

    async def request_write_off(self, case_id: UUID, reason: str, evidence: list[str]) -> dict[str, Any]:
        """Ask for the case's balance to be written off, with the reason and evidence."""
        asked: dict[str, Any] = await self.client.post(
            f"/cases/{case_id}/write-off-request", {"reason": reason, "evidence": evidence}
        )
        return asked

    async def holds_due_for_review(self) -> list[dict[str, Any]]:
        """Holds in force across every case whose review date has come by recovery's business date, oldest
        review first, each with its case, debt reference, debtor's name and days overdue."""
        found = await self.client.get("/holds/due-for-review")
        return list(found["holds"])

    async def cases_awaiting_decision(self, customer_id: UUID | None = None) -> dict[str, Any]:
        """Cases whose timetable is exhausted and which wait for an officer's decision (issue 19), the longest
        waiting first (of one customer, when named): `count`, `oldest_days_waiting` and `cases` (debtor, debt
        reference, balance, last step, days waiting)."""
        found: dict[str, Any] = await self.client.get(
            "/cases/awaiting-decision", customer_id=str(customer_id) if customer_id else None
        )
        return found

    async def decide_exhausted_case(
        self,
        case_id: UUID,
        decision: str,
        *,
        write_off_reason: str | None = None,
        evidence: list[str] | None = None,
        notes: str = "",
        insolvency_order_date: date | None = None,
        owed_at_order_date_pence: int | None = None,
    ) -> dict[str, Any]:
        """The officer's decision on an exhausted case: write off (reason and evidence; for an insolvency the
        order's date and what was owed on it), legal action, arrangement or cancel (the reason in `notes`).
        Recovery records the officer from the token; only the fields the decision uses are sent."""
        body: dict[str, Any] = {"decision": decision, "notes": notes}
        if write_off_reason is not None:
            body["write_off_reason"] = write_off_reason
        if evidence:
            body["evidence"] = evidence
        if insolvency_order_date is not None:
            body["insolvency_order_date"] = insolvency_order_date.isoformat()
        if owed_at_order_date_pence is not None:
            body["owed_at_order_date_pence"] = owed_at_order_date_pence
        made: dict[str, Any] = await self.client.post(f"/cases/{case_id}/exhausted-decision", body)
        return made
