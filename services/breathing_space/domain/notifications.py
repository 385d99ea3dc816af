"""The Insolvency Service breathing space notification format, version 1, as pydantic models.

Every document, inbound or outbound, shares one envelope: the format version, the kind, a
notification reference and its revision (``version``), the moratorium reference, when it was issued,
the debtor as notified and the debts notified. Kind-specific fields sit beside them.
``NOTIFICATIONS.md`` documents the format with one example per kind.

``parse_notification`` is the boundary: it never raises, it returns either the notification or a
refusal reason that names the fields at fault (never their values, which may be personal data).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from services.breathing_space.domain.creditor_rights import ReviewGround

SUPPORTED_SCHEMA_VERSIONS: frozenset[str] = frozenset({"1"})
CURRENT_SCHEMA_VERSION: Literal["1"] = "1"

# The Royal Mail shape (outward code, space optional, inward code); GIR 0AA is the one historic exception.
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")


def normalise_postcode(postcode: str) -> str:
    """Upper-case a postcode and put exactly one space before the inward code ('de12ab' -> 'DE1 2AB')."""
    compact = re.sub(r"\s+", "", postcode).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class NotificationKind(StrEnum):
    """What a notification tells; ``DEBTS_REPORTED_BACK`` and ``CREDITOR_REVIEW_REQUESTED`` are the council's
    own (outbound)."""

    NEW_STANDARD_BREATHING_SPACE = "new_standard_breathing_space"
    NEW_MENTAL_HEALTH_CRISIS_BREATHING_SPACE = "new_mental_health_crisis_breathing_space"
    DEBTS_ADDED = "debts_added"
    DETAILS_AMENDED = "details_amended"
    CANCELLED = "cancelled"
    ENDED_EARLY = "ended_early"
    MENTAL_HEALTH_CRISIS_TREATMENT_ENDED = "mental_health_crisis_treatment_ended"
    EXPIRED = "expired"
    DEBTS_REPORTED_BACK = "debts_reported_back"
    CREDITOR_REVIEW_REQUESTED = "creditor_review_requested"


class _Strict(BaseModel):
    # Unknown fields are refused: a new field means a new schema_version, not a silent guess.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


NonEmpty = Annotated[str, Field(min_length=1, max_length=200)]


class Address(_Strict):
    """A postal address as notified: free lines, town and a UK postcode."""

    lines: list[NonEmpty] = Field(min_length=1, max_length=6)
    town: NonEmpty | None = None
    postcode: str

    @field_validator("postcode")
    @classmethod
    def _postcode_is_a_uk_postcode(cls, value: str) -> str:
        normalised = normalise_postcode(value)
        if not _POSTCODE.match(normalised):
            raise ValueError("not a UK postcode")
        return normalised


class PersonName(_Strict):
    """A name the debtor is or was known by."""

    forenames: NonEmpty
    surname: NonEmpty


class Debtor(_Strict):
    """The person in breathing space, as the Insolvency Service holds them."""

    forenames: NonEmpty
    surname: NonEmpty
    previous_names: list[PersonName] = Field(default_factory=list)
    date_of_birth: date
    current_address: Address
    previous_addresses: list[Address] = Field(default_factory=list)


class NotifiedDebt(_Strict):
    """One debt in the moratorium: the council's own reference for it, its type and, if known, the amount."""

    creditor_reference: NonEmpty
    debt_type: NonEmpty
    # Integer pence, strictly: a float amount is refused rather than rounded.
    amount_pence: Annotated[int, Field(ge=0, strict=True)] | None = None


class _Notification(_Strict):
    schema_version: Literal["1"] = CURRENT_SCHEMA_VERSION
    notification_reference: NonEmpty
    version: Annotated[int, Field(ge=1, strict=True)]
    moratorium_reference: NonEmpty
    issued_at: datetime
    debtor: Debtor
    debts: list[NotifiedDebt] = Field(default_factory=list)

    @field_validator("issued_at")
    @classmethod
    def _issued_at_carries_a_time_zone(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("issued_at needs a time zone (UTC, e.g. 2025-03-03T09:15:00Z)")
        return value


class _Start(_Notification):
    start_date: date
    # The day the debtor applied to the debt adviser: the moratorium debts are those owed then (reg 6). Optional
    # so that a sender which does not carry it stays valid; the start date stands in for it.
    application_date: date | None = None

    @model_validator(mode="after")
    def _applied_before_it_started(self) -> _Start:
        if self.application_date is not None and self.application_date > self.start_date:
            raise ValueError("application_date is after start_date")
        return self


class NewStandardBreathingSpace(_Start):
    """A standard breathing space has started (it may have started before this arrives)."""

    kind: Literal[NotificationKind.NEW_STANDARD_BREATHING_SPACE]
    debts: list[NotifiedDebt] = Field(min_length=1)


class NominatedPointOfContact(_Strict):
    """The mental health professional who confirms the debtor is still receiving crisis treatment."""

    name: NonEmpty
    organisation: NonEmpty | None = None


class NewMentalHealthCrisisBreathingSpace(_Start):
    """A mental health crisis breathing space has started; it has no end date until treatment ends."""

    kind: Literal[NotificationKind.NEW_MENTAL_HEALTH_CRISIS_BREATHING_SPACE]
    nominated_point_of_contact: NominatedPointOfContact | None = None
    debts: list[NotifiedDebt] = Field(min_length=1)


class DebtsAdded(_Notification):
    """Further debts owed to the council have been added to the moratorium on ``added_on``."""

    kind: Literal[NotificationKind.DEBTS_ADDED]
    added_on: date
    debts: list[NotifiedDebt] = Field(min_length=1)


class AmendedDetail(StrEnum):
    """Which of the debtor's details an amendment changes."""

    NAME = "name"
    ADDRESS = "address"
    DATE_OF_BIRTH = "date_of_birth"


class DetailsAmended(_Notification):
    """The debtor's name, address or date of birth was corrected; ``debtor`` holds the new details."""

    kind: Literal[NotificationKind.DETAILS_AMENDED]
    amended_on: date
    amended: list[AmendedDetail] = Field(min_length=1)


class CancelledBy(StrEnum):
    """Who cancelled the moratorium."""

    COURT = "court"
    DEBT_ADVISER = "debt_adviser"


class Cancelled(_Notification):
    """The moratorium was cancelled; ``cancelled_on`` is the last day the debtor was protected."""

    kind: Literal[NotificationKind.CANCELLED]
    cancelled_on: date
    cancelled_by: CancelledBy
    reason: NonEmpty


class EndedEarly(_Notification):
    """The moratorium ended before its period ran out; ``ended_on`` is the last day protected."""

    kind: Literal[NotificationKind.ENDED_EARLY]
    ended_on: date
    reason: NonEmpty | None = None


class MentalHealthCrisisTreatmentEnded(_Notification):
    """The debtor's crisis treatment ended on ``treatment_ended_on``; the space then ends 30 days later."""

    kind: Literal[NotificationKind.MENTAL_HEALTH_CRISIS_TREATMENT_ENDED]
    treatment_ended_on: date


class Expired(_Notification):
    """The moratorium came to its natural end; ``expired_on`` is the last day protected."""

    kind: Literal[NotificationKind.EXPIRED]
    expired_on: date


class DebtsReportedBack(_Notification):
    """Outbound: debts the council's search found beyond those notified, reported to the Service."""

    kind: Literal[NotificationKind.DEBTS_REPORTED_BACK]
    reported_on: date
    creditor_name: NonEmpty
    debts: list[NotifiedDebt] = Field(min_length=1)


class CreditorReviewRequested(_Notification):
    """Outbound: the council asks the debt adviser to review the moratorium for these debts (reg 17), giving its
    grounds (`domain/creditor_rights.ReviewGround` values) and the references of its evidence."""

    kind: Literal[NotificationKind.CREDITOR_REVIEW_REQUESTED]
    requested_on: date
    review_deadline: date
    creditor_name: NonEmpty
    grounds: list[ReviewGround] = Field(min_length=1)
    evidence_references: list[NonEmpty] = Field(min_length=1)
    explanation: Annotated[str, Field(max_length=4000)] | None = None
    debts: list[NotifiedDebt] = Field(min_length=1)


BreathingSpaceNotification = Annotated[
    NewStandardBreathingSpace
    | NewMentalHealthCrisisBreathingSpace
    | DebtsAdded
    | DetailsAmended
    | Cancelled
    | EndedEarly
    | MentalHealthCrisisTreatmentEnded
    | Expired
    | DebtsReportedBack
    | CreditorReviewRequested,
    Field(discriminator="kind"),
]

_ADAPTER: TypeAdapter[BreathingSpaceNotification] = TypeAdapter(BreathingSpaceNotification)
_MAX_DOCUMENT_BYTES = 1_000_000
_MAX_REASONS = 5


@dataclass(frozen=True)
class ParsedNotification:
    """The outcome of reading a document: exactly one of ``notification`` and ``refusal`` is set."""

    notification: BreathingSpaceNotification | None
    refusal: str | None

    @property
    def accepted(self) -> bool:
        """True when the document is a well-formed notification."""
        return self.notification is not None


def _refuse(reason: str) -> ParsedNotification:
    return ParsedNotification(notification=None, refusal=reason)


def _describe(error: ValidationError) -> str:
    # Locations and messages only: pydantic's ``input`` would echo personal data into the audit log.
    parts = []
    for item in error.errors(include_input=False, include_url=False)[:_MAX_REASONS]:
        where = ".".join(str(step) for step in item["loc"]) or "document"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(parts)
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def parse_notification(document: bytes | str) -> ParsedNotification:
    """Read one notification document (JSON). Never raises: a malformed document gives a refusal reason."""
    if len(document) > _MAX_DOCUMENT_BYTES:
        return _refuse(f"document larger than {_MAX_DOCUMENT_BYTES} bytes")
    try:
        raw = json.loads(document)
    except (ValueError, RecursionError) as error:
        # UnicodeDecodeError and JSONDecodeError are both ValueErrors.
        return _refuse(f"not JSON: {type(error).__name__}")
    if not isinstance(raw, dict):
        return _refuse("a notification is a JSON object")
    schema_version = raw.get("schema_version")
    if schema_version not in SUPPORTED_SCHEMA_VERSIONS:
        return _refuse(
            f"unsupported schema_version {schema_version!r}; "
            f"this service reads {sorted(SUPPORTED_SCHEMA_VERSIONS)}"
        )
    kind = raw.get("kind")
    if kind not in {member.value for member in NotificationKind}:
        return _refuse(f"unknown kind {kind!r}")
    try:
        return ParsedNotification(notification=_ADAPTER.validate_python(raw), refusal=None)
    except ValidationError as error:
        return _refuse(f"{kind}: {_describe(error)}")
    except (ValueError, TypeError, RecursionError) as error:
        return _refuse(f"{kind}: {type(error).__name__}")


def render_notification(notification: BreathingSpaceNotification) -> str:
    """Write a notification as the JSON document the format documents (used for the outbound report)."""
    return notification.model_dump_json(exclude_none=True)
