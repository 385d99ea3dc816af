"""Service answers shaped as billing and recovery send them (JSON: ids and dates as strings), for unit tests of
the single view and of the pages."""

from __future__ import annotations

from typing import Any

CUSTOMER_ID = "0190a000-0000-7000-8000-000000000001"
DEBT_TAX = "0190a000-0000-7000-8000-0000000000d1"
DEBT_SUNDRY = "0190a000-0000-7000-8000-0000000000d2"
CASE_TAX = "0190a000-0000-7000-8000-0000000000c1"
CASE_ELSEWHERE = "0190a000-0000-7000-8000-0000000000c9"


def billing_customer() -> dict[str, Any]:
    """Billing's `GET /customers/{id}`: a resident with a council tax debt and a sundry invoice."""
    return {
        "customer_id": CUSTOMER_ID,
        "name": "Ms Joanne Fletcher",
        "kind": "person",
        "date_of_birth": "1984-06-02",
        "postal_address": {"lines": ["14 Abbey Street", "Derby"], "postcode": "DE22 3SJ"},
        "payments": [
            {
                "payment_id": "p1",
                "received_on": "2026-04-01",
                "amount_pence": 16_500,
                "channel": "direct_debit",
                "channel_reference": "DD-1",
                "status": "allocated",
                "unallocated_pence": 0,
            }
        ],
        "refunds": [
            {
                "refund_id": "0190a000-0000-7000-8000-0000000000b1",
                "payment_id": "p1",
                "amount_pence": 2_500,
                "reason": "overpaid",
                "status": "due",
                "created_on": "2026-11-28",
            }
        ],
        "debts": [
            {
                "debt_id": DEBT_TAX,
                "debt_type": "council_tax",
                "reference": "CT400017",
                "balance_pence": 120_000,
                "status": "open",
                "instalments": [
                    {
                        "number": 1,
                        "due_date": "2026-04-01",
                        "amount_pence": 16_500,
                        "paid_pence": 16_500,
                        "outstanding_pence": 0,
                    }
                ],
                "allocations": [
                    {
                        "payment_id": "p1",
                        "line_number": 1,
                        "amount_pence": 16_500,
                        "basis": "instalment_match",
                    }
                ],
                "holds": [],
                "write_offs": [],
            },
            {
                "debt_id": DEBT_SUNDRY,
                "debt_type": "sundry",
                "reference": "SUN-1",
                "balance_pence": 4_550,
                "status": "open",
            },
        ],
    }


def hold(kind: str, lifted_on: str | None = None, reference: str = "") -> dict[str, Any]:
    """A hold as recovery's case record lists it."""
    return {
        "hold_id": f"0190a000-0000-7000-8000-00000000{abs(hash(kind)) % 10_000:04d}",
        "kind": kind,
        "reason": f"{kind} reason",
        "authorised_by": "Priya Shah (revenues.officer)",
        "starts_on": "2026-11-01",
        "ends_on": None,
        "review_on": "2027-01-31",
        "disputed_amount_pence": None,
        "reference": reference,
        "lifted_on": lifted_on,
        "lifted_by": "Priya Shah (revenues.officer)" if lifted_on else None,
        "lift_reason": "resolved" if lifted_on else None,
    }


def recovery_case(case_id: str, debt_id: str, holds: list[dict[str, Any]]) -> dict[str, Any]:
    """Recovery's case view: the case row and its record."""
    return {
        "case": {
            "case_id": case_id,
            "debt_id": debt_id,
            "customer_ids": [CUSTOMER_ID],
            "debt_type": "council_tax",
            "balance_pence": 120_000,
            "status": "open",
            "external_reference": "CT-2026-400017",
            "next_step_name": "final_notice",
            "next_step_eligible_from": "2026-12-10",
        },
        "record": [
            {
                "recorded_on": "2026-11-20",
                "entry": "step",
                "summary": "reminder sent",
                "recorded_at": "2026-11-20T09:00:00+00:00",
            }
        ],
        "steps": [
            {
                "step_id": "s1",
                "step_name": "reminder",
                "kind": "reminder",
                "taken_on": "2026-11-20",
                "costs_pence": 0,
                "voided_on": None,
                "void_reason": None,
            }
        ],
        "notices": [
            {
                "notice_id": "0190a000-0000-7000-8000-0000000000e1",
                "step_name": "reminder",
                "issued_on": "2026-11-20",
                "amount_pence": 120_000,
                "large_print": False,
            }
        ],
        "holds": holds,
        "referrals": [],
        "arrangements": [],
        "contacts": [
            {
                "contact_id": "k1",
                "contacted_on": "2026-11-21",
                "channel": "phone",
                "direction": "inbound",
                "officer": "Priya Shah (revenues.officer)",
                "summary": "asked about the reminder",
            }
        ],
        "write_off_requests": [],
    }


def recovery_customer(*cases: dict[str, Any]) -> dict[str, Any]:
    """Recovery's `GET /customers/{id}/cases`."""
    return {"customer_id": CUSTOMER_ID, "circumstances": [], "cases": list(cases)}
