"""Credit notes (Derby App.1 §9): the originating service corrects a wrong invoice. Never a write-off.

A credit note beyond what is still owed (an overstated invoice already paid) is issued all the same: the lines
are cleared and the excess is settled as the customer's credit, offset or refunded by the overpayment rules
(council tax and rates only against later liability of the same tax, reg 31).

A refused credit note is kept for audit and answered with `billing.credit_note.refused`; nothing is applied.
"""

from __future__ import annotations

from services.billing.billing import Billing, BillingHandling
from services.billing.debt_accounts import Movement, balance_events, posting
from services.billing.domain.balances import PostingKind
from services.billing.domain.credit_notes import credit_note_effect, credit_note_refusals
from services.billing.domain.debt_status import CANCELLED, WRITTEN_OFF
from services.billing.payments import settle_credit
from services.billing.refused_requests import refuse
from services.billing.stores import BillingStores
from services.billing.stores.corrections import CreditNote
from shared.contracts.billing import CreditNoteIssued, CreditNoteRefused
from shared.contracts.council_systems import CreditNoteRequested
from shared.contracts.envelope import Contract
from shared.ids import new_id
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[BillingStores, Billing]()


@router.handles(CreditNoteRequested)
async def issue_or_refuse_credit_note(request: CreditNoteRequested, handling: BillingHandling) -> None:
    """Issue the credit note against the invoice (latest instalments first), or refuse it with reasons."""
    stores = handling.stores
    today = handling.service.clock.today()
    account = await stores.debts.by_reference(request.requesting_system, request.external_reference)
    already = await stores.corrections.credit_note_issued(
        request.requesting_system, request.credit_note_reference
    )
    if account is None:
        reasons = [f"no debt was raised under external reference {request.external_reference!r}"]
    else:
        reasons = credit_note_refusals(
            account.position,
            request.amount_pence,
            request.correction,
            request.reason,
            written_off=account.status == WRITTEN_OFF,
            creditable_pence=account.amount_pence - await stores.corrections.credited_on(account.debt_id),
        )
        if account.status == CANCELLED:
            reasons.append("the invoice has been cancelled")
    if already:
        reasons.append(f"credit note {request.credit_note_reference!r} has already been issued")
    if reasons:
        await refuse(
            handling,
            "credit_note",
            request,
            CreditNoteRefused(
                requesting_system=request.requesting_system,
                external_reference=request.external_reference,
                credit_note_reference=request.credit_note_reference,
                reasons=reasons,
                refused_on=today,
            ),
        )
        return
    assert account is not None
    credit_note_id = new_id()
    effect = credit_note_effect(account.position, request.amount_pence)
    balances = await stores.debts.post(
        [
            Movement(
                posting(account.debt_id, PostingKind.CREDIT_NOTE, request.amount_pence),
                today,
                str(credit_note_id),
                tuple((r.instalment_number, -r.amount_pence) for r in effect.reductions),
            )
        ]
    )
    await stores.corrections.issue_credit_note(
        CreditNote(
            credit_note_id=credit_note_id,
            debt_id=account.debt_id,
            requesting_system=request.requesting_system,
            credit_note_reference=request.credit_note_reference,
            amount_pence=request.amount_pence,
            correction=request.correction,
            reason=request.reason,
            issued_on=today,
        )
    )
    events: list[Contract] = [
        CreditNoteIssued(
            credit_note_id=credit_note_id,
            debt_id=account.debt_id,
            amount_pence=request.amount_pence,
            reason=request.reason,
            issued_on=today,
        ),
        *balance_events(account, balances[account.debt_id], -request.amount_pence, "credit_note", today),
    ]
    # What was corrected beyond what was owed is the customer's money: offset or refunded, by the law's rules.
    events += await settle_credit(
        handling, account, effect.credit_pence, today, f"credit note {request.credit_note_reference}"
    )
    await handling.outbox.add_all(events)
