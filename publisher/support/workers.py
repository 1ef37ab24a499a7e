"""Worker processes for the writers: forked from one server that has imported WeasyPrint
once, so a worker starts in milliseconds and shares those pages with its siblings.

`start()` launches the server early (the build calls it before loading the project), so
its imports overlap the build's own checks instead of delaying the first layout.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from functools import cache

# What the server imports before it forks any worker.
PRELOAD = ["publisher.writers.pdf_pieces", "weasyprint"]


@cache
def context():
    """The multiprocessing context every pool of the build uses. Forkserver, not fork: the
    build's own process runs threads (each pool's manager, the progress display), which
    fork would copy mid-lock."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start() -> None:
    """Launch the server now; it imports PRELOAD while the caller goes on."""
    from multiprocessing import forkserver

    context()
    forkserver.ensure_running()


def pool(workers: int, *, background: bool = False):
    """`background`: the workers yield the cores to the build's other processes (the DOCX
    beside the PDF's layout, whose pieces are on the build's critical path)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context(),
        initializer=_yield_cores if background else None,
    )


def _yield_cores() -> None:
    with contextlib.suppress(OSError):  # not allowed here: the same priority, then
        os.nice(10)


def result(future, what: str):
    """A worker's result; a worker that died (out of memory, a signal) is a one-line
    problem of the machine, not a bug."""
    from concurrent.futures.process import BrokenProcessPool

    from .errors import EnvironmentProblem

    try:
        return future.result()
    except BrokenProcessPool:
        raise EnvironmentProblem(
            f"{what} stopped without finishing (out of memory, or "
            "killed); build again, with --jobs 1 to use one process"
        ) from None
