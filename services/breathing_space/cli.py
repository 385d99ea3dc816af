"""`council-debt breathing-space ...`: the status page from the command line, taking in a notification file by
hand, and signing a document as the Insolvency Service would (for testing a council's endpoint)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import typer

from shared import event_loop

if TYPE_CHECKING:
    from services.breathing_space.breathing_space_service import BreathingSpace

commands = typer.Typer(
    help="Breathing space: moratoria, holds, matches and reports back", no_args_is_help=True
)


def _load_service() -> BreathingSpace:
    """Logs to stderr (stdout carries the JSON answer), then the service, put together by its bootstrap."""
    from services.breathing_space.bootstrap import bootstrap
    from shared.logs import configure_logging
    from shared.settings import platform_settings

    platform = platform_settings()
    configure_logging("breathing_space", platform.log_level, platform.log_format)
    return bootstrap(platform=platform)


@commands.command()
def status(
    alerts_only: bool = typer.Option(False, help="Only unconfirmed holds and overdue matches"),
) -> None:
    """Print the status page (open moratoria, pending matches, unconfirmed holds, reports back) as JSON."""
    service = _load_service()
    from services.breathing_space import status as status_page
    from services.breathing_space.stores import BreathingSpaceStores

    async def read() -> dict[str, Any]:
        try:
            async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
                return await status_page.status_view(handling, service.clock.today(), datetime.now(UTC))
        finally:
            await service.runtime.database.dispose()

    view = event_loop.run(read())
    if alerts_only:
        view = {
            "unconfirmed_holds": view["unconfirmed_holds"],
            "overdue_matches": [m for m in view["pending_matches"] if m["alert"]],
        }
    typer.echo(json.dumps(view, indent=2, default=str))
    if alerts_only and (view["unconfirmed_holds"] or view["overdue_matches"]):
        raise typer.Exit(1)


@commands.command()
def take_in(file: Path) -> None:
    """Take in one notification document from a file, as the watched folder would: verified by its
    `<file>.signature` (unsigned or wrongly signed: refused, nothing changes), stored verbatim first."""
    service = _load_service()
    from services.breathing_space.domain.request_authentication import read_signature_file
    from services.breathing_space.intake import receive_forwarded_notification
    from services.breathing_space.watched_folder import signature_file_of

    body = file.read_bytes()
    sidecar = signature_file_of(file)
    signature = read_signature_file(sidecar.read_text(errors="replace")) if sidecar.exists() else {}

    async def run() -> dict[str, object]:
        try:
            receipt = await receive_forwarded_notification(
                service, body, signature, route="cli", source=file.name
            )
            return receipt.as_dict()
        finally:
            await service.runtime.database.dispose()

    receipt = event_loop.run(run())
    typer.echo(json.dumps(receipt, indent=2))
    if receipt["outcome"] == "refused":
        raise typer.Exit(1)


@commands.command()
def sign(file: Path) -> None:
    """Print the three headers signing `file` under BREATHING_SPACE_SIGNING_SECRET: for the HTTPS endpoint, as
    AMQP headers on the queue, or (redirected to `<file>.signature`) beside a file for the folder."""
    from services.breathing_space.domain.request_authentication import (
        NONCE_HEADER,
        SIGNATURE_HEADER,
        TIMESTAMP_HEADER,
        sign_request,
    )
    from services.breathing_space.settings import BreathingSpaceSettings

    secret = BreathingSpaceSettings().signing_secret.get_secret_value().encode()
    stamp, nonce = str(int(time.time())), uuid4().hex
    typer.echo(f"{TIMESTAMP_HEADER}: {stamp}")
    typer.echo(f"{NONCE_HEADER}: {nonce}")
    typer.echo(f"{SIGNATURE_HEADER}: {sign_request(secret, stamp, nonce, file.read_bytes())}")
