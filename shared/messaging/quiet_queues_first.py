"""Quiet queues first: a busy queue's next batch waits while a quiet queue's batch is being handled.

Why: a service's queues share one event loop and one database. On a saturated service a breathing space hold (a
quiet queue: a message now and then) is handled beside batches of hundreds of balance changes; every time the
hold's handler awaits the database, the balance batch runs on for milliseconds of CPU before the hold's next
statement can go. A moratorium must stop enforcement at once, and a balance change can wait a few milliseconds.

A busy queue gives way only between its batches (a batch in hand is never paused) and never for longer than
`longest_wait_seconds`, so a steady trickle of quiet messages cannot starve it. Quiet queues never wait for each
other.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator


class QuietQueuesFirst:
    """The turn-taking between one consumer's quiet and busy queues (see the module docstring)."""

    def __init__(self, longest_wait_seconds: float = 0.25) -> None:
        self.longest_wait_seconds = longest_wait_seconds
        self._quiet_batches_in_hand = 0
        self._no_quiet_batch = asyncio.Event()
        self._no_quiet_batch.set()

    @contextlib.contextmanager
    def quiet_batch(self) -> Iterator[None]:
        """Hold busy queues back while this quiet queue's batch is handled."""
        self._quiet_batches_in_hand += 1
        self._no_quiet_batch.clear()
        try:
            yield
        finally:
            self._quiet_batches_in_hand -= 1
            if not self._quiet_batches_in_hand:
                self._no_quiet_batch.set()

    async def busy_turn(self) -> None:
        """Wait (at most `longest_wait_seconds`) until no quiet queue's batch is in hand."""
        if self._quiet_batches_in_hand:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._no_quiet_batch.wait(), self.longest_wait_seconds)
