"""The council's customers as breathing space needs them for matching (built from billing's events)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space.domain.customer_matching import CustomerAddress, CustomerProjection, name_key
from services.breathing_space.domain.debt_search import reference_key
from services.breathing_space.domain.notifications import normalise_postcode
from shared.contracts.council_systems import LiableParty

_SEPARATOR = "\x1f"  # joins a customer's postcodes or references into one array element (never inside either)

_KEEP = text(
    """
    INSERT INTO customer (customer_id, kind, forenames, surname, surname_key, date_of_birth, addresses,
        postcode_keys, reference_keys)
    SELECT id, kind, forenames, surname, surname_key, born, CAST(addresses AS jsonb),
        string_to_array(postcodes, E'\\x1f'), string_to_array(refs, E'\\x1f')
    FROM unnest(CAST(:ids AS uuid[]), CAST(:kinds AS text[]), CAST(:forenames AS text[]),
        CAST(:surnames AS text[]), CAST(:surname_keys AS text[]), CAST(:borns AS date[]),
        CAST(:addresses AS text[]), CAST(:postcodes AS text[]), CAST(:refs AS text[]))
        AS t(id, kind, forenames, surname, surname_key, born, addresses, postcodes, refs)
    ON CONFLICT (customer_id) DO UPDATE SET kind = EXCLUDED.kind, forenames = EXCLUDED.forenames,
        surname = EXCLUDED.surname, surname_key = EXCLUDED.surname_key, date_of_birth = EXCLUDED.date_of_birth,
        addresses = EXCLUDED.addresses, postcode_keys = EXCLUDED.postcode_keys,
        reference_keys = EXCLUDED.reference_keys, updated_at = now()
    """
)
WORTH_SCORING = """c.kind = 'person' AND (
          c.surname_key = ANY(CAST(:surnames AS text[]))
       OR c.date_of_birth = :date_of_birth
       OR c.postcode_keys && CAST(:postcodes AS text[])
       OR c.reference_keys && CAST(:references AS text[])
       OR c.customer_id IN (SELECT unnest(d.customer_ids) FROM debt d
                            WHERE d.reference_key = ANY(CAST(:references AS text[]))))"""
"""The rule `domain.finding_keys.worth_scoring` as a predicate on `customer c`, column by column so that each
part uses its index; `test_rules_agree_in_sql_and_python` checks the two agree."""
_CANDIDATES = text(
    f"""
    SELECT c.customer_id, c.forenames, c.surname, c.date_of_birth, c.addresses, c.reference_keys,
           coalesce((SELECT array_agg(d.reference_key) FROM debt d
                     WHERE d.customer_ids @> ARRAY[c.customer_id] AND d.reference_key IS NOT NULL),
                    '{{}}') AS debt_references
    FROM customer c
    WHERE {WORTH_SCORING}
    """
)


class CustomerStore:
    """Customers' identities, for matching a notified debtor."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, identities: dict[UUID, LiableParty]) -> None:
        """Insert or restate these customers' identities (one statement for them all)."""
        people = list(identities.values())
        await self.session.execute(
            _KEEP,
            {
                "ids": [str(c) for c in identities],
                "kinds": [i.kind for i in people],
                "forenames": [i.first_names for i in people],
                "surnames": [i.surname for i in people],
                "surname_keys": [name_key(i.surname) if i.surname else None for i in people],
                "borns": [i.date_of_birth for i in people],
                "addresses": [
                    json.dumps(
                        [
                            {"lines": a.lines, "postcode": a.postcode}
                            for a in [i.address, *i.previous_addresses]
                        ]
                    )
                    for i in people
                ],
                "postcodes": [
                    _SEPARATOR.join(
                        sorted({normalise_postcode(a.postcode) for a in [i.address, *i.previous_addresses]})
                    )
                    for i in people
                ],
                "refs": [
                    _SEPARATOR.join(sorted({reference_key(r) for r in i.references.values() if r.strip()}))
                    for i in people
                ],
            },
        )

    async def candidates(
        self,
        *,
        surname_keys: Sequence[str],
        date_of_birth: date,
        postcodes: Sequence[str],
        reference_keys: Sequence[str],
    ) -> list[CustomerProjection]:
        """People worth scoring: sharing a surname, date of birth, postcode or reference with the debtor (their
        own references, or those of a debt they are liable for)."""
        rows = await self.session.execute(
            _CANDIDATES,
            {
                "surnames": list(surname_keys),
                "date_of_birth": date_of_birth,
                "postcodes": list(postcodes),
                "references": list(reference_keys),
            },
        )
        customers = []
        for customer_id, forenames, surname, born, addresses, refs, debt_refs in rows:
            address_list = [
                CustomerAddress(lines=tuple(a["lines"]), postcode=a["postcode"]) for a in addresses
            ]
            customers.append(
                CustomerProjection(
                    customer_id=str(customer_id),
                    forenames=forenames or "",
                    surname=surname or "",
                    date_of_birth=born,
                    current_address=address_list[0] if address_list else None,
                    previous_addresses=tuple(address_list[1:]),
                    references=frozenset([*refs, *debt_refs]),
                )
            )
        return customers
