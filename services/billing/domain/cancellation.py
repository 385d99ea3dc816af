"""Cancelling an invoice (Sundry 8.5, NELC 5.7): only the originating service may cancel or dispute it."""

from __future__ import annotations

from shared.money import Pence


def cancellation_refusals(
    originating_service: str,
    requesting_service: str,
    paid_pence: Pence = 0,
    written_off: bool = False,
    already_cancelled: bool = False,
) -> list[str]:
    """Every reason a cancellation request must be refused (empty when the debt may be cancelled).

    Money already received cannot vanish with the invoice: a paid or part-paid invoice is corrected by a
    credit note (and any surplus offset or refunded) instead. A written-off debt stays on the write-off
    record.
    """
    refusals = []
    if requesting_service.strip().lower() != originating_service.strip().lower():
        refusals.append(
            f"only the originating service ({originating_service}) may cancel this invoice; "
            f"{requesting_service or 'an unnamed service'} asked"
        )
    if already_cancelled:
        refusals.append("the invoice is already cancelled")
    if written_off:
        refusals.append("the debt has been written off and cannot be cancelled")
    if paid_pence > 0:
        refusals.append("payments have been received on this invoice; correct it with a credit note instead")
    return refusals
