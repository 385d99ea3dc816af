"""Refused requests (charges, credit notes, cancellations), kept whole with their reasons for audit."""

from __future__ import annotations

from typing import Protocol

from services.billing.billing import BillingHandling
from services.billing.stores.corrections import RefusedRequest
from shared.contracts.billing import CancellationRefused, ChargeRefused, CreditNoteRefused
from shared.ids import new_id


class CouncilRequest(Protocol):
    """A request from a council system, named by the system and its own reference."""

    @property
    def requesting_system(self) -> str:
        """The council system that sent it."""
        ...

    @property
    def external_reference(self) -> str:
        """The system's own reference for the debt."""
        ...

    def model_dump_json(self) -> str:
        """The request whole, as JSON."""
        ...


async def refuse(
    handling: BillingHandling,
    kind: str,
    request: CouncilRequest,
    answer: ChargeRefused | CreditNoteRefused | CancellationRefused,
) -> None:
    """Keep the refused request whole with its reasons (those of `answer`) for audit, and answer it."""
    await keep_refusal(
        handling,
        kind,
        request.requesting_system,
        request.external_reference,
        answer.reasons,
        request.model_dump_json(),
    )
    await handling.outbox.add(answer)


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
