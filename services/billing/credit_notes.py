"""Credit notes (Derby App.1 §9): the originating service corrects a wrong invoice. Never a write-off.

A refused credit note is kept for audit and answered with `billing.credit_note.refused`; nothing is applied.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import (
    Movement,
    account_by_reference,
    balance_events,
    post_movements,
    posting,
)
from services.billing.domain.balances import PostingKind
from services.billing.domain.credit_notes import credit_note_reductions, credit_note_refusals
from services.billing.refused_requests import keep_refusal
from services.billing.service import runtime
from shared.clock import clock
from shared.contracts.billing import CreditNoteIssued, CreditNoteRefused
from shared.contracts.council_systems import CreditNoteRequested
from shared.contracts.envelope import Envelope
from shared.ids import new_id


@runtime.inbox.handles(CreditNoteRequested)
async def issue_or_refuse_credit_note(
    session: AsyncSession, request: CreditNoteRequested, envelope: Envelope
) -> None:
    """Issue the credit note against the invoice (latest instalments first), or refuse it with reasons."""
    today = clock.today()
    account = await account_by_reference(session, request.requesting_system, request.external_reference)
    already = (
        await session.execute(
            text(
                "SELECT 1 FROM credit_note WHERE requesting_system = :system AND credit_note_reference = :reference"
            ),
            {"system": request.requesting_system, "reference": request.credit_note_reference},
        )
    ).first()
    if account is None:
        reasons = [f"no debt was raised under external reference {request.external_reference!r}"]
    else:
        reasons = credit_note_refusals(
            account.position,
            request.amount_pence,
            request.correction,
            request.reason,
            written_off=account.status == "written_off",
        )
        if account.status == "cancelled":
            reasons.append("the invoice has been cancelled")
    if already:
        reasons.append(f"credit note {request.credit_note_reference!r} has already been issued")
    if reasons:
        await keep_refusal(
            session,
            "credit_note",
            request.requesting_system,
            request.external_reference,
            reasons,
            request.model_dump_json(),
            envelope,
        )
        await runtime.outbox.add(
            session,
            CreditNoteRefused(
                requesting_system=request.requesting_system,
                external_reference=request.external_reference,
                credit_note_reference=request.credit_note_reference,
                reasons=reasons,
                refused_on=today,
            ),
            causation=envelope,
        )
        return
    assert account is not None
    credit_note_id = new_id()
    reductions = credit_note_reductions(account.position, request.amount_pence)
    balances = await post_movements(
        session,
        [
            Movement(
                posting(account.debt_id, PostingKind.CREDIT_NOTE, request.amount_pence),
                today,
                str(credit_note_id),
                tuple((r.instalment_number, -r.amount_pence) for r in reductions),
            )
        ],
    )
    await session.execute(
        text(
            "INSERT INTO credit_note (credit_note_id, debt_id, requesting_system, credit_note_reference, "
            "amount_pence, correction, reason, issued_on) VALUES (:id, :debt_id, :system, :reference, :amount, "
            ":correction, :reason, :on)"
        ),
        {
            "id": credit_note_id,
            "debt_id": account.debt_id,
            "system": request.requesting_system,
            "reference": request.credit_note_reference,
            "amount": request.amount_pence,
            "correction": request.correction,
            "reason": request.reason,
            "on": today,
        },
    )
    await runtime.outbox.add_all(
        session,
        [
            CreditNoteIssued(
                credit_note_id=credit_note_id,
                debt_id=account.debt_id,
                amount_pence=request.amount_pence,
                reason=request.reason,
                issued_on=today,
            ),
            *balance_events(account, balances[account.debt_id], -request.amount_pence, "credit_note", today),
        ],
        causation=envelope,
    )
