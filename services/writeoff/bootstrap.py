"""The write-off service wired: settings, every council's bands, the identity provider's settings, the runtime
with every inbox router, and the HTTP app (the JSON API and the approvals pages). Nothing is built at import; each `bootstrap()` call
gives an independent service."""

from __future__ import annotations

from typing import Any

from services.writeoff import debtors, intake, reinstatements, standing
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import load_every_council_policy
from services.writeoff.settings import APPROVALS_CLIENT, WriteOffSettings, refuse_development_defaults
from services.writeoff.stores import WriteOffStores
from services.writeoff.web import build_http_app
from shared.auth import AuthSettings
from shared.clock import clock
from shared.contracts.writeoff import (
    PaymentForConsiderationDecided,
    WriteOffApproved,
    WriteOffReinstated,
    WriteOffRejected,
)
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings

ROUTERS = (intake.router, standing.router, debtors.router, reinstatements.router)

__all__ = ["WriteOff", "bootstrap"]


def bootstrap(
    settings: WriteOffSettings | None = None,
    *,
    platform: PlatformSettings | None = None,
    auth: AuthSettings | None = None,
    **overrides: Any,
) -> WriteOff:
    """Load the settings (`settings`, or the environment with `overrides`), the councils' bands and the
    identity provider's settings (`auth`, or AUTH_* from the environment; the approvals pages sign in as the
    `writeoff-approvals` client unless AUTH_CLIENT_ID says otherwise), and build the running service: its
    runtime, every inbox handler and the HTTP app.

    Raises when the bands are invalid, or WRITEOFF_COUNCIL has no bands file; raises UnsafeConfiguration
    outside development when a development default is in use.
    """
    settings = settings or WriteOffSettings(**overrides)
    auth = auth or AuthSettings()
    if not auth.auth_client_id:
        auth = auth.model_copy(update={"auth_client_id": APPROVALS_CLIENT})
    refuse_development_defaults(settings, auth)
    policies = load_every_council_policy(settings.bands_directory)
    if settings.council not in policies:
        raise RuntimeError(
            f"WRITEOFF_COUNCIL={settings.council!r} has no bands file in {settings.bands_directory} "
            f"(configured: {', '.join(sorted(policies))})"
        )
    runtime = ServiceRuntime(
        "writeoff",
        description="Write-off requests, approval bands per council, schedules, signatures, declarations of "
        "interest, reinstatement after payment, and write-off reports.",
        settings=platform,
    )
    runtime.document_publication(
        WriteOffApproved, WriteOffRejected, WriteOffReinstated, PaymentForConsiderationDecided
    )
    service = WriteOff(
        settings=settings,
        runtime=runtime,
        policies=policies,
        clock=clock,
    )
    for router in ROUTERS:
        runtime.include(router, stores=WriteOffStores.on, service=service)
    runtime.http_app = build_http_app(service, auth)
    return service
