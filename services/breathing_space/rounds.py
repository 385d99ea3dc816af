"""Background work done in rounds: the expiry check, the watch for unconfirmed work, the watched folder and the
outbound folder each repeat one round at their own interval."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any


async def in_rounds(
    one_round: Callable[[], Awaitable[Any]], every: timedelta, log: Any, failure: str
) -> None:
    """Run `one_round` every `every`, for as long as the service runs. A round that fails is logged as `failure`
    and the next round tries again: the database or the file system may be briefly away, and nothing a round
    works on is lost by waiting (documents stay stored, files stay in their folder, reports stay unwritten)."""
    while True:
        try:
            await one_round()
        except Exception as error:  # cancellation (a BaseException) still stops the task
            log.warning(failure, reason=str(error))
        await asyncio.sleep(every.total_seconds())
