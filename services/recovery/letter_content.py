"""What a letter says that depends on the debt type and on who it goes to, from the translation sets in
`letters/content/<language>.yaml`: the appeal and challenge rights of each debt type, advice for a person or for a
business, the complaint route, and where to pay once an agent holds the debt.

Council tax: liability appeals and the valuation tribunal (of the council's nation); business rates: the
Valuation Office Agency's check, challenge, appeal; penalty charge notices: representations and the adjudicator;
housing benefit overpayments: reconsideration and appeal; every other type: the service that sent the bill.
A person gets free debt advice, breathing space and what we do if they are ill, disabled or struggling; a
business gets Business Debtline and none of the consumer-only wording.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from services.recovery.domain.policy import StepKind
from services.recovery.letterheads import Letterhead

CONTENT_DIR = Path(__file__).resolve().parent / "letters" / "content"
INDIVIDUAL = "individual"
BUSINESS = "business"

# After these steps the debt is the agent's to collect: the letter sends payment to them and nowhere else.
PAY_TO_BY_KIND = {
    StepKind.ENFORCEMENT_AGENT_REFERRAL: "enforcement_agents",
    StepKind.COLLECTION_AGENCY_REFERRAL: "collection_agency",
}
_RIGHTS_KEYS = ("council_tax", "business_rates", "penalty_charge_notice", "housing_benefit_overpayment")


@lru_cache(maxsize=4)
def translation_set(language: str) -> dict[str, Any]:
    """The letters' wording in one language (en, cy)."""
    loaded: dict[str, Any] = yaml.safe_load((CONTENT_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    return loaded


def rights_for(
    debt_type: str, head: Letterhead, recipient_kind: str, originating_service: str, language: str = "en"
) -> list[str]:
    """The appeal and challenge rights for this debt type, then the complaint route that fits the recipient."""
    content = translation_set(language)
    by_nation = content["rights"][debt_type if debt_type in _RIGHTS_KEYS else "other"]
    paragraphs = by_nation.get(head.nation) or by_nation.get("any") or []
    service = originating_service.strip() or content["originating_service_unnamed"]
    complaint = content["complaint"][recipient_kind]
    if isinstance(complaint, dict):  # a person's ombudsman is the council's nation's
        complaint = complaint.get(head.nation) or complaint["england"]
    values = {
        "originating_service": service,
        "phone": head.phone,
        "website": head.website,
        "email": head.email,
    }
    return [p.format(**values) for p in [*paragraphs, complaint]]


def advice_for(recipient_kind: str, head: Letterhead, language: str = "en") -> dict[str, Any]:
    """Where the recipient gets free advice, and what we say to a person who is struggling (not to a business)."""
    advice = dict(translation_set(language)["advice"][recipient_kind])
    advice["cannot_pay"] = advice["cannot_pay"].format(phone=head.phone, email=head.email)
    return advice


def pay_to_for(kind: StepKind, language: str = "en") -> dict[str, str] | None:
    """For a letter telling the debtor an agent now holds the debt: how to pay them (and only them)."""
    who = PAY_TO_BY_KIND.get(kind)
    return dict(translation_set(language)["pay_to"][who]) if who else None
