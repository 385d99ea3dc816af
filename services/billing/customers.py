"""Who owes a debt: every liable party is matched against the customers billing already knows.

A single exact match is linked (and the record amended if the party brings a new address or reference);
nobody like them is a new customer; anything uncertain becomes a new, provisional customer and a review for an
officer, who confirms or rejects the match. Never merged silently (DESIGN.md, Money and identity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from services.billing.domain.customer_identity import (
    CandidateMatch,
    CustomerAction,
    decide_customer,
    identity_adds_to,
)
from services.billing.parties import amended_party, customer_identity
from services.billing.stores import BillingStores
from shared.contracts.billing import (
    CustomerAmended,
    CustomerMatchFlagged,
    CustomerMatchResolved,
    CustomerRegistered,
)
from shared.contracts.council_systems import LiableParty
from shared.contracts.envelope import Contract
from shared.ids import new_id


@dataclass
class CustomerResolution:
    """The customers a charge's parties resolved to, and the events that announce new or changed records."""

    customer_ids: list[UUID] = field(default_factory=list)
    events: list[Contract] = field(default_factory=list)


async def resolve_parties(stores: BillingStores, parties: list[LiableParty]) -> CustomerResolution:
    """Find or register the customer for each liable party (joint liability: several)."""
    resolution = CustomerResolution()
    for party in parties:
        identity = customer_identity(party)
        known = {str(c.customer_id): c.identity for c in await stores.customers.candidates(party)}
        decision = decide_customer(identity, [(cid, customer_identity(p)) for cid, p in known.items()])
        if decision.action is CustomerAction.LINK and decision.customer_id is not None:
            customer_id = UUID(decision.customer_id)
            existing = known[decision.customer_id]
            if identity_adds_to(identity, customer_identity(existing)):
                amended = amended_party(existing, party)
                await stores.customers.amend(customer_id, amended)
                resolution.events.append(CustomerAmended(customer_id=customer_id, identity=amended))
        else:
            customer_id = new_id()
            await stores.customers.register(customer_id, party)
            resolution.events.append(CustomerRegistered(customer_id=customer_id, identity=party))
            if decision.action is CustomerAction.REVIEW:
                resolution.events.append(await _flag_for_review(stores, customer_id, decision.matches))
        if customer_id not in resolution.customer_ids:
            resolution.customer_ids.append(customer_id)
    return resolution


async def _flag_for_review(
    stores: BillingStores, customer_id: UUID, matches: tuple[CandidateMatch, ...]
) -> CustomerMatchFlagged:
    review_id = new_id()
    possible = [UUID(m.customer_id) for m in matches]
    reasons = [f"{m.customer_id}: {m.match.outcome.value}: {', '.join(m.match.reasons)}" for m in matches]
    await stores.customers.flag_for_review(review_id, customer_id, possible, reasons)
    return CustomerMatchFlagged(
        customer_id=customer_id, possible_matches=possible, reasons=reasons, review_id=review_id
    )


class ReviewNotOpen(Exception):
    """The review does not exist, was already decided, or the chosen customer was not one of its matches."""


async def decide_match_review(
    stores: BillingStores, review_id: UUID, *, confirmed_customer_id: UUID | None, officer: str
) -> list[Contract]:
    """An officer's decision on a flagged match.

    Confirmed: the provisional customer's debts move to the confirmed customer, whose record gains the
    provisional one's addresses and references; the provisional record is kept, marked as merged. Rejected
    (`confirmed_customer_id` None): they stay separate customers.
    """
    customers = stores.customers
    review = await customers.review_for_decision(review_id)
    if review is None or review.status != "open":
        raise ReviewNotOpen("no open review with that id")
    if confirmed_customer_id is None:
        await customers.reject_review(review_id, officer)
        return [
            CustomerMatchResolved(
                review_id=review_id, customer_id=review.customer_id, outcome="rejected", decided_by=officer
            )
        ]
    if confirmed_customer_id not in review.possible_matches:
        raise ReviewNotOpen("the confirmed customer was not one of the review's possible matches")
    identities = await customers.identities([review.customer_id, confirmed_customer_id])
    merged = amended_party(identities[confirmed_customer_id], identities[review.customer_id])
    merged = merged.model_copy(update={"address": identities[confirmed_customer_id].address})
    await customers.amend(confirmed_customer_id, merged)
    moved = await customers.move_debts(review.customer_id, confirmed_customer_id)
    await customers.mark_merged(review.customer_id, confirmed_customer_id)
    await customers.confirm_review(review_id, confirmed_customer_id, officer)
    return [
        CustomerAmended(customer_id=confirmed_customer_id, identity=merged),
        CustomerMatchResolved(
            review_id=review_id,
            customer_id=review.customer_id,
            outcome="confirmed",
            confirmed_customer_id=confirmed_customer_id,
            moved_debt_ids=moved,
            decided_by=officer,
        ),
    ]
