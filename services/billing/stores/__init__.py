"""Billing's SQL, one store per table group, each built on the transaction's session. `BillingStores` gathers
them for one transaction; every statement is built once, at import, and every row comes back typed."""

from __future__ import annotations

from dataclasses import dataclass

from services.billing.stores.billing_run import BillingRunStore
from services.billing.stores.considered_payments import ConsideredPaymentStore
from services.billing.stores.corrections import CorrectionStore
from services.billing.stores.customer_view import CustomerViewStore
from services.billing.stores.customers import CustomerStore
from services.billing.stores.debts import DebtStore
from services.billing.stores.holds import HoldStore
from services.billing.stores.late_payment import LatePaymentStore
from services.billing.stores.payment_files import PaymentFileStore
from services.billing.stores.payments import PaymentStore
from services.billing.stores.placements import PlacementStore
from services.billing.stores.refunds import RefundStore
from services.billing.stores.reports import ReportStore
from services.billing.stores.transfers import TransferStore
from services.billing.stores.write_offs import WriteOffStore
from shared.persistence.stores import StoresOfOneTransaction


@dataclass(frozen=True)
class BillingStores(StoresOfOneTransaction):
    """Every billing store, bound to one transaction (`BillingStores.on(session)` makes each on the session)."""

    debts: DebtStore
    customers: CustomerStore
    payments: PaymentStore
    late_payment: LatePaymentStore
    holds: HoldStore
    write_offs: WriteOffStore
    corrections: CorrectionStore
    reports: ReportStore
    billing_run: BillingRunStore
    customer_view: CustomerViewStore
    refunds: RefundStore
    placements: PlacementStore
    transfers: TransferStore
    considered_payments: ConsideredPaymentStore
    payment_files: PaymentFileStore
