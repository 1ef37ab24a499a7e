"""Atomic file output: write beside the target, then rename, so a failure leaves the old file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
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
