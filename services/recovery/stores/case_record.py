"""The case record of Sundry 8.7: the narrative entries every change appends, the officers' contacts, and the
views officers, complaints and the Ombudsman read (every step, notice, hold, referral, arrangement, contact and
write-off request of a case). Nothing here is ever changed, only added to (the tables refuse UPDATE and DELETE)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from services.recovery.stores.arrangements import ArrangementTerms
from services.recovery.stores.steps import NoticeRecord
from services.recovery.stores.store import Store, as_arrays


@dataclass(frozen=True)
class CaseEntry:
    """One line of a case's record: the business date, what kind of entry, and what happened."""

    case_id: UUID
    recorded_on: date
    entry: str
    summary: str


@dataclass(frozen=True)
class Contact:
    """A discussion with the debtor or about them."""

    contact_id: UUID
    case_id: UUID
    customer_id: UUID | None
    contacted_on: date
    channel: str
    direction: str
    officer: str
    summary: str


@dataclass(frozen=True)
class RecordLine:
    """A record entry as read back."""

    recorded_on: date
    entry: str
    summary: str
    recorded_at: datetime


@dataclass(frozen=True)
class StepLine:
    """A step on the record, with its void if voided."""

    step_id: UUID
    step_name: str
    kind: str
    taken_on: date
    costs_pence: int
    voided_on: date | None
    void_reason: str | None


@dataclass(frozen=True)
class NoticeLine:
    """A letter issued (without its text)."""

    notice_id: UUID
    step_name: str
    issued_on: date
    amount_pence: int
    large_print: bool


@dataclass(frozen=True)
class Notice(NoticeRecord):
    """A letter as issued, with when it was recorded."""

    recorded_at: datetime


@dataclass(frozen=True)
class HoldLine:
    """A hold on the record, with its lift if lifted."""

    hold_id: UUID
    kind: str
    reason: str
    authorised_by: str
    starts_on: date
    ends_on: date | None
    review_on: date | None
    disputed_amount_pence: int | None
    reference: str
    lifted_on: date | None
    lifted_by: str | None
    lift_reason: str | None


@dataclass(frozen=True)
class ReferralLine:
    """A referral on the record, with its end if ended."""

    referral_id: UUID
    agency_kind: str
    referred_on: date
    balance_pence: int
    ended_on: date | None
    how: str | None
    reason: str | None


@dataclass(frozen=True)
class ArrangementLine(ArrangementTerms):
    """An arrangement covering the case (its terms as made), this debt's part, and its default if broken."""

    recorded_at: datetime
    this_debt_pence: int
    defaulted_on: date | None
    missed_instalment: int | None


@dataclass(frozen=True)
class ContactLine:
    """A contact on the record."""

    contact_id: UUID
    contacted_on: date
    channel: str
    direction: str
    officer: str
    summary: str


@dataclass(frozen=True)
class WriteOffLine:
    """A write-off request with the write-off service's outcome, once known."""

    request_id: UUID
    reason_code: str
    amount_pence: int
    evidence: list[str]
    requested_by: str
    requested_on: date
    outcome: str | None
    outcome_reason: str | None
    decided_on: date | None


@dataclass(frozen=True)
class CircumstancesLine:
    """What was recorded of a customer's circumstances."""

    recorded_on: date
    vulnerable: bool
    cant_pay: bool
    wont_pay: bool
    indicators: list[str]
    large_print: bool
    reviewed: bool
    notes: str
    recorded_by: str


@dataclass(frozen=True)
class CaseRecord:
    """A case's whole record, as the case view shows it."""

    record: list[RecordLine]
    steps: list[StepLine]
    notices: list[NoticeLine]
    holds: list[HoldLine]
    referrals: list[ReferralLine]
    arrangements: list[ArrangementLine]
    contacts: list[ContactLine]
    write_off_requests: list[WriteOffLine]


class CaseRecordStore(Store):
    """Appending to the case record, and reading it back."""

    _APPEND = text(
        """
        INSERT INTO recovery.case_record (case_id, recorded_on, entry, summary)
        SELECT * FROM unnest(CAST(:case_id AS uuid[]), CAST(:recorded_on AS date[]), CAST(:entry AS text[]),
                             CAST(:summary AS text[]))
        """
    )
    _CONTACT = text(
        "INSERT INTO recovery.contact (contact_id, case_id, customer_id, contacted_on, channel, direction, "
        "officer, summary) VALUES (:contact_id, :case_id, :customer_id, :contacted_on, :channel, :direction, "
        ":officer, :summary)"
    )
    _RECORD = text(
        "SELECT recorded_on, entry, summary, recorded_at FROM recovery.case_record WHERE case_id = :id "
        "ORDER BY entry_id"
    )
    _STEPS = text(
        "SELECT s.step_id, s.step_name, s.kind, s.taken_on, s.costs_pence, v.voided_on, v.reason AS void_reason "
        "FROM recovery.case_step s LEFT JOIN recovery.step_void v ON v.step_id = s.step_id "
        "WHERE s.case_id = :id ORDER BY s.taken_on, s.recorded_at"
    )
    _NOTICES = text(
        "SELECT notice_id, step_name, issued_on, amount_pence, large_print FROM recovery.notice "
        "WHERE case_id = :id ORDER BY issued_on, recorded_at"
    )
    _NOTICE = text(
        "SELECT notice_id, case_id, step_id, step_name, issued_on, amount_pence, large_print, letter_text, "
        "recorded_at FROM recovery.notice WHERE case_id = :case_id AND notice_id = :notice_id"
    )
    _HOLDS = text(
        "SELECT h.hold_id, h.kind, h.reason, h.authorised_by, h.starts_on, h.ends_on, h.review_on, "
        "h.disputed_amount_pence, h.reference, l.lifted_on, l.lifted_by, l.reason AS lift_reason "
        "FROM recovery.hold h LEFT JOIN recovery.hold_lift l ON l.hold_id = h.hold_id "
        "WHERE h.case_id = :id ORDER BY h.starts_on, h.recorded_at"
    )
    _REFERRALS = text(
        "SELECT r.referral_id, r.agency_kind, r.referred_on, r.balance_pence, e.ended_on, e.how, e.reason "
        "FROM recovery.referral r LEFT JOIN recovery.referral_end e ON e.referral_id = r.referral_id "
        "WHERE r.case_id = :id ORDER BY r.referred_on"
    )
    _ARRANGEMENTS = text(
        "SELECT a.arrangement_id, a.customer_id, a.made_on, a.made_by, a.total_pence, a.instalment_pence, "
        "a.instalments, a.first_due_on, a.monthly_income_pence, a.monthly_expenditure_pence, "
        "a.statement_recorded_by, a.affordable, a.within_policy, a.note, a.recorded_at, "
        "d.amount_pence AS this_debt_pence, x.defaulted_on, x.missed_instalment "
        "FROM recovery.arrangement_debt d JOIN recovery.arrangement a ON a.arrangement_id = d.arrangement_id "
        "LEFT JOIN recovery.arrangement_default x ON x.arrangement_id = a.arrangement_id "
        "WHERE d.case_id = :id ORDER BY a.made_on"
    )
    _CONTACTS = text(
        "SELECT contact_id, contacted_on, channel, direction, officer, summary FROM recovery.contact "
        "WHERE case_id = :id ORDER BY recorded_at"
    )
    _WRITE_OFFS = text(
        "SELECT w.request_id, w.reason_code, w.amount_pence, w.evidence, w.requested_by, w.requested_on, "
        "o.outcome, o.reason AS outcome_reason, o.decided_on FROM recovery.write_off_request w "
        "LEFT JOIN recovery.write_off_outcome o ON o.request_id = w.request_id "
        "WHERE w.case_id = :id ORDER BY w.requested_on"
    )
    _CIRCUMSTANCES = text(
        "SELECT recorded_on, vulnerable, cant_pay, wont_pay, indicators, large_print, reviewed, notes, "
        "recorded_by FROM recovery.circumstances WHERE customer_id = :id ORDER BY recorded_at"
    )

    async def append(self, entries: list[CaseEntry]) -> None:
        """Append entries to the case record, in one statement."""
        if entries:
            await self.session.execute(self._APPEND, as_arrays(entries))

    async def add_contact(self, contact: Contact) -> None:
        """Record a discussion with the debtor."""
        await self.session.execute(self._CONTACT, contact.__dict__)

    async def notice(self, case_id: UUID, notice_id: UUID) -> Notice | None:
        """One letter as issued, if it is the case's."""
        row = (await self.session.execute(self._NOTICE, {"case_id": case_id, "notice_id": notice_id})).first()
        return None if row is None else Notice(**row._mapping)

    async def _lines(self, statement: Any, key: UUID) -> list[Any]:
        return [r._mapping for r in await self.session.execute(statement, {"id": key})]

    async def case_record(self, case_id: UUID) -> CaseRecord:
        """Everything on the case's record, each part in order."""

        async def lines(statement: Any, line: type[Any]) -> list[Any]:
            return [line(**row) for row in await self._lines(statement, case_id)]

        return CaseRecord(
            record=await lines(self._RECORD, RecordLine),
            steps=await lines(self._STEPS, StepLine),
            notices=await lines(self._NOTICES, NoticeLine),
            holds=await lines(self._HOLDS, HoldLine),
            referrals=await lines(self._REFERRALS, ReferralLine),
            arrangements=await lines(self._ARRANGEMENTS, ArrangementLine),
            contacts=await lines(self._CONTACTS, ContactLine),
            write_off_requests=[
                WriteOffLine(**{**r, "evidence": _json_list(r["evidence"])})
                for r in await self._lines(self._WRITE_OFFS, case_id)
            ],
        )

    async def circumstances_lines(self, customer_id: UUID) -> list[CircumstancesLine]:
        """What was recorded of the customer's circumstances, in order."""
        return [
            CircumstancesLine(**{**r, "indicators": _json_list(r["indicators"])})
            for r in await self._lines(self._CIRCUMSTANCES, customer_id)
        ]


def _json_list(value: Any) -> list[str]:
    # asyncpg hands jsonb back as text unless a codec is set; either way the view shows the list.
    return list(json.loads(value) if isinstance(value, str) else value)
