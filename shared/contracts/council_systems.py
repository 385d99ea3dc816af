"""The public contract for other council systems: how a council tax, housing, parking or finance system asks the
platform to raise a debt, and how it is told the outcome.

Published by council systems to the `council.events` topic exchange with routing key
`council_systems.charge.requested`. Billing answers with `billing.debt.raised` or `billing.charge.refused`.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import Contract, contract


class PostalAddress(BaseModel):
    """A postal address as printed on a bill; the postcode is what matching leans on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lines: list[str] = Field(min_length=1, description="Address lines, house/flat first")
    postcode: str


class LiableParty(BaseModel):
    """A person or organisation legally liable for the charge, with the identity used to match them across
    debt types (first names, not initials; full address and postcode; Derby 5, NELC 3)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(description="person | organisation")
    title: str | None = None
    first_names: str | None = None
    surname: str | None = None
    organisation_name: str | None = None
    date_of_birth: date | None = None
    address: PostalAddress
    previous_addresses: list[PostalAddress] = Field(default_factory=list)
    references: dict[str, str] = Field(
        default_factory=dict,
        description="Known references: council_tax_account, nndr_account, hb_claim, tenancy, ni_number, "
        "customer_number, company_number",
    )
    email: str | None = None
    phone: str | None = None


class InstalmentPlanRequest(BaseModel):
    """A statutory instalment plan (council tax / business rates: 10 or 12 monthly instalments)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    instalments: int = Field(description="10 or 12")
    first_due_date: date
    day_of_month: int | None = None


@contract("council_systems.charge.requested", version=1)
class ChargeRequested(Contract):
    """A council system asks for a debt to be raised. `external_reference` is unique per requesting system;
    a repeat is refused as a duplicate. Amounts are integer pence. Validation failures (negative amount,
    unknown debt type, no liable party, under the minimum, duplicate) are answered with
    `billing.charge.refused`, never half-applied."""

    external_reference: str
    requesting_system: str
    originating_service: str = Field(description="The council service that owns the debt, e.g. 'Revenues'")
    debt_type: str = Field(
        description="council_tax, business_rates, sundry, housing_benefit_overpayment, ..."
    )
    amount_pence: int
    liable_parties: list[LiableParty]
    raised_on: date
    income_code: str
    evidence_reference: str
    financial_year: str | None = Field(
        default=None, description="e.g. '2026/27'; derived from dates if absent"
    )
    due_date: date | None = None
    settlement_terms_days: int | None = None
    instalment_plan: InstalmentPlanRequest | None = None
    legally_required: bool = Field(default=False, description="Raise even when under the council's minimum")
    late_payment_under_contract: bool = Field(
        default=False,
        description="The contract behind the charge provides for interest and fees on late payment. Statutory "
        "late payment interest and fixed sums (Late Payment of Commercial Debts (Interest) Act 1998) apply to "
        "business debtors only; an individual is charged them only where this is true.",
    )
    description: str | None = None


@contract("council_systems.payment.received", version=1)
class PaymentReceived(Contract):
    """Money taken by a council channel (direct debit, card, bank transfer, cash, PayPoint). The same
    `channel` + `channel_reference` posted twice is applied once. `directed_to` is where the customer asked the
    money to go; otherwise billing allocates by instalments and the debt hierarchy."""

    channel: str = Field(description="direct_debit | card | bank_transfer | cash | paypoint")
    channel_reference: str
    amount_pence: int
    received_on: date
    customer_id: UUID | None = None
    account_reference: str | None = Field(default=None, description="e.g. a council tax account number")
    directed_to: list[UUID] = Field(default_factory=list, description="debt ids the customer directed")


@contract("council_systems.charge.cancellation_requested", version=1)
class ChargeCancellationRequested(Contract):
    """The originating service asks to cancel a charge it raised. Only the originating service may (Sundry 8.5,
    NELC 5.7); anyone else is refused."""

    requesting_system: str
    external_reference: str
    requested_by_service: str
    reason: str


@contract("council_systems.credit_note.requested", version=1)
class CreditNoteRequested(Contract):
    """The originating service corrects an invoice. Never a substitute for write-off (Derby App.1 §9)."""

    requesting_system: str
    external_reference: str
    credit_note_reference: str
    amount_pence: int
    reason: str
    correction: str = Field(
        default="billing_error",
        description="billing_error | wrong_customer | duplicate_invoice | price_correction | "
        "service_not_provided | liability_changed (irrecoverability is not a correction: request a write-off)",
    )


@contract("council_systems.refund.requested", version=1)
class RefundRequested(Contract):
    """The taxpayer asked the council (through the revenues system that took the request) to repay an
    overpayment of council tax or business rates instead of crediting it against their later liability, as the
    Council Tax (Administration and Enforcement) Regulations 1992 reg 31 and the Non-Domestic Rating (Collection
    and Enforcement) (Local Lists) Regulations 1989 reg 9 allow. `request_reference` is unique per requesting
    system. Billing answers with `billing.refund_request.answered`; any refund due is paid only once a senior
    officer authorises it (`billing.refund.authorised`)."""

    requesting_system: str
    request_reference: str
    account_reference: str = Field(
        description="The council tax or business rates account the request is about"
    )
    requested_on: date
    amount_pence: int | None = Field(
        default=None, description="Repay at most this much; the whole credit the account holds when absent"
    )
