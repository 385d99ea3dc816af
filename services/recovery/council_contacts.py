"""How each council's letters tell the debtor to pay and get in touch (printed on every notice)."""

from __future__ import annotations

from services.recovery.domain.notices import CouncilContact

APPEAL_RIGHTS = (
    "If you think this bill is wrong, contact the service that sent it within 28 days; recovery of the amount "
    "you dispute will pause while we look at it. You may also complain to the Local Government and Social Care "
    "Ombudsman if you are unhappy with how we have dealt with you."
)

COUNCIL_CONTACTS: dict[str, CouncilContact] = {
    "derby": CouncilContact(
        council_name="Derby City Council",
        phone="01332 293111",
        email="income.team@derby.gov.uk",
        website="www.derby.gov.uk/pay",
        payment_methods=("Online at www.derby.gov.uk/pay", "By phone on 01332 293111, 24 hours a day"),
    ),
    "nelc": CouncilContact(
        council_name="North East Lincolnshire Council",
        phone="01472 313131",
        email="income@nelincs.gov.uk",
        website="www.nelincs.gov.uk/pay",
        payment_methods=("Online at www.nelincs.gov.uk/pay", "By phone on 01472 313131"),
    ),
    "rbwm": CouncilContact(
        council_name="Royal Borough of Windsor and Maidenhead",
        phone="01628 683800",
        email="income@rbwm.gov.uk",
        website="www.rbwm.gov.uk/pay",
        payment_methods=("Online at www.rbwm.gov.uk/pay", "By phone on 01628 683800"),
    ),
}


def contact_for(council: str) -> CouncilContact:
    """The council's contact block; a council without its own uses a neutral one naming it."""
    return COUNCIL_CONTACTS.get(
        council,
        CouncilContact(
            council_name=council.replace("_", " ").title(),
            phone="the number on your bill",
            email="the address on your bill",
            website="the council's website",
            payment_methods=("Online at the council's website", "By phone on the number on your bill"),
        ),
    )
