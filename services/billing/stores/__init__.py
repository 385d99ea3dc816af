"""Billing's SQL, one store per table group, each built on the transaction's session. `BillingStores` gathers
them for one transaction; every statement is built once, at import, and every row comes back typed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.stores.billing_run import BillingRunStore
from services.billing.stores.corrections import CorrectionStore
from services.billing.stores.customers import CustomerStore
from services.billing.stores.debts import DebtStore
from services.billing.stores.holds import HoldStore
from services.billing.stores.late_payment import LatePaymentStore
from services.billing.stores.payments import PaymentStore
from services.billing.stores.reports import ReportStore
from services.billing.stores.write_offs import WriteOffStore


@dataclass(frozen=True)
class BillingStores:
    """Every billing store, bound to one transaction."""

    debts: DebtStore
    customers: CustomerStore
    payments: PaymentStore
    late_payment: LatePaymentStore
    holds: HoldStore
    write_offs: WriteOffStore
    corrections: CorrectionStore
    reports: ReportStore
    billing_run: BillingRunStore

    @classmethod
    def on(cls, session: AsyncSession) -> BillingStores:
        """The stores of one transaction."""
        return cls(
            debts=DebtStore(session),
            customers=CustomerStore(session),
            payments=PaymentStore(session),
            late_payment=LatePaymentStore(session),
            holds=HoldStore(session),
            write_offs=WriteOffStore(session),
            corrections=CorrectionStore(session),
            reports=ReportStore(session),
            billing_run=BillingRunStore(session),
        )
