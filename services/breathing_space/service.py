"""The breathing space service: takes in Insolvency Service notifications (HTTPS, watched folder, queue), finds
every debt the person owes the council, holds them across recovery, billing and the agents gateway, reports the
debts found beyond those notified, and ends the hold when the moratorium ends."""

from services.breathing_space.configuration import breathing_space_configuration
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
    DebtsReportedBack,
)
from shared.runtime import ServiceRuntime

runtime = ServiceRuntime(
    "breathing_space",
    description=(
        "Debt Respite Scheme moratoria: Insolvency Service notifications in (HTTPS, folder, queue), the search "
        "for every debt owed, holds broadcast to recovery, billing and the agents gateway, debts reported back."
    ),
)
configuration = breathing_space_configuration()
rules = configuration.rules
runtime.document_publication(
    BreathingSpaceHoldStarted, BreathingSpaceDebtsAdded, BreathingSpaceHoldEnded, DebtsReportedBack
)

# Each module registers its handlers, subscribers, background tasks or routes on the runtime.
from services.breathing_space import (  # noqa: E402,F401
    confirmations,
    customers_and_debts,
    expiry,
    https_endpoint,
    notification_queue,
    outbound_reports,
    watched_folder,
)
