"""Events published by the breathing space service: holds for moratoria under the Debt Respite Scheme
(Breathing Space Moratorium and Mental Health Crisis Moratorium) (England and Wales) Regulations 2020."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from shared.contracts.envelope import Contract, contract


@contract("breathing_space.hold.started", version=1)
class BreathingSpaceHoldStarted(Contract):
    """A moratorium covers these debts from `starts_on` (which may be in the past: the hold takes effect from
    then). Every service confirms receipt with its `<service>.breathing_space_hold.confirmed`."""

    moratorium_reference: str
    hold_version: int = Field(description="Increases with every change to the hold; confirmations quote it")
    kind: str = Field(description="standard | mental_health_crisis")
    starts_on: date
    expected_end_on: date | None = Field(
        description="None for a mental health crisis space until treatment ends"
    )
    customer_ids: list[UUID]
    debt_ids: list[UUID]


@contract("breathing_space.hold.debts_added", version=1)
class BreathingSpaceDebtsAdded(Contract):
    """More debts are covered by an existing moratorium (notified later, or found by the council's search)."""

    moratorium_reference: str
    hold_version: int
    starts_on: date
    debt_ids: list[UUID]


@contract("breathing_space.hold.ended", version=1)
class BreathingSpaceHoldEnded(Contract):
    """The moratorium ended (expired, ended early, cancelled, or 30 days after crisis treatment ended).
    Protection covers up to and including `last_protected_day`; recovery resumes after it."""

    moratorium_reference: str
    hold_version: int
    how: str = Field(description="expired | ended_early | cancelled | crisis_treatment_ended")
    last_protected_day: date
    debt_ids: list[UUID]
    reason: str | None = None


@contract("breathing_space.debts.reported_back", version=1)
class DebtsReportedBack(Contract):
    """The council's search found debts beyond those notified; they were reported to the Insolvency Service."""

    moratorium_reference: str
    debt_ids: list[UUID]
    reported_on: date
    report_reference: str | None = Field(
        default=None, description="The council's notification_reference of the outbound document"
    )
    document: str | None = Field(
        default=None,
        description="The outbound `debts_reported_back` document (services/breathing_space/NOTIFICATIONS.md), "
        "verbatim, for an integration that forwards it to the Insolvency Service. Personal data.",
    )
