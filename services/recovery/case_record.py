"""The case record of Sundry 8.7, as officers, complaints and the Ombudsman read it: the debt, the debtor's
circumstances, every step, notice, contact, arrangement, hold, referral and write-off request, in order.
Nothing here is ever changed, only added to (the tables refuse UPDATE and DELETE)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def _rows(session: AsyncSession, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in await session.execute(text(sql), params)]


async def case_view(session: AsyncSession, case_id: UUID) -> dict[str, Any] | None:
    """The case as it stands and its whole record."""
    found = await _rows(session, "SELECT * FROM recovery.recovery_case WHERE case_id = :id", id=case_id)
    if not found:
        return None
    case = found[0]
    return {
        "case": case,
        "record": await _rows(
            session,
            "SELECT recorded_on, entry, summary, recorded_at FROM recovery.case_record WHERE case_id = :id "
            "ORDER BY entry_id",
            id=case_id,
        ),
        "steps": await _rows(
            session,
            "SELECT s.step_id, s.step_name, s.kind, s.taken_on, s.costs_pence, v.voided_on, v.reason AS void_reason "
            "FROM recovery.case_step s LEFT JOIN recovery.step_void v ON v.step_id = s.step_id "
            "WHERE s.case_id = :id ORDER BY s.taken_on, s.recorded_at",
            id=case_id,
        ),
        "notices": await _rows(
            session,
            "SELECT notice_id, step_name, issued_on, amount_pence, large_print FROM recovery.notice "
            "WHERE case_id = :id ORDER BY issued_on, recorded_at",
            id=case_id,
        ),
        "holds": await _rows(
            session,
            "SELECT h.hold_id, h.kind, h.reason, h.authorised_by, h.starts_on, h.ends_on, h.review_on, "
            "h.disputed_amount_pence, h.reference, l.lifted_on, l.lifted_by, l.reason AS lift_reason "
            "FROM recovery.hold h LEFT JOIN recovery.hold_lift l ON l.hold_id = h.hold_id "
            "WHERE h.case_id = :id ORDER BY h.starts_on, h.recorded_at",
            id=case_id,
        ),
        "referrals": await _rows(
            session,
            "SELECT r.referral_id, r.agency_kind, r.referred_on, r.balance_pence, e.ended_on, e.how, e.reason "
            "FROM recovery.referral r LEFT JOIN recovery.referral_end e ON e.referral_id = r.referral_id "
            "WHERE r.case_id = :id ORDER BY r.referred_on",
            id=case_id,
        ),
        "arrangements": await _rows(
            session,
            "SELECT a.*, d.amount_pence AS this_debt_pence, x.defaulted_on, x.missed_instalment "
            "FROM recovery.arrangement_debt d JOIN recovery.arrangement a ON a.arrangement_id = d.arrangement_id "
            "LEFT JOIN recovery.arrangement_default x ON x.arrangement_id = a.arrangement_id "
            "WHERE d.case_id = :id ORDER BY a.made_on",
            id=case_id,
        ),
        "contacts": await _rows(
            session,
            "SELECT contact_id, contacted_on, channel, direction, officer, summary FROM recovery.contact "
            "WHERE case_id = :id ORDER BY recorded_at",
            id=case_id,
        ),
        "write_off_requests": await _rows(
            session,
            "SELECT w.request_id, w.reason_code, w.amount_pence, w.evidence, w.requested_by, w.requested_on, "
            "o.outcome, o.reason AS outcome_reason, o.decided_on FROM recovery.write_off_request w "
            "LEFT JOIN recovery.write_off_outcome o ON o.request_id = w.request_id "
            "WHERE w.case_id = :id ORDER BY w.requested_on",
            id=case_id,
        ),
    }


async def customer_view(session: AsyncSession, customer_id: UUID) -> dict[str, Any]:
    """Every case of the customer with its record, and what is known of their circumstances."""
    case_ids = [
        r["case_id"]
        for r in await _rows(
            session, "SELECT case_id FROM recovery.case_customer WHERE customer_id = :id", id=customer_id
        )
    ]
    cases = [view for case_id in case_ids if (view := await case_view(session, case_id)) is not None]
    return {
        "customer_id": customer_id,
        "circumstances": await _rows(
            session,
            "SELECT recorded_on, vulnerable, cant_pay, wont_pay, indicators, large_print, reviewed, notes, "
            "recorded_by FROM recovery.circumstances WHERE customer_id = :id ORDER BY recorded_at",
            id=customer_id,
        ),
        "cases": cases,
    }
