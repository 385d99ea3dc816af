"""The services as the workbench's pages call them, answering from memory and remembering what was asked, so
page tests run without a network, a database or an identity provider."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.workbench.clients import NotFound, Refused
from services.workbench.clients.calls import Download
from tests.unit.workbench.samples import (
    CASE_ELSEWHERE,
    CASE_TAX,
    CUSTOMER_ID,
    DEBT_SUNDRY,
    DEBT_TAX,
    billing_customer,
    hold,
    recovery_case,
    recovery_customer,
)


class FakeBilling:
    def __init__(self, asked: list[tuple[str, Any]]) -> None:
        self.asked = asked

    async def search(self, query: str) -> list[dict[str, Any]]:
        self.asked.append(("search", query))
        c = billing_customer()
        if query.upper().replace(" ", "") != "DE223SJ":
            return []
        return [
            {
                "customer_id": c["customer_id"],
                "name": c["name"],
                "kind": "person",
                "postal_address": c["postal_address"],
                "accounts": [
                    {
                        "debt_id": d["debt_id"],
                        "debt_type": d["debt_type"],
                        "reference": d["reference"],
                        "balance_pence": d["balance_pence"],
                        "status": d["status"],
                    }
                    for d in c["debts"]
                ],
                "matched_on": "postcode",
            }
        ]

    async def customer(self, customer_id: UUID) -> dict[str, Any]:
        if str(customer_id) != CUSTOMER_ID:
            raise NotFound("billing", f"billing holds no customer {customer_id}")
        return billing_customer()

    async def debt(self, debt_id: UUID) -> dict[str, Any]:
        self.asked.append(("debt", str(debt_id)))
        if str(debt_id) != DEBT_SUNDRY:
            raise NotFound("billing", f"billing holds no debt {debt_id}")
        return {
            "debt_id": DEBT_SUNDRY,
            "debt_type": "sundry",
            "external_reference": "SUN-1",
            "account_reference": None,
            "customer_ids": [CUSTOMER_ID],
            "balance_pence": 4_550,
        }

    async def match_reviews(self) -> list[dict[str, Any]]:
        return [
            {
                "review_id": "0190a000-0000-7000-8000-00000000aaaa",
                "customer_id": CUSTOMER_ID,
                "possible_matches": [CUSTOMER_ID],
                "reasons": ["same name and date of birth"],
                "flagged_at": "2026-12-01T09:00:00+00:00",
            }
        ]

    async def refunds_due(self) -> list[dict[str, Any]]:
        return [
            {
                "refund_id": "0190a000-0000-7000-8000-0000000000b1",
                "customer_id": CUSTOMER_ID,
                "customer_name": "Ms Joanne Fletcher",
                "amount_pence": 2_500,
                "reason": "overpaid",
                "due_since": "2026-11-28",
            }
        ]

    async def authorise_refund(self, refund_id: UUID) -> None:
        self.asked.append(("authorise_refund", str(refund_id)))

    async def record_counter_payment(self, customer_id: UUID, **asked: Any) -> dict[str, Any]:
        self.asked.append(("record_counter_payment", {"customer_id": str(customer_id), **asked}))
        if asked["receipt_reference"] == "USED-1":
            raise Refused("billing", "receipt USED-1 was recorded for a different payment by Tom Hughes")
        return {
            "receipt_reference": asked["receipt_reference"],
            "payment_id": "0190a000-0000-7000-8000-0000000000a7",
            "recorded_by": "Priya Shah (revenues.officer)",
            "already_recorded": asked["receipt_reference"] == "AGAIN-1",
        }

    async def quarantined_payment_files(self) -> dict[str, Any]:
        return {
            "count": 1,
            "oldest_age_hours": 30.5,
            "files": [
                {
                    "file_id": 3,
                    "file_name": "allpay-20261202.csv",
                    "kept_at": "/var/lib/billing/quarantine/allpay-20261202.csv",
                    "payments": 41,
                    "problems_count": 4,
                    "problems": [
                        "line 7: amount 'twelve' is not a number",
                        "line 9: no account reference",
                        "line 12: received on 31/02/2026 is not a date",
                        "line 40: channel 'bitcoin' is not a council channel",
                    ],
                    "quarantined_on": "2026-12-02",
                    "quarantined_at": "2026-12-02T07:30:00+00:00",
                    "age_hours": 30.5,
                }
            ],
        }


DEBT_LISTED_LATER = "0190a000-0000-7000-8000-0000000000e1"
DEBT_DECIDED = "0190a000-0000-7000-8000-0000000000e2"
DEBT_DECIDED_LATE = "0190a000-0000-7000-8000-0000000000e3"


def review_entry(debt_id: str, status: str, **changed: Any) -> dict[str, Any]:
    """A debt on billing's budget-holder review of December 2026, as its route answers."""
    return {
        "review_month": "2026-12",
        "debt_id": debt_id,
        "debt_type": "sundry",
        "income_code": "ENV100",
        "directorate": "Place",
        "budget_holder": "Head of Environmental Services",
        "days_past_due": 125,
        "over_days": 120,
        "outstanding_pence": 4_550,
        "listed_on": "2026-12-01",
        "decide_by": "2026-12-15",
        "decision": None,
        "decision_note": None,
        "decided_by": None,
        "decided_on": None,
        "status": status,
        "external_reference": "SUN-1" if debt_id == DEBT_SUNDRY else None,
        "account_reference": None,
        "customer_ids": [CUSTOMER_ID] if debt_id == DEBT_SUNDRY else [],
        **changed,
    }


def narrowed(
    body: dict[str, Any], status: str | None, debt_id: UUID | None, limit: int | None, offset: int
) -> dict[str, Any]:
    """The month narrowed to a status or one debt and cut to a page, as billing's store does."""
    matching = [
        r
        for r in body["reviews"]
        if (status is None or r["status"] == status) and (debt_id is None or r["debt_id"] == str(debt_id))
    ]
    end = None if limit is None else offset + limit
    return {**body, "total": len(matching), "offset": offset, "reviews": matching[offset:end]}


class FakeManagementInformation:
    """Billing's management information: a year of KPIs, aged debt in two directorates, a provision, and
    December's review with a debt overdue, one awaiting, one decided and one decided late."""

    def __init__(self, asked: list[tuple[str, Any]]) -> None:
        self.asked = asked
        self.more_reviews: list[dict[str, Any]] = []

    async def kpis(self, *, financial_year: str | None = None, month: str | None = None) -> dict[str, Any]:
        self.asked.append(("kpis", {"financial_year": financial_year, "month": month}))
        if financial_year == "2030/31":
            raise Refused("billing", "financial_year must look like 2026/27")

        def period(label: str, as_at: str) -> dict[str, Any]:
            return {
                "period": label,
                "financial_year": "2026/27",
                "as_at": as_at,
                "council_tax": {
                    "collected_pence": 9_712_00,
                    "net_collectable_debit_pence": 10_000_00,
                    "rate_percent": "97.12",
                },
                "business_rates": {
                    "collected_pence": 0,
                    "net_collectable_debit_pence": 0,
                    "rate_percent": None,
                },
                "hb_overpayments_not_under_arrangement_pence": 1_234_56,
                "sundry_older_than_three_months_pence": 789_00,
            }

        periods = [period("2026-04", "2026-04-30"), period("2026/27", "2027-03-31")]
        if month:
            periods = [period(month, "2026-05-31")]
        return {"definitions": {"in_year_collection_rate": "money received ... QRC4"}, "periods": periods}

    async def aged_debt(self, as_of: str | None = None) -> dict[str, Any]:
        self.asked.append(("aged_debt", as_of))
        bands = ["not_yet_due", "0-30", "31-60", "61-90", "91-120", "over_120"]

        def row(directorate: str, debt_type: str, over_120: int) -> dict[str, Any]:
            cells = {f"{b}_pence": 0 for b in bands} | {"0-30_pence": 100_00, "over_120_pence": over_120}
            return {
                "directorate": directorate,
                "debt_type": debt_type,
                **cells,
                "total_pence": 100_00 + over_120,
            }

        return {
            "as_of": as_of or "2026-12-03",
            "bands": bands,
            "rows": [
                row("Operations", "council_tax", 500_00),
                row("Operations", "penalty_charge_notice", 20_00),
                row("unassigned", "sundry", 45_50),
            ],
            "totals_pence": dict.fromkeys(bands, 0) | {"0-30": 300_00, "over_120": 565_50},
        }

    async def bad_debt_provision(self, as_of: str | None = None) -> dict[str, Any]:
        self.asked.append(("bad_debt_provision", as_of))
        bands = ["not_yet_due", "0-30", "31-60", "61-90", "91-120", "over_120"]
        percent = dict(zip(bands, ["0", "0", "5", "10", "25", "50"], strict=True))
        unpaid = dict.fromkeys(bands, 0) | {"31-60": 200_00, "over_120": 45_51}
        provision = dict.fromkeys(bands, 0) | {"31-60": 10_00, "over_120": 22_76}
        return {
            "as_of": as_of or "2026-12-03",
            "council": "derby",
            "percent_by_band": percent,
            "rounding": "per debt type and age band: unpaid x percent / 100, half up to the penny",
            "rows": [
                {
                    "debt_type": "sundry",
                    "unpaid_pence": unpaid,
                    "provision_pence": provision,
                    "total_unpaid_pence": 245_51,
                    "total_provision_pence": 32_76,
                }
            ],
            "total_unpaid_pence": 245_51,
            "total_provision_pence": 32_76,
        }

    async def budget_holder_reviews(
        self,
        month: str | None = None,
        *,
        status: str | None = None,
        debt_id: UUID | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> dict[str, Any]:
        asked = {"month": month, "status": status, "offset": offset}
        self.asked.append(("budget_holder_reviews", asked | ({"debt_id": str(debt_id)} if debt_id else {})))
        reviews = [
            review_entry(DEBT_SUNDRY, "overdue"),
            review_entry(
                DEBT_LISTED_LATER, "awaiting_decision", listed_on="2026-12-10", decide_by="2026-12-24"
            ),
            review_entry(
                DEBT_DECIDED,
                "decided",
                decision="write_off_request",
                decided_by="Sam Jones (senior.officer)",
                decided_on="2026-12-08",
                decision_note="trace failed",
            ),
            review_entry(
                DEBT_DECIDED_LATE,
                "decided_late",
                decision="continue_recovery",
                decided_by="Sam Jones (senior.officer)",
                decided_on="2026-12-17",
            ),
        ]
        if month not in (None, "2026-12"):
            reviews = []
        counts: dict[str, int] = {}
        for r in reviews:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        reviews.extend(self.more_reviews)
        body = {"as_of": "2026-12-18", "by_status": counts, "reviews": reviews}
        return narrowed(body, status, debt_id, limit, offset)

    async def list_for_review(self) -> dict[str, Any]:
        self.asked.append(("list_for_review", None))
        return {"review_month": "2026-12", "debts_over_threshold": 4, "newly_listed": 1}

    async def record_decision(
        self, month: str, debt_id: UUID, decision: str, note: str | None
    ) -> dict[str, Any]:
        self.asked.append(("record_decision", (month, str(debt_id), decision, note)))
        if str(debt_id) == DEBT_LISTED_LATER and decision == "cancel":
            raise Refused("billing", f"the decision on debt {debt_id} for this month is already recorded")
        return review_entry(str(debt_id), "decided_late", decision=decision)

    async def csv(self, report: str, **params: Any) -> Download:
        self.asked.append(("csv", (report, params)))
        return Download(
            b"debt_type,age_band,unpaid_pence\nsundry,31-60,20000\n",
            "text/csv; charset=utf-8",
            f'attachment; filename="{report}-2026-12-03.csv"',
        )


class FakeRecovery:
    def __init__(self, asked: list[tuple[str, Any]]) -> None:
        self.asked = asked
        self.holds = [hold("vulnerability")]

    def _case(self) -> dict[str, Any]:
        return recovery_case(CASE_TAX, DEBT_TAX, self.holds)

    async def cases_of_customer(self, customer_id: UUID) -> dict[str, Any]:
        return recovery_customer(self._case())

    async def case(self, case_id: UUID) -> dict[str, Any]:
        return self._case()

    async def notice(self, case_id: UUID, notice_id: UUID) -> dict[str, Any]:
        return {
            "notice_id": str(notice_id),
            "step_name": "reminder",
            "issued_on": "2026-11-20",
            "amount_pence": 120_000,
            "large_print": False,
            "letter_text": "Dear Ms Fletcher,\nPlease pay.",
        }

    async def letter_pdf(self, case_id: UUID, notice_id: UUID) -> tuple[bytes, str]:
        return b"%PDF-1.7 letter", "application/pdf"

    async def apply_hold(self, case_id: UUID, **asked: Any) -> dict[str, Any]:
        self.asked.append(("apply_hold", asked))
        if asked["reason"] == "refuse me":
            raise Refused("recovery", "a hold cannot start before the debt was raised")
        return {"hold_id": "h"}

    async def holds_due_for_review(self) -> list[dict[str, Any]]:
        return [
            {
                "case_id": CASE_TAX,
                "hold_id": self.holds[0]["hold_id"],
                "debt_id": DEBT_TAX,
                "debt_type": "council_tax",
                "debt_reference": "CT-2026-400017",
                "customer_ids": [CUSTOMER_ID],
                "debtor_name": "Ms Joanne Fletcher",
                "kind": "vulnerability",
                "reason": "vulnerability reason",
                "authorised_by": "Priya Shah (revenues.officer)",
                "review_on": "2026-11-24",
                "days_overdue": 9,
            },
            {
                "case_id": CASE_ELSEWHERE,
                "hold_id": "0190a000-0000-7000-8000-00000000abcd",
                "debt_id": DEBT_SUNDRY,
                "debt_type": "sundry",
                "debt_reference": "SUN-1",
                "customer_ids": [],
                "debtor_name": None,
                "kind": "manual",
                "reason": "contract under review",
                "authorised_by": "Sam Jones (senior.officer)",
                "review_on": "2026-12-03",
                "days_overdue": 0,
            },
        ]

    async def cases_awaiting_decision(self, customer_id: Any = None) -> dict[str, Any]:
        tray = self._awaiting_tray()
        if customer_id is not None:  # as recovery does: only the cases the customer is liable on
            tray["cases"] = [c for c in tray["cases"] if str(customer_id) in map(str, c["customer_ids"])]
        return tray

    def _awaiting_tray(self) -> dict[str, Any]:
        return {
            "on": "2026-12-03",
            "count": 2,
            "oldest_days_waiting": 12,
            "cases": [
                {
                    "case_id": CASE_TAX,
                    "debt_id": DEBT_TAX,
                    "debt_type": "council_tax",
                    "policy_group": "council_tax",
                    "debt_reference": "CT-2026-400017",
                    "customer_ids": [CUSTOMER_ID],
                    "debtor_name": "Ms Joanne Fletcher",
                    "balance_pence": 120_000,
                    "due_for_decision_on": "2026-11-21",
                    "why": "timetable exhausted with £1,200.00 owed",
                    "days_waiting": 12,
                    "last_step": "final_notice",
                    "last_step_on": "2026-11-20",
                    "last_decision": None,
                    "last_decided_by": None,
                    "last_decided_on": None,
                },
                {
                    "case_id": CASE_ELSEWHERE,
                    "debt_id": DEBT_SUNDRY,
                    "debt_type": "sundry",
                    "policy_group": "sundry",
                    "debt_reference": "SUN-1",
                    "customer_ids": [],
                    "debtor_name": None,
                    "balance_pence": 4_550,
                    "due_for_decision_on": "2026-12-03",
                    "why": "the write-off service refused the write-off: no evidence of the trace",
                    "days_waiting": 0,
                    "last_step": "reminder",
                    "last_step_on": "2026-12-02",
                    "last_decision": "write_off",
                    "last_decided_by": "Sam Jones (senior.officer)",
                    "last_decided_on": "2026-11-01",
                },
            ],
        }

    async def decide_exhausted_case(self, case_id: UUID, decision: str, **asked: Any) -> dict[str, Any]:
        self.asked.append(("decide_exhausted_case", {"case_id": str(case_id), "decision": decision, **asked}))
        if decision == "legal_action":
            raise Refused(
                "recovery", f"case {case_id}: no legal action while recovery is held (vulnerability)"
            )
        return {"decision_id": "d1", "case_id": str(case_id), "decision": decision}


class FakeBreathingSpace:
    async def status(self) -> dict[str, Any]:
        return {
            "pending_matches": [
                {
                    "moratorium_reference": "BS-1",
                    "explanation": "two people of that name",
                    "candidates": [
                        {
                            "customer_id": CUSTOMER_ID,
                            "score": 90,
                            "reasons": ["name", "date of birth"],
                            "exact": True,
                        }
                    ],
                    "queued_at": "2026-12-03T08:00:00+00:00",
                    "waiting_seconds": 60,
                    "alert": False,
                }
            ],
            "unconfirmed_holds": [],
            "open_moratoria": [
                {"moratorium_reference": "BS-1", "kind": "standard", "end_date": "2026-12-20"}
            ],
        }

    async def customer_moratoria(self, customer_id: UUID) -> list[dict[str, Any]]:
        return [
            {
                "moratorium_reference": "BS-1",
                "kind": "standard",
                "start_date": "2026-12-01",
                "end_date": "2027-01-29",
                "status": "active",
                "match": "exact",
                "matched_to_customer": True,
                "hold_ended": False,
                "debts_held": [
                    {
                        "debt_id": DEBT_TAX,
                        "creditor_reference": "CT400017",
                        "debt_type": "council_tax",
                        "source": "notified",
                        "not_protected_customer_ids": [],
                    }
                ],
            },
            {
                "moratorium_reference": "BS-0",
                "kind": "mental_health_crisis",
                "start_date": "2026-06-01",
                "end_date": None,
                "status": "active",
                "match": "exact",
                "matched_to_customer": False,
                "hold_ended": False,
                "debts_held": [],
            },
        ]

    async def moratorium(self, reference: str) -> dict[str, Any]:
        return {
            "moratorium_reference": reference,
            "kind": "standard",
            "status": "active",
            "start_date": "2026-12-01",
            "end_date": "2027-01-29",
            "held_debts": [{"debt_id": DEBT_TAX, "reference": "CT400017"}],
            "notifications": [],
            "hold_versions": [],
        }


class FakeAgentsGateway:
    async def placements_of_customer(self, customer_id: UUID) -> list[dict[str, Any]]:
        return [
            {
                "referral_id": "0190a000-0000-7000-8000-0000000000f2",
                "case_reference": "CT-2026-400017",
                "case_id": CASE_TAX,
                "debt_id": DEBT_TAX,
                "customer_ids": [CUSTOMER_ID],
                "agent_code": "EQUITA",
                "debt_type": "council_tax",
                "agency_kind": "enforcement_agent",
                "balance_pence": 120_000,
                "referred_on": "2026-10-01",
                "status": "acknowledged",
                "agent_reference": "EQ-31",
                "agent_stage": "enforcement",
                "recalled_on": None,
                "closed_on": None,
                "refusal": None,
            }
        ]

    async def quarantined_files(self) -> list[dict[str, Any]]:
        return []

    async def refused_placements(self) -> dict[str, Any]:
        return {
            "waiting": 1,
            "oldest_hours_waiting": 5,
            "items": [
                {
                    "referral_id": "0190a000-0000-7000-8000-0000000000f1",
                    "case_id": CASE_TAX,
                    "debt_id": DEBT_TAX,
                    "debt_type": "council_tax",
                    "balance_pence": 120_000,
                    "agency_kind_asked_for": "enforcement_agent",
                    "agent_chosen": None,
                    "reasons": ["council tax needs its liability order before enforcement"],
                    "referred_on": "2026-12-01",
                    "refused_at": "2026-12-03T09:00:00+00:00",
                    "hours_waiting": 5,
                    "lawful_alternatives": [],
                }
            ],
        }


class FakeWriteOff:
    async def schedules_awaiting_decision(self) -> list[dict[str, Any]]:
        return [
            {
                "schedule_id": "s1",
                "number": 7,
                "line_count": 2,
                "aggregate": "£900.00",
                "built_at": "2026-11-30T10:00:00+00:00",
            }
        ]


class FakeDeadLetters:
    """One service's dead-letter tray: billing has one waiting and one settled, the others none."""

    def __init__(self, service: str, asked: list[tuple[str, Any]]) -> None:
        self.service = service
        self.asked = asked

    async def tray(self, *, include_settled: bool = False) -> dict[str, Any]:
        letters = [
            {
                "id": 11,
                "queue": "billing.payments-received",
                "routing_key": "council_systems.payment.received",
                "event_id": "0190a000-0000-7000-8000-0000000000d1",
                "reason": "ValueError: a payment must be for more than nil",
                "attempts": 5,
                "dead_lettered_at": "2026-12-02T14:00:00+00:00",
                "age_seconds": 86_400,
                "first_seen_at": "2026-12-02T13:55:00+00:00",
                "times_dead_lettered": 2,
                "settlement": None,
                "settled_by": None,
                "settled_at": None,
                "settlement_reason": None,
            },
            {
                "id": 10,
                "queue": "billing.charges-raised",
                "routing_key": "council_tax.charge.raised",
                "event_id": None,
                "reason": "timeout",
                "attempts": 5,
                "dead_lettered_at": "2026-12-01T10:00:00+00:00",
                "age_seconds": 180_000,
                "first_seen_at": "2026-12-01T10:00:00+00:00",
                "times_dead_lettered": 1,
                "settlement": "replayed",
                "settled_by": "Ola Adeyemi (operations)",
                "settled_at": "2026-12-01T11:00:00+00:00",
                "settlement_reason": "database back",
            },
        ]
        if self.service != "billing":
            letters = []
        shown = letters if include_settled else [d for d in letters if d["settled_at"] is None]
        return {
            "service": self.service,
            "waiting": sum(1 for d in letters if d["settled_at"] is None),
            "oldest_waiting_age_seconds": 86_400 if letters else None,
            "dead_letters": shown,
        }

    async def message(self, dead_letter_id: int) -> str:
        return '{"type": "council_systems.payment.received", "data": {"amount_pence": 0}}'

    async def settle(self, settlement: str, dead_letter_id: int, reason: str) -> dict[str, Any]:
        self.asked.append(("settle_dead_letter", (self.service, settlement, dead_letter_id, reason)))
        if reason == "refuse me":
            raise Refused(self.service, f"dead letter {dead_letter_id} is already settled")
        return {"settlement": f"{settlement}ed", "count": 1, "by": "Ola Adeyemi (operations)"}


class FakeServices:
    """Every service the pages call."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, Any]] = []
        self.billing = FakeBilling(self.asked)
        self.management_information = FakeManagementInformation(self.asked)
        self.recovery = FakeRecovery(self.asked)
        self.breathing_space = FakeBreathingSpace()
        self.agents_gateway = FakeAgentsGateway()
        self.writeoff = FakeWriteOff()
        self.dead_letters = {
            slug: FakeDeadLetters(name, self.asked)
            for slug, name in (
                ("billing", "billing"),
                ("recovery", "recovery"),
                ("breathing-space", "breathing space"),
                ("agents-gateway", "agents gateway"),
                ("write-off", "write-off"),
            )
        }
