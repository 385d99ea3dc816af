"""The council's list of reasons for writing off a debt.

DOMAIN.md 9; Derby App.1 §7-8, Sundry 9.3, NELC 11.2, 5.10.

Each council configures its own list in its bands file; the defaults below are the union from DOMAIN.md 9.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# Any other reason needs a full written report (Derby App.1 §8) and goes to the top band (DOMAIN.md 9), unless
# the council names its final approvers: Derby's panel submits it "for final approval to either the Head of
# Business Support and Debt Management or the Director of Finance" (a band table's ``other_reason_bands``).
OTHER_REASON_CODE = "other"

# Other names the same reasons go by on the bus (recovery's vocabulary), and the catalogue's code for each.
REASON_ALIASES: dict[str, str] = {
    "insolvency": "formal_insolvency",
    "uneconomic_to_pursue": "uneconomic_cost_of_proceedings",
    "legal_advice_not_recoverable": "not_legally_recoverable",
}


def canonical_reason_code(code: str) -> str:
    """The catalogue's code for a reason, whichever of its names was given."""
    cleaned = code.strip()
    return REASON_ALIASES.get(cleaned, cleaned)


@dataclass(frozen=True, slots=True)
class WriteOffReason:
    """A reason a council accepts for writing off a debt.

    ``debt_types`` empty means the reason applies to every debt type; otherwise only to those listed
    (e.g. an unrecoverable benefit overpayment). ``requires_written_report`` and ``goes_to_top_band``
    are set for the council's "other" reason; ``requires_panel`` where the council's policy puts the reason to
    an independent panel before approval (Derby App.1 §8).
    """

    code: str
    description: str
    requires_written_report: bool = False
    goes_to_top_band: bool = False
    debt_types: frozenset[str] = field(default_factory=frozenset)
    requires_panel: bool = False

    def applies_to(self, debt_type: str) -> bool:
        """True when this reason may be given for a debt of ``debt_type``."""
        return not self.debt_types or debt_type in self.debt_types


@dataclass(frozen=True, slots=True)
class ReasonCatalogue:
    """A council's accepted write-off reasons, looked up by code."""

    reasons: tuple[WriteOffReason, ...]

    def get(self, code: str) -> WriteOffReason | None:
        """The reason with this code, or None when the council does not accept it."""
        for reason in self.reasons:
            if reason.code == code:
                return reason
        return None

    @property
    def codes(self) -> tuple[str, ...]:
        """Every accepted reason code, in the council's order."""
        return tuple(reason.code for reason in self.reasons)

    def goes_to_top_band(self, codes: Iterable[str]) -> bool:
        """True when any of these reason codes sends a schedule to the top approval band."""
        for code in codes:
            reason = self.get(code)
            if reason is not None and reason.goes_to_top_band:
                return True
        return False


def default_reason_catalogue() -> ReasonCatalogue:
    """The reasons listed in DOMAIN.md 9, for a council that has not configured its own."""
    return ReasonCatalogue(
        (
            WriteOffReason("deceased_no_estate", "The customer is deceased and has left no estate"),
            WriteOffReason(
                "formal_insolvency",
                "Formal insolvency order (only up to the date of the order); little prospect of a dividend",
            ),
            WriteOffReason("remitted_by_court", "The debt has been remitted by the court"),
            WriteOffReason(
                "serious_hardship", "Enforcing payment would cause serious hardship (incl. s.49 LGFA 1988)"
            ),
            WriteOffReason("absconded_untraceable", "The customer has absconded and cannot be traced"),
            WriteOffReason("outside_jurisdiction", "The customer lives outside the jurisdiction"),
            WriteOffReason("court_refused_order", "The court refused to make an order"),
            WriteOffReason("prison_served_in_lieu", "The customer served a prison sentence in lieu"),
            WriteOffReason(
                "unrecoverable_hb_overpayment",
                "Housing benefit overpayment deemed unrecoverable",
                debt_types=frozenset({"housing_benefit_overpayment"}),
            ),
            WriteOffReason("statute_barred", "The debt is statute barred"),
            WriteOffReason("uneconomic_small_balance", "Uneconomic to pursue: small balance"),
            WriteOffReason(
                "uneconomic_cost_of_proceedings",
                "Uneconomic given the likelihood of payment against the cost of proceedings",
            ),
            WriteOffReason("severe_illness", "Severe illness makes enforcement inappropriate"),
            WriteOffReason("not_legally_recoverable", "Legal advice that the debt is not recoverable"),
            WriteOffReason("no_proof_of_debt", "The originating service cannot provide proof of the debt"),
            WriteOffReason(
                OTHER_REASON_CODE,
                "Any other reason: a full written report is required",
                requires_written_report=True,
                goes_to_top_band=True,
            ),
        )
    )
