"""Messages about the platform itself rather than the council's business."""

from __future__ import annotations

from datetime import date

from shared.contracts.envelope import Contract, contract


@contract("platform.clock.set", version=1)
class BusinessDateSet(Contract):
    """Tests and the demo move the business date of every running service instance (None: follow the wall
    clock). Production never publishes this."""

    business_date: date | None
