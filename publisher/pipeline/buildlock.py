"""One build at a time per output folder: a lock file there that names its holder.

`fcntl.flock` on `build/.publisher.lock`: the kernel releases the lock when its holder
ends, however it ends (a SIGKILL included), so a dead build never blocks the next one and
there is no stale lock to remove. The holder writes its process id into the file, for
the message a second build prints while it waits (or, with `--no-wait`, instead).
The file descriptor is not inherited by the build's helper processes (they are started
through exec, and Python's descriptors are close-on-exec), so only the build holds it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..support.errors import EnvironmentProblem

try:
    import fcntl
except ImportError:  # Windows: no flock; builds are not serialised there
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".publisher.lock"


class BuildRunning(EnvironmentProblem):
    """Another build of the project holds the lock (exit code 2)."""


@contextmanager
def build_lock(
    folder: Path, *, wait: bool = True, on_wait: Callable[[str], None] = print
) -> Iterator[None]:
    """Hold the build lock of `folder` (created if missing) for the block. When another
    build holds it: wait for it (saying so through `on_wait`), or with `wait=False` raise
    BuildRunning. A folder where the lock cannot be written (read-only, not a folder) is
    an EnvironmentProblem: a build could not write its outputs there either."""
    path = folder / LOCK_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write in {folder} ({exc.strerror}): the build writes its outputs there; "
            "make it writable, or build elsewhere with --out",
            path=str(path),
        ) from None
    try:
        if fcntl is not None:
            _acquire(fd, wait, on_wait)
        _name_holder(fd)
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, wait: bool, on_wait: Callable[[str], None]) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    holder = holder_of(fd)
    if not wait:
        raise BuildRunning(
            f"another build of this project is running ({holder}); "
            "build again when it has finished, or without --no-wait to wait for it"
        )
    on_wait(f"waiting for the other build of this project ({holder}) to finish …")
    fcntl.flock(fd, fcntl.LOCK_EX)


def holder_of(fd: int) -> str:
    """Who holds the lock, as the message says it: "process 1234"."""
    # IndexError: an empty file, the holder between taking the lock and naming itself
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int(os.pread(fd, 32, 0).decode("ascii").split()[0])
        return f"process {pid}"
    return "process unknown"


def _name_holder(fd: int) -> None:
    """Our pid in the lock file. A full disk may refuse it: the lock holds without it."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
