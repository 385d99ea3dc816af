"""`council-debt <service> dead-letters ...`: the operator's dead-letter tray from the command line.

Who acted is the operating-system account running the command (an operator signs in to the host as themselves),
recorded with the reason they give; the tray itself lives in `shared/messaging/dead_letter_tray.py`.
"""

from __future__ import annotations

import asyncio
import getpass
import json

import typer

from shared.messaging.dead_letter_tray import DeadLetterError, DeadLetterTray
from shared.settings import platform_settings


def dead_letter_commands(service: str) -> typer.Typer:
    """The `dead-letters` commands of one service."""
    commands = typer.Typer(
        help=f"The {service} dead-letter tray: list, show, replay, discard", no_args_is_help=True
    )

    def tray() -> DeadLetterTray:
        settings = platform_settings()
        return DeadLetterTray(
            service,
            database_url=settings.database_url,
            amqp_url=settings.amqp_url,
            broker_passwords_file=settings.broker_passwords_file,
        )

    @commands.command("list")
    def list_dead_letters(
        all_: bool = typer.Option(False, "--all", help="Include those already replayed or discarded"),
        queue: str | None = typer.Option(None, help="Only this inbox queue"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Dead letters waiting (oldest first): reason, attempts, first and last seen. No message bodies."""
        letters = asyncio.run(tray().dead_letters(include_settled=all_, queue=queue))
        if as_json:
            typer.echo(json.dumps([letter.__dict__ for letter in letters], default=str, indent=2))
            return
        for letter in letters:
            settled = f"  [{letter.settlement} by {letter.settled_by}]" if letter.settlement else ""
            typer.echo(
                f"{letter.id}\t{letter.queue}\tevent {letter.event_id}\tattempts {letter.attempts}\t"
                f"first {letter.first_seen_at:%Y-%m-%d %H:%M:%S}\tlast {letter.dead_lettered_at:%Y-%m-%d %H:%M:%S}"
                f"\t({letter.times_dead_lettered}x)\t{letter.reason}{settled}"
            )
        typer.echo(f"{len(letters)} dead letters")

    @commands.command("show")
    def show(dead_letter_id: int) -> None:
        """The message as it arrived. It holds personal data: only for people entitled to read it."""
        typer.echo(asyncio.run(tray().body_of(dead_letter_id)).decode(errors="replace"))

    @commands.command("replay")
    def replay(
        ids: list[int] = typer.Argument(None, help="Dead letter ids (or --all-waiting)"),
        all_waiting: bool = typer.Option(False, "--all-waiting", help="Every dead letter still waiting"),
        queue: str | None = typer.Option(None, help="With --all-waiting: only this queue"),
        reason: str = typer.Option(..., help="Why it can be replayed now (the fix made)"),
    ) -> None:
        """Publish dead letters again to the queue they came from, after a fix. Safe to repeat: the inbox
        applies each event once."""
        the_tray = tray()
        chosen = asyncio.run(the_tray.unsettled_ids(queue)) if all_waiting else list(ids or [])
        if not chosen:
            raise typer.BadParameter("name dead letter ids or use --all-waiting")
        try:
            done = asyncio.run(the_tray.replay(chosen, by=getpass.getuser(), reason=reason))
        except DeadLetterError as refusal:
            raise typer.BadParameter(str(refusal)) from None
        typer.echo(f"replayed {done}")

    @commands.command("discard")
    def discard(
        ids: list[int] = typer.Argument(..., help="Dead letter ids"),
        reason: str = typer.Option(..., help="Why no action is needed"),
    ) -> None:
        """Settle dead letters without replaying them, with the reason recorded."""
        try:
            done = asyncio.run(tray().discard(ids, by=getpass.getuser(), reason=reason))
        except DeadLetterError as refusal:
            raise typer.BadParameter(str(refusal)) from None
        typer.echo(f"discarded {done}")

    return commands
