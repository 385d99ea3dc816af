"""Management information plugged into billing: the arrangement projection's inbox handlers, the HTTP routes
and the council's policy on the app (called once by `services.billing.bootstrap`)."""

from __future__ import annotations

from fastapi import FastAPI

from services.billing.billing import Billing
from services.billing.management_information import arrangements
from services.billing.management_information.http import router_for
from services.billing.management_information.reports import ManagementInformation
from services.billing.management_information.settings import ManagementInformationSettings
from services.billing.stores.management_information import ManagementInformationStores


def include_in(app: FastAPI, billing: Billing, settings: ManagementInformationSettings | None = None) -> None:
    """Consume recovery's arrangement events into billing's projection and serve /management-information."""
    mi = ManagementInformation(billing, (settings or ManagementInformationSettings()).policy())
    billing.runtime.include(arrangements.router, stores=ManagementInformationStores.on, service=billing)
    app.state.management_information = mi
    app.include_router(router_for(mi))
