"""Photos found by name, without editing a case file.

A figure whose case file gives no image takes `content/images/<case id>/<n>.<ext>`, where
n is the figure's number in its case (图 3-2 → `images/<id>/2.jpg`). Two photos side by
side take `<n>a` (left) and `<n>b` (right). Any supported suffix, in any case.
"""

from __future__ import annotations

from pathlib import Path

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".gif", ".bmp")
FOLDER = "images"


def stems(number: int, pair: bool) -> tuple[str, ...]:
    return (f"{number}a", f"{number}b") if pair else (str(number),)


def rule_text(case_id: str, number: int, pair: bool) -> str:
    """How the rule names this figure's files, for messages and the report."""
    return " and ".join(f"{FOLDER}/{case_id}/{stem}.jpg" for stem in stems(number, pair))


def find_by_name(
    content_dir: Path, case_id: str, number: int, pair: bool
) -> tuple[tuple[str, ...], list[str]]:
    """The found files (relative to content/) for each stem, "" where there is none, and
    warnings for stems with more than one candidate (the first by suffix order is used)."""
    folder = content_dir / FOLDER / case_id
    found: list[str] = []
    warnings: list[str] = []
    entries = _listing(folder)
    for stem in stems(number, pair):
        matches = sorted(
            (
                name
                for name in entries
                if Path(name).stem == stem and Path(name).suffix.lower() in SUFFIXES
            ),
            key=lambda n: (SUFFIXES.index(Path(n).suffix.lower()), n),
        )
        if len(matches) > 1:
            warnings.append(
                f"{FOLDER}/{case_id}/: {', '.join(matches)} all match figure "
                f"{stem}; using {matches[0]}"
            )
        found.append(f"{FOLDER}/{case_id}/{matches[0]}" if matches else "")
    return tuple(found), warnings


def _listing(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(sorted(p.name for p in folder.iterdir() if p.is_file()))
    except OSError:
        return ()
