"""The workbench's events and watcher: a page that falls far behind (a long build's
progress while its tab sleeps) is told to fetch everything again, never silently left
without updates; a case file read half written still has its printed pages follow."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from publisher.pipeline.project import Project
from publisher.workbench.live import Broadcaster, watch
from publisher.workbench.state import Workbench

ROOT = Path(__file__).resolve().parent.parent


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


def test_a_case_file_caught_half_written_still_has_its_printed_pages_follow(tmp_path):
    """A program that writes a case file in place (truncate, then write) can be read
    between the two: a file that does not parse, the book loaded again. Once the write is
    complete the case is still one whose printed pages follow."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    project = Project(tmp_path)
    bench = Workbench(project)
    bench.reload()
    path = project.case_files()[0]
    case_id = next(i for i, f in bench.snapshot.loaded.files.items() if f.endswith(path.name))
    whole = path.read_text(encoding="utf-8") + "\n后来加上的一句话。\n"

    async def run() -> list[str]:
        stop = asyncio.Event()
        followed: list[str] = []
        watcher = asyncio.create_task(watch(bench, Broadcaster(), stop, followed.extend))
        await asyncio.sleep(1.0)  # the watcher under way
        version = bench.snapshot.version
        path.write_text(whole[:12], encoding="utf-8")  # caught half written
        await _until(lambda: bench.snapshot.version > version)
        assert case_id not in bench.snapshot.cases  # the book as read then: without it
        path.write_text(whole, encoding="utf-8")  # the write complete
        await _until(lambda: case_id in bench.snapshot.cases and followed)
        stop.set()
        await watcher
        return followed

    assert asyncio.run(run()) == [case_id]


async def _until(condition, timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the watcher did not get there")
