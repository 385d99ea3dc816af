"""The write-off service: requests with reason and evidence, approval bands per council, schedules, signed
decisions with declarations of interest, reinstatement after payment, and reports."""

from __future__ import annotations

import secrets

import structlog

from services.writeoff.approvers import ApproverDirectory
from services.writeoff.domain import load_every_council_policy
from services.writeoff.sessions import SessionSigner
from services.writeoff.settings import writeoff_settings
from shared.contracts.writeoff import WriteOffApproved, WriteOffReinstated, WriteOffRejected
from shared.runtime import ServiceRuntime

log = structlog.get_logger("writeoff")

runtime = ServiceRuntime(
    "writeoff",
    description="Write-off requests, approval bands per council, schedules, signatures, declarations of "
    "interest, reinstatement after payment, and write-off reports.",
)
runtime.document_publication(WriteOffApproved, WriteOffRejected, WriteOffReinstated)

settings = writeoff_settings()
policies = load_every_council_policy(settings.bands_directory)
if settings.council not in policies:
    raise RuntimeError(
        f"WRITEOFF_COUNCIL={settings.council!r} has no bands file in {settings.bands_directory} "
        f"(configured: {', '.join(sorted(policies))})"
    )
directory = ApproverDirectory.load(settings.approvers_file)
if settings.session_secret is None:
    # Fine for one process; replicas behind one address must share WRITEOFF_SESSION_SECRET.
    log.warning("no WRITEOFF_SESSION_SECRET set: sessions are signed with a key of this process only")
sessions = SessionSigner(
    settings.session_secret.encode() if settings.session_secret else secrets.token_bytes(32),
    settings.session_hours * 3600,
)

# Registering the handlers and the HTTP app (they import `runtime` from here).
from services.writeoff import intake, reinstatements, standing  # noqa: E402,F401
from services.writeoff.web import build_http_app  # noqa: E402

runtime.http_app = build_http_app()
