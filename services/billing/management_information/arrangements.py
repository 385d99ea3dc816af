"""Recovery's arrangements as billing's own projection (billing reads no other service's tables): an
arrangement made covers its debts until it defaults. Made and defaulted arrive on separate queues, so either may
come first; both are kept per arrangement and the KPI asks whether one covered the debt on a given day."""

from __future__ import annotations

from services.billing.billing import Billing
from services.billing.stores.management_information import ManagementInformationStores
from shared.contracts.recovery import ArrangementDefaulted, ArrangementMade
from shared.messaging.inbox_router import Handling, InboxRouter

router: InboxRouter[ManagementInformationStores, Billing] = InboxRouter()


@router.handles(ArrangementMade, routing_key="recovery.arrangement.made")
async def keep_arrangement_made(
    message: ArrangementMade, handling: Handling[ManagementInformationStores, Billing]
) -> None:
    """Keep the arrangement and the debts it covers from the day it was made."""
    await handling.stores.management_information.arrangement_made(
        message.arrangement_id, message.customer_id, message.debt_ids, message.made_on, message.total_pence
    )


@router.handles(ArrangementDefaulted, routing_key="recovery.arrangement.defaulted")
async def keep_arrangement_defaulted(
    message: ArrangementDefaulted, handling: Handling[ManagementInformationStores, Billing]
) -> None:
    """Keep the default: from that day the debts are no longer under the arrangement."""
    await handling.stores.management_information.arrangement_defaulted(
        message.arrangement_id, message.debt_ids, message.defaulted_on
    )
