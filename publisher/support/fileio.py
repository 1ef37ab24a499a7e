"""Files in and out: atomic output (write beside the target, then rename, so a failure
leaves the old file) and the one safe way content is read.

Reading: only regular files, only inside the project's content/ and styles/ (a symlink
that leads elsewhere is refused, never followed), and a size limit checked before a
byte is read, so a FIFO cannot block a build, `/dev/zero` cannot fill the memory, and a
link cannot print `/etc/passwd` into the book.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import ContentError, EnvironmentProblem

# Far above any article or case file; guards against reading a disk image.
MAX_TEXT_BYTES = 20_000_000
# A picture file: the image stage's limit, also what a DOCX's or a saved page's picture
# may have, so import, absorb and the build agree.
MAX_PICTURE_MB = 80


class FileRefused(ContentError):
    """A path the project will not read: a link out of the project, a FIFO, a device,
    a folder, or a file above its size limit."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


TEMP_SUFFIX = ".tmp"


def atomic_write(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` in one rename; readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a write: name the file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the half-written files (`.NAME.XXXX.tmp`) that a process killed inside
    `atomic_write` left under `folder`. Only for a folder no one else writes in now (the
    build holds the build lock)."""
    removed = []
    for path in folder.rglob(f".*{TEMP_SUFFIX}"):
        try:
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
        except OSError:
            pass
    return removed


def atomic_write_all(files: dict[Path, bytes]) -> None:
    """Replace several files together: every one is written in full beside its target
    first, then all are renamed, so a full disk while writing the second leaves the first
    as it was too (not a new PDF beside an old DOCX)."""
    written: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            written.append((tmp, path))
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
            except OSError as exc:
                if exc.filename is None:
                    raise OSError(exc.errno, exc.strerror, str(path)) from exc
                raise
            os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)
        raise
    try:
        for tmp, path in written:
            os.replace(tmp, path)
    finally:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)  # those not renamed (a rename that failed)


def printable_name(name: str) -> str:
    """A file name as messages can print it: bytes that are not UTF-8 (a name from an old
    Windows archive) as \\xff escapes instead of characters no terminal can encode."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


_LOOP = "is a link that leads back to itself (a loop): refused"


def contained(path: Path, shown: str, within: Iterable[Path]) -> Path:
    """`path` with its links resolved, when that is inside one of the folders `within`
    (content/, styles/); a link leading elsewhere is refused, naming the path."""
    try:
        real = path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop
        raise FileRefused(_LOOP, path=shown) from None
    roots = [root.resolve() for root in within]
    if roots and not any(real.is_relative_to(root) for root in roots):
        names = " and ".join(f"{root.name}/" for root in roots)
        raise FileRefused(
            f"leads outside {names} (to {real}): refused; copy the file into the project",
            path=shown,
        )
    return real


def is_regular(path: Path) -> bool:
    """A regular file (links followed): what a listing of content/ may hand to a reader.
    FIFOs, devices and sockets are left out (reading them blocks or never ends)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def content_digest(path: Path, within: Iterable[Path] = ()) -> bytes:
    """sha256 of a file for a fingerprint, read in blocks; a link leading out of `within`
    or to anything but a regular file counts by where it leads, unread (the build refuses
    it if it is used)."""
    try:
        real = contained(path, "", within)
        if not stat.S_ISREG(real.stat().st_mode):
            raise FileRefused("not a file")
    except (FileRefused, OSError):
        return hashlib.sha256(f"elsewhere:{os.path.realpath(path)}".encode()).digest()
    digest = hashlib.sha256()
    with open(real, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


def read_limited(
    path: Path, shown: str, *, limit: int = MAX_TEXT_BYTES, within: Iterable[Path] = ()
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, inside `within` when given.

    Opened without blocking (a FIFO would wait for a writer forever) and checked on the
    open descriptor, so the file read is the file checked."""
    real = contained(path, shown, within)
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise read_error(exc, shown) from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"is {_kind(info.st_mode)}, not a file: refused", path=shown)
        if info.st_size > limit:
            raise FileRefused(
                f"file is {info.st_size:,} bytes, more than the {limit:,} it may have: refused",
                path=shown,
            )
        data = f.read(limit + 1)  # a file still growing is cut at the limit, not read on
    if len(data) > limit:
        raise FileRefused(f"grew beyond {limit:,} bytes while being read: refused", path=shown)
    return data


def read_error(exc: OSError, shown: str) -> ContentError:
    """A file that cannot be read, in one line: a missing file is the content's fault,
    permissions and the like the environment's."""
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return ContentError("file not found", path=shown)
    if exc.errno == errno.EISDIR:
        return FileRefused("is a folder, not a file: refused", path=shown)
    if exc.errno == errno.ELOOP:  # Python 3.13 resolves a loop without a word; open says so
        return FileRefused(_LOOP, path=shown)
    problem = environment_problem(exc, shown)
    if problem is not None:
        return problem  # type: ignore[return-value]
    return ContentError(f"cannot read: {exc.strerror or exc}", path=shown)


# What the environment (not the content, not publisher) got wrong, and what to do.
_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run it again",
    errno.EDQUOT: "the disk quota is used up: free some space and run it again",
    errno.EROFS: "the file system is read-only: build on a writable disk (or --out elsewhere)",
    errno.EACCES: "permission denied: make it readable and writable for you (chmod u+rw)",
    errno.EPERM: "operation not permitted: check the folder's permissions and owner",
    errno.ENAMETOOLONG: "the file name is too long for the file system: choose a shorter one",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and run it again",
}


def environment_problem(exc: OSError, shown: str = "") -> EnvironmentProblem | None:
    """An OSError the user can fix (full disk, read-only folder, permissions, a name
    too long) as a one-line EnvironmentProblem naming the path; None for anything else."""
    advice = _ADVICE.get(exc.errno or 0)
    if advice is None:
        return None
    where = shown or (os.fsdecode(exc.filename) if exc.filename is not None else "")
    return EnvironmentProblem(advice, path=where)
