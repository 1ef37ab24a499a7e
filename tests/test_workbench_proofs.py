"""The printed pages after a save: a proof that fails (an internal error, a file swept
away under it) never holds up the proofs due after it."""

from __future__ import annotations

import asyncio

from publisher.pipeline.project import Project
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
