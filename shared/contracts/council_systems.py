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
    postcode: str = Field(description="The UK postcode, e.g. DE1 2FS")


class LiableParty(BaseModel):
    """A person or organisation legally liable for the charge, with the identity used to match them across
    debt types (first names, not initials; full address and postcode; Derby 5, NELC 3)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(description="person | organisation")
    title: str | None = Field(default=None, description="Mr, Ms, Dr ... (people only)")
    first_names: str | None = Field(
        default=None, description="All first names in full, not initials (people)"
    )
    surname: str | None = Field(default=None, description="Surname (people)")
    organisation_name: str | None = Field(default=None, description="Registered name (organisations)")
    date_of_birth: date | None = Field(default=None, description="ISO date; strengthens matching (people)")
    address: PostalAddress = Field(description="Where bills and letters go")
    previous_addresses: list[PostalAddress] = Field(
        default_factory=list, description="Earlier addresses, for matching a debtor who has moved"
    )
    references: dict[str, str] = Field(
        default_factory=dict,
        description="Known references: council_tax_account, nndr_account, hb_claim, tenancy, ni_number, "
        "customer_number, company_number",
    )
    email: str | None = Field(default=None, description="For e-mailed notices where the council sends them")
    phone: str | None = Field(default=None, description="A contact number")


class InstalmentPlanRequest(BaseModel):
    """A statutory instalment plan (council tax / business rates: 10 or 12 monthly instalments)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    instalments: int = Field(description="10 or 12")
    first_due_date: date = Field(description="The first instalment's due date")
    day_of_month: int | None = Field(default=None, description="Later instalments' day of the month")


@contract("council_systems.charge.requested", version=1)
class ChargeRequested(Contract):
    """A council system asks for a debt to be raised. `external_reference` is unique per requesting system;
    a repeat is refused as a duplicate. Amounts are integer pence. Validation failures (negative amount,
    unknown debt type, no liable party, under the minimum, duplicate) are answered with
    `billing.charge.refused`, never half-applied."""

    external_reference: str = Field(
        description="The requesting system's own reference for the charge (unique in it)"
    )
    requesting_system: str = Field(description="Which council system asks, e.g. 'academy-revenues'")
    originating_service: str = Field(description="The council service that owns the debt, e.g. 'Revenues'")
    debt_type: str = Field(
        description="council_tax, business_rates, sundry, housing_benefit_overpayment, ..."
    )
    amount_pence: int = Field(description="The charge in integer pence (positive)")
    liable_parties: list[LiableParty] = Field(description="Everyone liable (joint and several), at least one")
    raised_on: date = Field(description="The day the charge was raised (the bill or invoice date)")
    income_code: str = Field(description="The ledger income code the money is credited to")
    evidence_reference: str = Field(
        description="Where the evidence of the debt is kept (the originating service's record), for proof of debt"
    )
    financial_year: str | None = Field(
        default=None, description="e.g. '2026/27'; derived from dates if absent"
    )
    due_date: date | None = Field(default=None, description="When a single-payment charge falls due")
    settlement_terms_days: int | None = Field(
        default=None, description="Days from raising to due, where no due date is given (an invoice's terms)"
    )
    instalment_plan: InstalmentPlanRequest | None = Field(
        default=None, description="Council tax and business rates: the statutory instalments"
    )
    legally_required: bool = Field(default=False, description="Raise even when under the council's minimum")
    late_payment_under_contract: bool = Field(
        default=False,
        description="The contract behind the charge provides for interest and fees on late payment. Statutory "
        "late payment interest and fixed sums (Late Payment of Commercial Debts (Interest) Act 1998) apply to "
        "business debtors only; an individual is charged them only where this is true.",
    )
    description: str | None = Field(default=None, description="What the charge is for, as the bill says it")


@contract("council_systems.payment.received", version=1)
class PaymentReceived(Contract):
    """Money taken by a council channel (direct debit, card, bank transfer, cash, PayPoint). The same
    `channel` + `channel_reference` posted twice is applied once. `directed_to` is where the customer asked the
    money to go; otherwise billing allocates by instalments and the debt hierarchy."""

    channel: str = Field(description="direct_debit | card | bank_transfer | cash | paypoint")
    channel_reference: str = Field(
        description="The channel's own reference; with `channel`, unique per payment"
    )
    amount_pence: int = Field(description="The money taken, in integer pence (positive)")
    received_on: date = Field(description="The day the money was taken")
    customer_id: UUID | None = Field(
        default=None, description="Billing's customer id, when the channel knows it"
    )
    account_reference: str | None = Field(default=None, description="e.g. a council tax account number")
    directed_to: list[UUID] = Field(default_factory=list, description="debt ids the customer directed")


@contract("council_systems.charge.cancellation_requested", version=1)
class ChargeCancellationRequested(Contract):
    """The originating service asks to cancel a charge it raised. Only the originating service may (Sundry 8.5,
    NELC 5.7); anyone else is refused."""

    requesting_system: str = Field(description="The system that raised the charge")
    external_reference: str = Field(description="The charge's reference in that system")
    requested_by_service: str = Field(
        description="The council service asking; must be the originating service"
    )
    reason: str = Field(description="Why the charge is cancelled, kept with the cancellation")


@contract("council_systems.credit_note.requested", version=1)
class CreditNoteRequested(Contract):
    """The originating service corrects an invoice. Never a substitute for write-off (Derby App.1 §9)."""

    requesting_system: str = Field(description="The system that raised the invoice")
    external_reference: str = Field(description="The invoice's reference in that system")
    credit_note_reference: str = Field(description="The credit note's own reference (unique per system)")
    amount_pence: int = Field(description="The correction in integer pence (positive)")
    reason: str = Field(description="Why the invoice is corrected, kept with the credit note")
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

    requesting_system: str = Field(description="The revenues system that took the taxpayer's request")
    request_reference: str = Field(description="Its reference for the request (unique per system)")
    account_reference: str = Field(
        description="The council tax or business rates account the request is about"
    )
    requested_on: date = Field(description="The day the taxpayer asked")
    amount_pence: int | None = Field(
        default=None, description="Repay at most this much; the whole credit the account holds when absent"
    )
