"""The recovery policies in force: every policy file is validated at start-up, and the configured council's
book is the one the service follows. An inconsistent file refuses start-up with `file:line: reason`."""

from __future__ import annotations

from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.policy import PolicyBook, RecoveryPolicy
from services.recovery.domain.policy_loader import PolicyFileError, load_policy_directory
from services.recovery.settings import RecoverySettings

# The case record entry of a case opened for a debt type (or group) its council has no route for: the reason
# from the policy file's `no_route`, and the officers' tray counts these cases (bootstrap).
NO_RECOVERY_ROUTE = "no_recovery_route"


def load_council_policies(settings: RecoverySettings) -> PolicyBook:
    """Load and check every policy file, then choose the configured council's; raise PolicyFileError if either
    fails."""
    books = load_policy_directory(settings.policy_directory)
    if settings.council not in books:
        known = ", ".join(sorted(books)) or "none"
        raise PolicyFileError(
            str(settings.policy_directory),
            1,
            f"no policy file for council '{settings.council}' (RECOVERY_COUNCIL); policy files exist for {known}",
        )
    return books[settings.council]


def policy_for_case(book: PolicyBook, debt_type: str, group: str | None) -> RecoveryPolicy | None:
    """The policy for a case's debt type and group, or None when the council has none (no recovery steps)."""
    try:
        return book.policy_for(DebtType(debt_type), group)
    except (KeyError, ValueError):
        return None
