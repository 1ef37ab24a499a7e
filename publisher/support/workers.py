"""Worker processes for the writers: forked from one server that has imported WeasyPrint
once, so a worker starts in milliseconds and shares those pages with its siblings.

`start()` launches the server early (the build calls it before loading the project), so
its imports overlap the build's own checks instead of delaying the first layout.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Sequence
from pathlib import Path

from . import lifeline

# What the server imports first, before what the writer asks for (`preload`): the server
# then holds none of the build's pipes (support/lifeline).
STREAMS = "publisher.support.forkserver_streams"


_preload = [STREAMS]  # and every module a writer has asked for in this process


def context(preload: Sequence[str] = ()):
    """The multiprocessing context every pool of the build uses. Forkserver, not fork: the
    build's own process runs threads (each pool's manager, the progress display), which
    fork would copy mid-lock. `preload`: modules the server imports before it forks a
    worker, given by the writer whose workers need them (they count until it starts)."""
    _preload.extend(module for module in preload if module not in _preload)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(_preload))
    return ctx


def start(preload: Sequence[str] = ()) -> None:
    """Launch the server now; it imports `preload` while the caller goes on."""
    from multiprocessing import forkserver

    context(preload)
    forkserver.ensure_running()


def pool(workers: int, *, preload: Sequence[str] = (), background: bool = False):
    """`preload`: see `context`. `background`: the workers yield the cores to the build's
    other processes (the DOCX beside the PDF's layout, whose pieces are on the build's
    critical path)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context(preload),
        initializer=_start_worker,
        initargs=(lifeline.identity(), lifeline.current_record(), background),
    )


def _start_worker(owner: lifeline.Identity, record: Path | None, background: bool) -> None:
    """A worker dies with the build `owner` and holds none of its pipes (support/lifeline)."""
    lifeline.die_with_parent()  # the server
    lifeline.watch(owner)  # the build: the server outlives it while a worker runs
    lifeline.quiet_std_streams(record.with_name(lifeline.LOG_FILE) if record else None)
    if record is not None:
        lifeline.register(record, owner, os.getpid(), "worker")
        lifeline.keep_record(record)  # for a LibreOffice it starts
    if background:
        _yield_cores()


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
