"""Absorb's output, all or nothing: every case file and picture is written beside its
target first, and only when all are written are they renamed into place. A full disk, a
read-only folder or a denied write leaves content/ exactly as it was (temporaries and
new folders removed) and is one line naming the path."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..support.errors import EnvironmentProblem
from .pictures import refuse_symlink


def write_all(content: Path, files: dict[Path, bytes], display: Callable[[Path], str]) -> None:
    """Write `files` (path → bytes, all under `content`) in one step as far as a
    file system allows: temporaries first, then one rename each."""
    made: list[Path] = []  # folders created here, removed again on failure
    temps: dict[Path, Path] = {}  # target → its temporary
    kept: dict[Path, Path] = {}  # target → a hard link to its old version, for undoing
    done: list[Path] = []  # targets renamed into place
    target = next(iter(files), content)
    try:
        for target, data in files.items():
            _make_folders(content, target.parent, made)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps[target] = Path(name)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())  # a full disk shows here, not after the rename
            os.chmod(name, 0o666 & ~_umask())
            if target.exists():
                old = target.with_name(f".{target.name}.{os.getpid()}.old")
                with contextlib.suppress(OSError):  # no hard links there: no undo either
                    old.unlink(missing_ok=True)
                    os.link(target, old)
                    kept[target] = old
        for target, temp in temps.items():
            os.replace(temp, target)
            done.append(target)
    except OSError as exc:
        _undo(temps, kept, done, made)
        raise EnvironmentProblem(
            f"cannot write: {exc.strerror or exc} ({_advice(exc)}, then absorb again); "
            "nothing was written, content/ is as it was",
            path=display(target),
        ) from None
    for old in kept.values():
        with contextlib.suppress(OSError):
            old.unlink()


def _advice(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some space on that disk"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "make content/ writable for you"
    return "check that content/ can be written"


def _make_folders(content: Path, folder: Path, made: list[Path]) -> None:
    missing = []
    for parent in (folder, *folder.parents):
        if parent == content:
            break
        refuse_symlink(parent, content)
        if not parent.exists():
            missing.append(parent)
    for parent in reversed(missing):
        parent.mkdir()
        made.append(parent)


def _undo(
    temps: dict[Path, Path], kept: dict[Path, Path], done: list[Path], made: list[Path]
) -> None:
    """Put back what was renamed already, remove temporaries and new folders."""
    for target in done:
        with contextlib.suppress(OSError):
            if target in kept:
                os.replace(kept.pop(target), target)
            else:
                target.unlink()
    for path in (*temps.values(), *kept.values()):
        with contextlib.suppress(OSError):
            path.unlink()
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
