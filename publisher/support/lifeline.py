"""Helper processes die with the build that started them; what a killed build left, the
next build of the project clears.

A build starts helpers: the layout workers' server and its workers (`support/workers`),
multiprocessing's resource tracker, the warm LibreOffice (`writers/docx/toc_pages`), and
temporary folders. When the build is killed (SIGKILL: no `finally` runs):

- each worker notices: on Linux the kernel signals it when its parent (the server) ends
  (`PR_SET_PDEATHSIG`), and a watchdog thread ends it when the build itself is gone (the
  server outlives the build while any worker runs); the server and the tracker end on
  their own when no build or worker is left. Workers and the server hold none of the
  build's pipes (a caller reading the build's output through one would wait for the
  helper, not the build): their standard streams are /dev/null, but a worker's standard
  error goes to `build/.publisher-helpers.log` (WeasyPrint's warnings, say);
- the LibreOffice script has a watchdog of its own (`lo_pages.py`);
- as a last resort, the next build (holding the build lock) kills what the record file
  `build/.publisher-helpers` lists, when its build is gone and it is still the same process
  (pid and start time), and removes the temporary folders of processes that are gone
  (named `publisher-KIND-PID-START-…`).

A process is known by (pid, start time): its start in clock ticks since boot, from
/proc (Linux); where there is no /proc, by its pid alone.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

RECORD_FILE = ".publisher-helpers"
LOG_FILE = ".publisher-helpers.log"  # beside it: what the helpers print (WeasyPrint's warnings)
TEMP_PREFIX = "publisher-"
_TEMP_NAME = re.compile(r"publisher-[a-z]+-(\d+)-(\d+)-")
WATCH_SECONDS = 0.2

Identity = tuple[int, int]  # (pid, start time; 0 where unknown)


# --- who is who ---------------------------------------------------------------------


def identity(pid: int | None = None) -> Identity:
    pid = os.getpid() if pid is None else pid
    return pid, _start_time(pid) or 0


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after the command name (field 3 onwards)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _start_time(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[19]) if fields and len(fields) > 19 else None


def is_running(who: Identity) -> bool:
    """The process `who` is still there (not a zombie, not another process with its pid)."""
    pid, start = who
    fields = _stat(pid)
    if fields is not None:
        return fields[0] != "Z" and (not start or int(fields[19]) == start)
    if Path("/proc/self/stat").exists():
        return False  # /proc works here: no entry, no process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- inside a helper ------------------------------------------------------------------


def die_with_parent() -> None:
    """Linux: the kernel sends SIGKILL to this process when its parent ends."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def watch(owner: Identity, interval: float = WATCH_SECONDS) -> None:
    """A daemon thread that ends this process as soon as `owner` (the build) is gone."""

    def run() -> None:
        while is_running(owner):
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=run, name="publisher-lifeline", daemon=True).start()


def quiet_std_streams(log: Path | None = None) -> None:
    """Standard input and output to /dev/null, standard error to the end of `log` (else
    /dev/null): this process then holds none of the build's pipes, and a caller reading
    them sees their end when the build ends."""
    sys.stdout.flush()
    sys.stderr.flush()
    null = os.open(os.devnull, os.O_RDWR)
    err = null
    if log is not None:
        with contextlib.suppress(OSError):
            err = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    for fd, target in ((0, null), (1, null), (2, err)):
        os.dup2(target, fd)
    os.close(null)
    if err != null:
        os.close(err)


# --- the record of a build's helpers ---------------------------------------------------

# The record of the build running in this thread (a server may run builds in threads).
_record: contextvars.ContextVar[Path | None] = contextvars.ContextVar("record", default=None)


@contextlib.contextmanager
def recording(record: Path) -> Iterator[None]:
    """Helpers started in this thread during the block are listed in `record`."""
    token = _record.set(record)
    try:
        yield
    finally:
        _record.reset(token)


def current_record() -> Path | None:
    return _record.get()


def keep_record(record: Path) -> None:
    """A helper process lists the helpers it starts in its build's record."""
    _record.set(record)


def register(record: Path, owner: Identity, pid: int, kind: str) -> None:
    """Add a helper of the build `owner` to the record (one line, appended in one write,
    so helpers registering at once do not mix their lines). `kind` "session": the
    helper leads a session of its own, which is killed with it."""
    who = identity(pid)
    line = f"{owner[0]} {owner[1]} {who[0]} {who[1]} {kind}\n".encode("ascii")
    with contextlib.suppress(OSError):  # a full disk: the watchdogs still work
        fd = os.open(record, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


def clear_leftovers(record: Path) -> list[str]:
    """Kill the helpers in `record` whose build is gone and which still run, remove the
    temporary folders of processes that are gone, and start the record afresh. Called by
    a build holding the build lock, so no build of the project is running. Returns what
    was done, for the verbose output."""
    done = []
    try:
        lines = record.read_text(encoding="ascii").splitlines()
    except (OSError, ValueError):
        lines = []
    for line in lines:
        try:
            owner_pid, owner_start, pid, start, kind = line.split()
            owner, who = (int(owner_pid), int(owner_start)), (int(pid), int(start))
        except ValueError:
            continue
        if is_running(owner):
            continue  # a live process that built before (tests, a server): its own helpers
        for victim in _members(who) if kind == "session" else [who]:
            if is_running(victim) and victim[0] != os.getpid():
                with contextlib.suppress(OSError):
                    os.kill(victim[0], signal.SIGKILL)
                    done.append(f"stopped process {victim[0]} left by a killed build")
    for stale in (record, record.with_name(LOG_FILE)):
        with contextlib.suppress(OSError):
            stale.unlink()
    done += remove_stale_temp()
    return done


def _members(leader: Identity) -> list[Identity]:
    """The session `leader` led: itself and every process in its session that started
    after it (soffice, when the script that started it was killed)."""
    found = [leader]
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or int(entry.name) == leader[0]:
                continue
            fields = _stat(int(entry.name))
            if fields and int(fields[3]) == leader[0] and int(fields[19]) >= leader[1]:
                found.append((int(entry.name), int(fields[19])))
    return found


# --- temporary folders -----------------------------------------------------------------


def temp_prefix(kind: str) -> str:
    """The name of a temporary folder of this process: `publisher-KIND-PID-START-`, so
    that when this process is killed the next build knows the folder is garbage."""
    pid, start = identity()
    return f"{TEMP_PREFIX}{kind}-{pid}-{start}-"


def remove_stale_temp() -> list[str]:
    """Remove our temporary folders whose process is gone."""
    removed = []
    root = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for path in root.glob(f"{TEMP_PREFIX}*"):
            match = _TEMP_NAME.match(path.name)
            if match is None or not path.is_dir() or path.is_symlink():
                continue
            with contextlib.suppress(OSError, AttributeError):  # (no geteuid: Windows)
                if path.stat().st_uid != os.geteuid():
                    continue
            if not is_running((int(match[1]), int(match[2]))):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(f"removed {path}, left by a killed build")
    return removed
