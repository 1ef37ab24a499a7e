"""The workbench's events: a page that falls far behind (a long build's progress while its
tab sleeps) is told to fetch everything again, never silently left without updates."""

from __future__ import annotations

import asyncio
import json

from publisher.workbench.live import Broadcaster


def test_a_page_far_behind_is_told_to_fetch_everything_again():
    async def run() -> list[dict]:
        events = Broadcaster()
        queue = events.subscribe()
        for n in range(queue.maxsize + 50):
            events.send("build", step="page", text=f"{n}")
        events.send("case", case="a", version=7)
        assert queue in events.queues  # still subscribed
        return [json.loads(queue.get_nowait()) for _ in range(queue.qsize())]

    received = asyncio.run(run())
    assert {"kind": "book", "version": -1} in received
    assert received[-1] == {"kind": "case", "case": "a", "version": 7}
