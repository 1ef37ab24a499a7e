"""Live updates: watch content/ and styles/, bring the workbench's snapshot up to date,
and tell every open page what changed (Server-Sent Events).

Changes are handled one batch at a time, reading the files as they are then, so a burst of
saves ends in the state of the last one. Each event names what to fetch again: one case
(`case`), or the whole book (`book`: order, settings, theme, templates, a new case).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import watchfiles

from .state import Workbench

BOOK_FILES = (".toml", ".j2", ".css")


class Broadcaster:
    """Each open page's queue of events."""

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[str]] = set()

    def subscribe(self) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=200)
        self.queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str]) -> None:
        self.queues.discard(queue)

    def send(self, kind: str, **data) -> None:
        message = json.dumps({"kind": kind, **data}, ensure_ascii=False)
        for queue in list(self.queues):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:  # a page far behind: it fetches everything again
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(json.dumps({"kind": "book", "version": -1}))


def _relevant(path: Path) -> bool:
    name = path.name
    return not name.startswith(".") and not name.endswith(("~", ".tmp", ".swp"))


async def watch(
    bench: Workbench,
    events: Broadcaster,
    stop: asyncio.Event,
    changed: Callable[[tuple[str, ...]], None] = lambda _cases: None,
) -> None:
    """Until `stop`: each batch of changes under content/ and styles/ updates the snapshot
    and is announced; then `changed` is called with the cases whose files changed since
    the book last loaded (their printed pages follow)."""
    project = bench.project
    folders = [str(p) for p in (project.content, project.styles) if p.is_dir()]
    if not folders:
        return
    cases_dir = project.cases.resolve()
    files = Edits(bench)
    async for changes in watchfiles.awatch(
        *folders, stop_event=stop, step=30, debounce=400, recursive=True, watch_filter=None
    ):
        paths = {Path(p) for _, p in changes if _relevant(Path(p))}
        if paths:
            try:
                await _handle(bench, events, paths, cases_dir)
            except Exception as exc:  # a bug must not end the watching: load afresh
                print(f"workbench: {type(exc).__name__}: {exc}", flush=True)
                await asyncio.to_thread(bench.reload)
                events.send("book", version=bench.snapshot.version)
            changed(files.since_last())


class Edits:
    """The cases whose files changed since the book last loaded, whichever way the change
    was read: one file alone, or the whole book again (a new case, a file caught half
    written that did not parse, settings). A load that failed is skipped: the case edited
    before it is still edited after it."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self.digests = self._now() or {}

    def _now(self) -> dict[str, str] | None:
        snap = self.bench.snapshot
        if snap.loaded is None:
            return None
        return {case_id: status.digest for case_id, status in snap.cases.items()}

    def since_last(self) -> tuple[str, ...]:
        now = self._now()
        if now is None:
            return ()
        edited = tuple(i for i, d in now.items() if i in self.digests and self.digests[i] != d)
        self.digests = now
        return edited


async def _handle(bench: Workbench, events: Broadcaster, paths: set[Path], cases_dir: Path) -> None:
    """One batch of changed files: the cases re-read, or the whole book loaded again."""
    case_files = {p for p in paths if p.suffix == ".md" and p.parent.resolve() == cases_dir}
    others = paths - case_files
    updated: list[str] = []
    whole = bool(others)
    if not whole:
        for path in sorted(case_files):
            case_id = await asyncio.to_thread(bench.case_changed, path)
            if case_id is None:
                whole = True
                break
            updated.append(case_id)
    if whole:
        await asyncio.to_thread(bench.reload)
        events.send("book", version=bench.snapshot.version)
        return
    for case_id in updated:
        events.send("case", case=case_id, version=bench.snapshot.version)
