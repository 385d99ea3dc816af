"""The corrections store: credit notes issued, and refused requests (charges, credit notes, cancellations)
kept whole with their reasons for audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.money import Pence

_CREDIT_NOTE_ISSUED = text(
    "SELECT 1 FROM credit_note WHERE requesting_system = :system AND credit_note_reference = :reference"
)
_CREDITED_ON_DEBT = text("SELECT coalesce(sum(amount_pence), 0) FROM credit_note WHERE debt_id = :debt_id")
_ISSUE_CREDIT_NOTE = text(
    "INSERT INTO credit_note (credit_note_id, debt_id, requesting_system, credit_note_reference, "
    "amount_pence, correction, reason, issued_on) VALUES (:id, :debt_id, :system, :reference, :amount, "
    ":correction, :reason, :on)"
)
_KEEP_REFUSAL = text(
    "INSERT INTO refused_request (refusal_id, request_kind, requesting_system, external_reference, "
    "reasons, request, refused_on, event_id) VALUES (:id, :kind, :system, :reference, "
    "CAST(:reasons AS text[]), CAST(:request AS jsonb), :refused_on, :event_id)"
)


@dataclass(frozen=True)
class CreditNote:
    """A credit note issued against a debt."""

    credit_note_id: UUID
    debt_id: UUID
    requesting_system: str
    credit_note_reference: str
    amount_pence: Pence
    correction: str
    reason: str
    issued_on: date


@dataclass(frozen=True)
class RefusedRequest:
    """A request billing refused, kept whole with every reason."""

    refusal_id: UUID
    kind: str
    requesting_system: str
    external_reference: str
    reasons: list[str]
    request_json: str
    refused_on: date
    event_id: UUID | None


class CorrectionStore:
    """Credit notes and refused requests, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def credit_note_issued(self, requesting_system: str, credit_note_reference: str) -> bool:
        """Whether the council system's credit note reference was already issued."""
        found = await self.session.execute(
            _CREDIT_NOTE_ISSUED, {"system": requesting_system, "reference": credit_note_reference}
        )
        return found.first() is not None

    async def credited_on(self, debt_id: UUID) -> Pence:
        """The total of the credit notes already issued on a debt."""
        return int((await self.session.execute(_CREDITED_ON_DEBT, {"debt_id": debt_id})).scalar_one())

    async def issue_credit_note(self, note: CreditNote) -> None:
        """Keep the credit note (its posting is the debt store's)."""
        await self.session.execute(
            _ISSUE_CREDIT_NOTE,
            {
                "id": note.credit_note_id,
                "debt_id": note.debt_id,
                "system": note.requesting_system,
                "reference": note.credit_note_reference,
                "amount": note.amount_pence,
                "correction": note.correction,
                "reason": note.reason,
                "on": note.issued_on,
            },
        )

    async def keep_refusal(self, refused: RefusedRequest) -> None:
        """Keep a refused request whole, with its reasons, for audit."""
        await self.session.execute(
            _KEEP_REFUSAL,
            {
                "id": refused.refusal_id,
                "kind": refused.kind,
                "system": refused.requesting_system,
                "reference": refused.external_reference,
                "reasons": refused.reasons,
                "request": refused.request_json,
                "refused_on": refused.refused_on,
                "event_id": refused.event_id,
            },
        )
