"""The build date: from the settings, SOURCE_DATE_EPOCH or git, never the clock.

So two builds of the same content give byte-identical files, on any day.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def build_date(settings_date: str, content_dir: Path) -> tuple[str, str]:
    """(ISO date, where it came from): settings, SOURCE_DATE_EPOCH, git, or none."""
    if settings_date:
        return settings_date, "settings"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _iso(int(epoch)), "SOURCE_DATE_EPOCH"
    commit = _git_last_commit(content_dir)
    if commit is not None:
        return _iso(commit), "git"
    return "", "none"


def _iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d")


def _git_last_commit(folder: Path) -> int | None:
    """Commit time of the last commit touching `folder`; None outside git or uncommitted."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = out.stdout.strip()
    return int(value) if out.returncode == 0 and value.isdigit() else None
