"""A busy queue (balance changes) gives way between its batches to a quiet queue (breathing space holds)."""

from __future__ import annotations

import asyncio

from shared.messaging.quiet_queues_first import QuietQueuesFirst


async def test_a_busy_queue_waits_while_a_hold_is_being_handled() -> None:
    turns = QuietQueuesFirst(longest_wait_seconds=5)
    order: list[str] = []
    hold_in_hand = asyncio.Event()

    async def hold() -> None:
        with turns.quiet_batch():
            hold_in_hand.set()
            await asyncio.sleep(0.05)  # the hold's statements
            order.append("hold handled")

    async def next_balance_batch() -> None:
        await hold_in_hand.wait()
        await turns.busy_turn()
        order.append("balance batch started")

    await asyncio.gather(hold(), next_balance_batch())
    assert order == ["hold handled", "balance batch started"]


async def test_a_busy_queue_with_no_quiet_batch_in_hand_goes_straight_on() -> None:
    turns = QuietQueuesFirst(longest_wait_seconds=5)
    await asyncio.wait_for(turns.busy_turn(), 0.01)


async def test_quiet_batches_never_starve_a_busy_queue_beyond_the_longest_wait() -> None:
    turns = QuietQueuesFirst(longest_wait_seconds=0.05)
    with turns.quiet_batch():  # a quiet batch that does not finish in time
        started = asyncio.get_running_loop().time()
        await turns.busy_turn()
        waited = asyncio.get_running_loop().time() - started
    assert 0.04 <= waited < 1


async def test_the_busy_queue_waits_until_the_last_of_several_quiet_batches_is_done() -> None:
    turns = QuietQueuesFirst(longest_wait_seconds=5)
    first, second = asyncio.Event(), asyncio.Event()
    done: list[str] = []

    async def quiet(name: str, finish: asyncio.Event) -> None:
        with turns.quiet_batch():
            await finish.wait()
            done.append(name)

    tasks = [asyncio.create_task(quiet("hold", first)), asyncio.create_task(quiet("hold ended", second))]
    await asyncio.sleep(0)
    busy = asyncio.create_task(turns.busy_turn())
    first.set()
    await asyncio.sleep(0.01)
    assert not busy.done()  # one quiet batch is still in hand
    second.set()
    await asyncio.wait_for(busy, 1)
    await asyncio.gather(*tasks)
    assert done == ["hold", "hold ended"]


async def test_a_failing_quiet_batch_still_lets_busy_queues_go_on() -> None:
    turns = QuietQueuesFirst(longest_wait_seconds=5)
    try:
        with turns.quiet_batch():
            raise RuntimeError("the handler failed")
    except RuntimeError:
        pass
    await asyncio.wait_for(turns.busy_turn(), 0.01)
