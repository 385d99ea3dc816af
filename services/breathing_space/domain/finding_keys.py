"""What a person could be found by, as keys shared by a notified debtor and a customer: `s:` surname,
`d:` date of birth, `p:` postcode, `r:` reference. A moratorium that matched nobody is tried again when a
customer sharing one of its keys arrives or changes (`stores.moratoria.UNMATCHED_SHARING_KEYS`)."""

from __future__ import annotations

from services.breathing_space.domain.customer_matching import name_key
from services.breathing_space.domain.debt_search import reference_key
from services.breathing_space.domain.notifications import Debtor, normalise_postcode
from shared.contracts.council_systems import LiableParty


def debtor_keys(debtor: Debtor | None, notified_reference_keys: list[str]) -> list[str]:
    """The notified debtor's keys (current and previous names and addresses, notified references)."""
    if debtor is None:
        return []
    keys = {f"s:{name_key(debtor.surname)}", f"d:{debtor.date_of_birth.isoformat()}"}
    keys |= {f"s:{name_key(n.surname)}" for n in debtor.previous_names}
    keys |= {f"p:{a.postcode}" for a in (debtor.current_address, *debtor.previous_addresses)}
    keys |= {f"r:{k}" for k in notified_reference_keys}
    return sorted(keys)


def customer_keys(identity: LiableParty) -> set[str]:
    """A customer's keys, in the form `debtor_keys` gives a notified debtor."""
    keys = {f"p:{normalise_postcode(a.postcode)}" for a in [identity.address, *identity.previous_addresses]}
    keys |= {f"r:{reference_key(r)}" for r in identity.references.values() if r.strip()}
    if identity.surname:
        keys.add(f"s:{name_key(identity.surname)}")
    if identity.date_of_birth:
        keys.add(f"d:{identity.date_of_birth.isoformat()}")
    return keys


def worth_scoring(debtor: list[str], customer: set[str], *, is_a_person: bool) -> bool:
    """A customer is worth scoring against a notified debtor (and a moratorium that matched nobody is tried
    again for them) when they are a person sharing at least one key: a surname, the date of birth, a postcode
    or a reference (the customer's own, or a debt's they are liable for). Scoring (`match_debtor`) decides.
    SQL twins: `stores.customers.WORTH_SCORING` and `stores.moratoria.UNMATCHED_SHARING_KEYS`."""
    return is_a_person and bool(set(debtor) & customer)
