"""The write-off service wired: settings, every council's bands, the approver directory, the session signer,
the runtime with every inbox router, and the HTTP app. Nothing is built at import; each `bootstrap()` call
gives an independent service."""

from __future__ import annotations

import secrets
from typing import Any

import structlog

from services.writeoff import intake, reinstatements, standing
from services.writeoff.approvers import ApproverDirectory
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import load_every_council_policy
from services.writeoff.sessions import SessionSigner
from services.writeoff.settings import WriteOffSettings, refuse_development_defaults
from services.writeoff.stores import WriteOffStores
from services.writeoff.web import build_http_app
from shared.clock import clock
from shared.contracts.writeoff import WriteOffApproved, WriteOffReinstated, WriteOffRejected
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings

log = structlog.get_logger("writeoff")

ROUTERS = (intake.router, standing.router, reinstatements.router)

__all__ = ["WriteOff", "bootstrap"]


def bootstrap(
    settings: WriteOffSettings | None = None,
    *,
    platform: PlatformSettings | None = None,
    **overrides: Any,
) -> WriteOff:
    """Load the settings (`settings`, or the environment with `overrides`), the councils' bands and the approver
    directory, and build the running service: its runtime, every inbox handler and the HTTP app.

    Raises when the bands or the directory are invalid, or WRITEOFF_COUNCIL has no bands file; raises
    UnsafeConfiguration outside development when a development default is in use.
    """
    settings = settings or WriteOffSettings(**overrides)
    refuse_development_defaults(settings)
    policies = load_every_council_policy(settings.bands_directory)
    if settings.council not in policies:
        raise RuntimeError(
            f"WRITEOFF_COUNCIL={settings.council!r} has no bands file in {settings.bands_directory} "
            f"(configured: {', '.join(sorted(policies))})"
        )
    directory = ApproverDirectory.load(settings.approvers_file)
    if settings.session_secret is None:
        # Fine for one process in development (refused elsewhere); replicas must share the secret.
        log.warning("no WRITEOFF_SESSION_SECRET set: sessions are signed with a key of this process only")
    sessions = SessionSigner(
        settings.session_secret.encode() if settings.session_secret else secrets.token_bytes(32),
        settings.session_hours * 3600,
    )
    runtime = ServiceRuntime(
        "writeoff",
        description="Write-off requests, approval bands per council, schedules, signatures, declarations of "
        "interest, reinstatement after payment, and write-off reports.",
        settings=platform,
    )
    runtime.document_publication(WriteOffApproved, WriteOffRejected, WriteOffReinstated)
    service = WriteOff(
        settings=settings,
        runtime=runtime,
        policies=policies,
        directory=directory,
        sessions=sessions,
        clock=clock,
    )
    for router in ROUTERS:
        runtime.include(router, stores=WriteOffStores.on, service=service)
    runtime.http_app = build_http_app(service)
    return service
