"""Refused requests (charges, credit notes, cancellations), kept whole with their reasons for audit."""

from __future__ import annotations

from services.billing.billing import BillingHandling
from services.billing.stores.corrections import RefusedRequest
from shared.ids import new_id


async def keep_refusal(
    handling: BillingHandling,
    kind: str,
    requesting_system: str,
    external_reference: str,
    reasons: list[str],
    request_json: str,
) -> None:
    """Keep a refused request whole, with its reasons and the event that asked for it, for audit."""
    envelope = handling.envelope
    await handling.stores.corrections.keep_refusal(
        RefusedRequest(
            refusal_id=new_id(),
            kind=kind,
            requesting_system=requesting_system,
            external_reference=external_reference,
            reasons=reasons,
            request_json=request_json,
            refused_on=handling.service.clock.today(),
            event_id=envelope.event_id if envelope else None,
        )
    )
