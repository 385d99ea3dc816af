"""How each council's letters tell the debtor to pay and get in touch (printed on every notice), from the council's
letterhead file in `letters/councils/` (see `letterheads.py`)."""

from __future__ import annotations

from services.recovery.domain.notices import CouncilContact
from services.recovery.letterheads import letterhead_for


def contact_for(council: str) -> CouncilContact:
    """The council's contact block; a council without a letterhead file uses a neutral one naming it."""
    head = letterhead_for(council)
    return CouncilContact(
        council_name=head.council_name,
        phone=head.phone,
        email=head.email,
        website=head.website,
        payment_methods=head.payment_methods,
    )
