"""The billing service: debts raised by council systems, and what happens to their money."""

from shared.contracts.billing import DebtRaised
from shared.runtime import ServiceRuntime

runtime = ServiceRuntime(
    "billing",
    description="Debts raised by council systems, instalments, payments, allocation, balances, credit notes.",
)
runtime.document_publication(DebtRaised)

from services.billing import charges  # noqa: E402,F401  (registers the handlers on the runtime)
