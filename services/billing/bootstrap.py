"""The billing service put together: settings, the council's billing rules, the runtime with every inbox router,
and the HTTP app. Nothing is built at import: two `bootstrap()` calls with different settings are two services.

Reading order of the handlers: `charges` (raising a debt or refusing the request), `customers` (who owes it),
`payments` (allocation, overpayments), `credit_notes` and `cancellations`, `write_offs`, `recovery_costs`,
`breathing_space_holds`, `daily_run`, `annual_billing_run`, and the HTTP `enquiries`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.billing import (
    breathing_space_holds,
    cancellations,
    charges,
    considered_payments,
    counter_payments,
    credit_notes,
    customer_enquiries,
    daily_run,
    debt_transfers,
    enquiries,
    payments,
    placements,
    quarantined_files,
    recovery_costs,
    refund_requests,
    refunds,
    write_offs,
)
from services.billing.billing import Billing
from services.billing.domain.billing_rules import BillingRules, billing_rules_from_yaml
from services.billing.management_information import wiring as management_information
from services.billing.settings import BillingSettings
from services.billing.stores import BillingStores
from services.billing.stores.payment_files import TRAY_SQL as PAYMENT_FILES_TRAY_SQL
from shared.clock import clock
from shared.contracts.billing import (
    BalanceChanged,
    BalancesChanged,
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
    DebtTransferred,
    DebtWrittenOff,
    InstalmentFellDue,
    PaymentAllocated,
    PaymentForConsiderationApplied,
    PaymentReceivedOnPlacedDebt,
    PaymentReceivedOnWrittenOffDebt,
    RefundAuthorised,
    RefundDue,
    RefundRequestAnswered,
)
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings

INBOX_ROUTERS = (
    charges.router,
    payments.router,
    credit_notes.router,
    cancellations.router,
    write_offs.router,
    considered_payments.router,
    recovery_costs.router,
    breathing_space_holds.router,
    daily_run.router,
    refund_requests.router,
    placements.router,
)


def load_billing_rules(settings: BillingSettings) -> BillingRules:
    """The council's billing rules, read from the settings' rules file."""
    return billing_rules_from_yaml(settings.billing_rules_file.read_text())


def bootstrap(
    settings: BillingSettings | None = None,
    *,
    platform: PlatformSettings | None = None,
    **overrides: Any,
) -> Billing:
    """Build one billing service. `overrides` are BillingSettings fields (e.g. `billing_rules_file=...`);
    `platform` the broker, database and HTTP settings (default: from the environment)."""
    settings = settings or BillingSettings(**overrides)
    rules = load_billing_rules(settings)
    runtime = ServiceRuntime(
        "billing",
        description="Debts raised by council systems, instalments, payments, allocation, balances, credit notes.",
        settings=platform,
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
        BalancesChanged,
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
        RefundRequestAnswered,
        RefundAuthorised,
        DebtTransferred,
        PaymentReceivedOnPlacedDebt,
        PaymentForConsiderationApplied,
    )
    # The balance changes of each transaction are also stated in one message, for the four services that must
    # hear every one (issue 21; `BalancesChanged`).
    runtime.outbox.state_together(BalanceChanged, BalancesChanged.stating)
    service = Billing(settings=settings, rules=rules, runtime=runtime, clock=clock)
    # Work waiting for officers, on /metrics: possible matches to decide and refunds to authorise and pay.
    runtime.watch_tray(
        "match_reviews_open",
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) "
        "FROM billing.customer_match_review WHERE status = 'open'",
    )
    runtime.watch_tray(
        "refunds_due",
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_on)::timestamptz), 0) "
        "FROM billing.refund WHERE status = 'due'",
    )
    runtime.watch_tray("payment_files_quarantined", PAYMENT_FILES_TRAY_SQL)
    for router in INBOX_ROUTERS:
        runtime.include(router, stores=BillingStores.on, service=service)
    app = FastAPI(
        title="Billing", description="Balances, the single view of debt, aged debt and match reviews."
    )
    app.state.service = service
    app.include_router(enquiries.router)
    management_information.include_in(app, service)
    app.include_router(customer_enquiries.router)
    app.include_router(refunds.router)
    app.include_router(debt_transfers.router)
    app.include_router(quarantined_files.router)
    app.include_router(counter_payments.router)
    runtime.http_app = app
    return service
