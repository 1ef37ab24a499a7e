"""`publisher init DIR`: a new, empty compendium project that builds at once."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..support.errors import EnvironmentProblem


def default_styles() -> Path:
    """The default theme, shipped in the package (a link to the checkout's styles/)."""
    return Path(str(resources.files("publisher") / "_styles"))


SETTINGS = """\
# 汇编设置 (compendium settings). Every key is described in the README, "Settings".
title = "{title}"
theme = "{theme}"            # book (A4) | gongwen (公文, GB/T 9704) | book-16k (16开, print)
subtitle = ""
compiler = ""
# date = "2026-11"           # on the cover; default: the last git commit of content/
# edition = "draft"           # draft: a framed placeholder where a photo is missing;
#                             # final: never an empty frame (the caption only)
# missing_images = "placeholder"   # placeholder | caption-only | error

# Group cases into parts (e.g. by province); cases not listed go at the end.
# [[parts]]
# title = "四川省"
# cases = ["004_72b8bfec9142b5c8"]
"""


def init_project(folder: Path, title: str = "案例汇编", theme: str = "book") -> list[Path]:
    """Create content/, styles/ and build/ in `folder`; refuses to overwrite a project."""
    from ..look.theme import preset_path

    try:
        preset_path(theme)
    except ValueError as exc:
        raise EnvironmentProblem(str(exc)) from None
    settings = folder / "content" / "compendium.toml"
    if settings.exists():
        raise EnvironmentProblem("a compendium project is already here", path=str(settings))
    styles = default_styles()
    if not (styles / "theme.toml").is_file():
        raise EnvironmentProblem(f"default styles not found at {styles}: reinstall publisher")
    for sub in ("content/sources", "content/cases", "content/images", "build"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    settings.write_text(
        SETTINGS.format(title=title.replace('"', "'"), theme=theme), encoding="utf-8"
    )
    if not (folder / "styles").exists():
        shutil.copytree(
            styles, folder / "styles", ignore=shutil.ignore_patterns("preview*.png", "__pycache__")
        )
    (folder / "build" / ".gitignore").write_text("*\n!.gitignore\n", encoding="utf-8")
    return [
        settings,
        folder / "content" / "sources",
        folder / "content" / "cases",
        folder / "styles",
    ]
