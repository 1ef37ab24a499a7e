"""What a PDF viewer shows of the pages: page labels matching the printed folios, and one
link annotation per table-of-contents entry.

- `/PageLabels` (written by `assemble`): viewers show "i, ii, iii" for the front
  matter and "1, 2, 3…" from the first part or case page, as the folios read; the cover
  (and its blank back) are labelled 封面 and 封二, which print no folio.
- WeasyPrint gives every box inside a link its own annotation (an entry's text, its dot
  leader and its page number: three overlapping rectangles). They are merged into one per
  link target and line, so a screen reader or a tab key meets each entry once.
"""

from __future__ import annotations

__all__ = ["page_label_ranges", "merge_links"]


def page_label_ranges(front_start: int, body_start: int) -> list[tuple[int, dict]]:
    """(0-based first page, label style) ranges. `front_start`, `body_start`: 1-based
    physical pages printed as i and 1 (0 when there is none)."""
    ranges: list[tuple[int, dict]] = [(0, {"P": "封面"})]
    first_numbered = min([p for p in (front_start, body_start) if p], default=0)
    if first_numbered > 2:
        ranges.append((1, {"P": "封二"}))
    if front_start:
        ranges.append((front_start - 1, {"S": "r"}))
    if body_start:
        ranges.append((body_start - 1, {"S": "D"}))
    return ranges


def _overlap(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def merge_links(pages) -> None:
    """One annotation per link target and place: overlapping rectangles of the same link
    (a box and the boxes inside it) become their union."""
    for page in pages:
        merged: list[tuple] = []
        for link in page.links:
            kind, target, rect, box = link
            for i, (kind2, target2, rect2, box2) in enumerate(merged):
                if (kind2, target2) == (kind, target) and _overlap(rect, rect2):
                    union = (
                        min(rect[0], rect2[0]),
                        min(rect[1], rect2[1]),
                        max(rect[2], rect2[2]),
                        max(rect[3], rect2[3]),
                    )
                    merged[i] = (kind2, target2, union, box2)
                    break
            else:
                merged.append(link)
        page.links[:] = merged
