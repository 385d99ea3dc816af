"""Who owes the debts, as billing describes its customers (`billing.customer.registered` / `.amended`): the names,
postcodes and references a schedule shows and a declaration of interest is found by (issue 15). Personal data:
kept in this service's own projection, never logged."""

from __future__ import annotations

from uuid import UUID

from services.writeoff.dependencies import WriteOff
from services.writeoff.domain.debtors import debtor_name, search_text
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.debtors import Debtor, DebtorRecord
from shared.contracts.billing import CustomerAmended, CustomerRegistered
from shared.contracts.council_systems import LiableParty
from shared.contracts.envelope import Envelope
from shared.messaging.inbox_router import Handling, InboxRouter

router = InboxRouter[WriteOffStores, WriteOff]()


def debtor_record(customer_id: UUID, identity: LiableParty) -> DebtorRecord:
    """The projection's row for a customer as billing described them."""
    name = debtor_name(
        identity.kind, identity.title, identity.first_names, identity.surname, identity.organisation_name
    )
    address = ", ".join(identity.address.lines)
    debtor = Debtor(
        customer_id=customer_id,
        kind=identity.kind,
        name=name,
        postcode=identity.address.postcode,
        address=address,
        account_references=dict(identity.references),
    )
    return DebtorRecord(debtor, search_text(name, identity.address.postcode, address, identity.references))


@router.handles_batch(CustomerRegistered)
async def customers_registered(
    messages: list[tuple[CustomerRegistered, Envelope]], handling: Handling[WriteOffStores, WriteOff]
) -> None:
    """Keep each new customer's name, address and references (set-based: an annual billing run registers
    thousands at once)."""
    await handling.stores.debtors.record([debtor_record(m.customer_id, m.identity) for m, _ in messages])


@router.handles_batch(CustomerAmended)
async def customers_amended(
    messages: list[tuple[CustomerAmended, Envelope]], handling: Handling[WriteOffStores, WriteOff]
) -> None:
    """A customer's name, address or references changed: the schedules and searches show the new ones."""
    await handling.stores.debtors.record([debtor_record(m.customer_id, m.identity) for m, _ in messages])
