"""The printed pages after a save: a proof that fails (an internal error, a file swept
away under it) never holds up the proofs due after it, and the book built again after the
saves waits for the proofs due."""

from __future__ import annotations

import asyncio
import time

from publisher.pipeline.project import Project
from publisher.workbench import builds as builds_module
from publisher.workbench import printed
from publisher.workbench.builds import Builds
from publisher.workbench.live import Broadcaster
from publisher.workbench.state import Workbench


def test_a_proof_that_fails_does_not_hold_up_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(printed, "last_pdf", lambda _project: object())  # a book was built
    made: list[str] = []

    def proof(case_id: str) -> bool:
        made.append(case_id)
        if case_id == "a":
            raise FileNotFoundError("swept away")
        return True

    async def run() -> list[str]:
        builds = Builds(Workbench(Project(tmp_path)), Broadcaster(), live_pages=True)
        builds.start = lambda *_formats: False  # type: ignore[method-assign]  # no book build
        builds._proof = proof  # type: ignore[method-assign]
        builds.schedule_pages(("a", "b"))
        for _ in range(200):
            if len(made) == 2:
                break
            await asyncio.sleep(0.05)
        await builds.stop()
        return made

    assert asyncio.run(run()) == ["a", "b"]


def test_the_book_is_built_again_only_once_the_proofs_due_are_made(tmp_path, monkeypatch):
    """The build takes the build lock, and a proof laid out after it would be of a book
    that is no more: a slow proof (a cold start, a long case) is not overtaken."""
    monkeypatch.setattr(printed, "last_pdf", lambda _project: object())
    monkeypatch.setattr(builds_module, "PAGES_DELAY", 0.1)
    happened: list[str] = []

    def proof(case_id: str) -> bool:
        time.sleep(0.6)  # longer than the pause before the book's build
        happened.append(f"proof {case_id}")
        return True

    async def run() -> list[str]:
        builds = Builds(Workbench(Project(tmp_path)), Broadcaster(), live_pages=True)
        builds.start = lambda *_formats: happened.append("build") or True  # type: ignore[method-assign]
        builds._proof = proof  # type: ignore[method-assign]
        builds.schedule_pages(("a",))
        await asyncio.sleep(0.3)
        builds.schedule_pages(("b",))  # a second save while the first proof is made
        for _ in range(100):
            if "build" in happened:
                break
            await asyncio.sleep(0.05)
        await builds.stop()
        return happened

    assert asyncio.run(run()) == ["proof a", "proof b", "build"]


def test_a_proof_ending_after_the_server_stopped_tells_nothing_and_raises_nothing():
    """Ctrl+C as a proof's thread ends: its loop is closed; the thread's hand-over is
    dropped, not a traceback on the editor's terminal."""
    import asyncio

    from publisher.workbench.builds import _in_loop

    loop = asyncio.new_event_loop()
    told: list[str] = []
    _in_loop(loop, told.append, "open")
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()
    _in_loop(loop, told.append, "closed")
    assert told == ["open"]
