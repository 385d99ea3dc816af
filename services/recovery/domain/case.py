"""The state of one recovery case, as the step engine sees it (no I/O: the wiring builds it from its tables)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.hb_order_of_recovery import BenefitRequestMade
from services.recovery.domain.holds import Hold
from services.recovery.domain.policy import REFERRAL_KINDS, StepKind
from services.recovery.domain.proof_of_debt import ProofOfDebtRequest
from shared.money import Pence


@dataclass(frozen=True)
class StepTaken:
    """A step recorded on the case. Void steps (e.g. inside a breathing space) stay on record but count for nothing."""

    name: str
    kind: StepKind
    taken_on: date
    costs: Pence = 0
    void: bool = False
    recalled_on: date | None = None

    @property
    def is_open_referral(self) -> bool:
        """True for a referral still with an agent, agency or legal services."""
        return self.kind in REFERRAL_KINDS and not self.void and self.recalled_on is None

    def voided(self) -> StepTaken:
        """The same step, recorded as void."""
        return replace(self, void=True)

    def recalled(self, on: date) -> StepTaken:
        """The same referral, recalled on `on`."""
        return replace(self, recalled_on=on)


class ArrangementStatus(StrEnum):
    """Where the case's instalment arrangement stands."""

    LIVE = "live"
    DEFAULTED = "defaulted"
    COMPLETED = "completed"


@dataclass(frozen=True)
class RecoveryCaseState:
    """Everything the step engine needs to know about a case.

    `due_date` is the due date of the unpaid sum the case pursues (for council tax, the instalment in default);
    `defaults_count` counts the defaults in the financial year (the first default is 1). `vulnerable` and
    `cant_pay` select the policy's gentler route until `circumstances_reviewed_on`.
    """

    case_id: str
    debt_type: DebtType
    due_date: date
    balance: Pence
    steps_taken: tuple[StepTaken, ...] = ()
    defaults_count: int = 1
    holds: tuple[Hold, ...] = ()
    arrangement: ArrangementStatus | None = None
    vulnerable: bool = False
    cant_pay: bool = False
    circumstances_reviewed_on: date | None = None
    debtor_is_individual: bool = True
    group: str | None = None
    customer_id: str = ""
    # The latest proof of debt asked of the originating service at a step that still counts (NELC 5.10).
    proof_of_debt: ProofOfDebtRequest | None = None
    # Housing benefit overpayments: what was asked of the benefits system, in order, with its answers (NELC 7.2).
    benefit_requests: tuple[BenefitRequestMade, ...] = ()

    @property
    def effective_steps(self) -> tuple[StepTaken, ...]:
        """Steps taken that still count (not void), in the order taken."""
        return tuple(sorted((s for s in self.steps_taken if not s.void), key=lambda s: s.taken_on))

    @property
    def last_step(self) -> StepTaken | None:
        """The latest step that still counts."""
        effective = self.effective_steps
        return effective[-1] if effective else None

    @property
    def needs_gentler_route(self) -> bool:
        """True for a vulnerable or can't-pay debtor (DOMAIN.md 6)."""
        return self.vulnerable or self.cant_pay

    def has_taken(self, name: str) -> bool:
        """True when the named step was taken and still counts."""
        return any(step.name == name for step in self.effective_steps)
