"""The case a DOCX was built from, found again in git history by its content hash.

A case file that changed since the DOCX was built cannot be merged with the DOCX's edits
blindly (that would undo the change). Its version at build time, when git still has it,
tells whether the editor touched that case in the DOCX at all.
"""

from __future__ import annotations

import shutil
import subprocess

from ..model import Case
from ..pipeline.project import Project
from ..readers.casefile import read_case_file
from ..support.errors import ContentError
from ..writers.docx.markers import content_hash

_DEPTH = 50  # commits of one case file looked at


def case_at_build(project: Project, file: str, wanted: str) -> Case | None:
    """The committed version of `file` whose content hash is `wanted`, or None."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        log = subprocess.run(
            [git, "log", f"-n{_DEPTH}", "--format=%H", "--", file],
            cwd=project.root,
            capture_output=True,
            text=True,
            timeout=30,
        )
        for commit in log.stdout.split() if log.returncode == 0 else []:
            shown = subprocess.run(
                [git, "show", f"{commit}:./{file}"],
                cwd=project.root,
                capture_output=True,
                timeout=30,
            )
            if shown.returncode != 0:
                continue
            try:
                text = shown.stdout.decode("utf-8").removeprefix("\ufeff")
                case = read_case_file(text, file)
            except (UnicodeDecodeError, ContentError):
                continue
            if content_hash(case) == wanted:
                return case
    except (OSError, subprocess.TimeoutExpired):
        return None
    return None
