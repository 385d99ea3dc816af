"""The billing service: debts raised by council systems, and what happens to their money.

Reading order: `charges` (raising a debt or refusing the request), `customers` (who owes it), `payments`
(allocation, overpayments), `credit_notes` and `cancellations`, `write_offs`, `recovery_costs`,
`breathing_space_holds`, `daily_run`, `annual_billing_run`, and the HTTP `enquiries`.
"""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from services.billing.domain.billing_rules import DEFAULT_RULES_PATH, BillingRules, billing_rules_from_yaml
from shared.contracts.billing import (
    BalanceChanged,
    BillingConfirmedHold,
    CancellationRefused,
    ChargeRefused,
    CostsAdded,
    CreditNoteIssued,
    CreditNoteRefused,
    CustomerAmended,
    CustomerMatchFlagged,
    CustomerMatchResolved,
    CustomerRegistered,
    DebtCancelled,
    DebtRaised,
    DebtReinstated,
    DebtSettled,
    DebtWrittenOff,
    InstalmentFellDue,
    PaymentAllocated,
    PaymentReceivedOnWrittenOffDebt,
    RefundDue,
)
from shared.runtime import ServiceRuntime


class BillingSettings(BaseSettings):
    """Billing's own settings: the council's billing rules file (YAML, see domain/default_billing_rules.yaml)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    billing_rules_file: Path = DEFAULT_RULES_PATH


def council_billing_rules() -> BillingRules:
    """The council's billing rules, read once at start-up from BILLING_RULES_FILE."""
    return billing_rules_from_yaml(BillingSettings().billing_rules_file.read_text())


rules = council_billing_rules()

runtime = ServiceRuntime(
    "billing",
    description="Debts raised by council systems, instalments, payments, allocation, balances, credit notes.",
)
runtime.document_publication(
    CustomerRegistered,
    CustomerAmended,
    CustomerMatchFlagged,
    CustomerMatchResolved,
    DebtRaised,
    ChargeRefused,
    InstalmentFellDue,
    PaymentAllocated,
    BalanceChanged,
    DebtSettled,
    RefundDue,
    PaymentReceivedOnWrittenOffDebt,
    CreditNoteIssued,
    CreditNoteRefused,
    DebtCancelled,
    CancellationRefused,
    DebtWrittenOff,
    DebtReinstated,
    CostsAdded,
    BillingConfirmedHold,
)

# Registering the handlers and the HTTP app on the runtime.
from services.billing import (  # noqa: E402,F401
    breathing_space_holds,
    cancellations,
    charges,
    credit_notes,
    daily_run,
    enquiries,
    payments,
    recovery_costs,
    write_offs,
)
