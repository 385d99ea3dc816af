"""The event loop every process of the platform runs on.

uvloop (libuv) in place of asyncio's pure-Python loop: the relays, inboxes and bulk commands spend much of their
CPU in socket and callback machinery (aiormq frames, asyncpg round trips), which uvloop does in C.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, TypeVar

import uvloop

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` to completion on a new uvloop event loop (as `asyncio.run` would)."""
    return uvloop.run(main)
