"""Inter-character justification for Chinese lines, which WeasyPrint does not do itself.

WeasyPrint 70 justifies a line by widening its spaces only (`layout/inline.py`,
`justify_line`), and Chinese text has no spaces: every line that falls short of the
measure (a comma that may not start the next line, a run of Latin letters or digits)
stays ragged. CSS `text-justify: inter-character` is not implemented.

While `inter_character_justification()` is active, a line holding Han characters is
justified the way Chinese books are: the missing width is shared evenly between all
characters of the line (Pango letter spacing on each text box), so both edges are flush.
Lines without Han characters keep WeasyPrint's own inter-word justification. The hook is
installed only around `HTML.render()` and removed afterwards; drawing reuses the spacing
stored in each text box's style, so nothing else changes.

The hook relies on WeasyPrint internals, tested with the versions pinned in pyproject.toml
(and locked in requirements.lock); it is installed and guarded by `patches.weasyprint`.
`hook_state()` checks that they are still there;
when they are not, the build stops (`JustificationUnavailable`) rather than print ragged
lines silently, unless the theme accepts ragged lines (`[typography] ragged_lines`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ...patches import guard
from ...patches import weasyprint as weasyprint_patches
from ...support.errors import EnvironmentProblem
from ...text.chinese import CJK_RE

__all__ = [
    "inter_character_justification",
    "MAX_SPACING_EM",
    "hook_state",
    "HookState",
    "JustificationUnavailable",
    "TESTED_WEASYPRINT",
]

# The WeasyPrint releases the hook is tested with (pyproject.toml pins the same range).
TESTED_WEASYPRINT = guard.WEASYPRINT.spec

# Beyond this much extra space between characters a line looks broken rather than
# justified (a long unbreakable URL, say): leave it as WeasyPrint sets it.
MAX_SPACING_EM = 0.5

_HAN = CJK_RE  # Han or Chinese punctuation: a line of Chinese text


def _graphemes(text: str) -> int:
    """Characters that each get one letter spacing: Pango spaces clusters, and the CJK
    fonts shape a doubled dash —— as one."""
    marks = sum(1 for ch in text if unicodedata.category(ch) in ("Mn", "Me", "Cf"))
    return len(text) - marks - len(re.findall("(?<=—)—", text))


def _text_boxes(box, boxes_module, latin: bool = False) -> Iterator:
    """The line's text boxes, each with whether it is a Latin run (html_cjk's `la` span)."""
    if isinstance(box, boxes_module.TextBox):
        yield box, latin
    elif isinstance(box, (boxes_module.LineBox, boxes_module.InlineBox)):
        latin = latin or _has_class(box, "la")
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child, boxes_module, latin)


def _has_class(box, cls: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and cls in (element.get("class") or "").split()


class JustificationUnavailable(EnvironmentProblem):
    """The flush-justification hook cannot be installed in this WeasyPrint."""


@dataclass(frozen=True)
class HookState:
    ok: bool
    weasyprint: str  # installed version, '' when WeasyPrint does not import
    detail: str  # why not, when not ok


def hook_state() -> HookState:
    """Can the justification hook be installed here? For `publisher doctor` and the build."""
    state = weasyprint_patches.justification_state()
    return HookState(state == "ok", guard.WEASYPRINT.installed(), "" if state == "ok" else state)


def unavailable_message(state: HookState) -> str:
    return (
        f"flush justification of Chinese lines cannot be installed in WeasyPrint "
        f"{state.weasyprint or '(not importable)'}: {state.detail}. Lines would be ragged. "
        f"Install the tested WeasyPrint ({TESTED_WEASYPRINT}): "
        "pip install -c requirements.lock -e . (./run does this), or set "
        "`ragged_lines = true` under [typography] in styles/theme.toml to accept ragged lines"
    )


@contextmanager
def inter_character_justification(*, ragged_lines: bool = False):
    """Install the Chinese justification hook in WeasyPrint for the duration.

    Yields True when installed. When it cannot be installed, raises
    JustificationUnavailable, or yields False if `ragged_lines` accepts that."""
    try:
        state = hook_state()
        if not state.ok:
            raise LookupError(state.detail)
        boxes, inline, create_layout, line_size = weasyprint_patches.justification_internals()
    except LookupError as exc:
        if ragged_lines:
            yield False
            return
        raise JustificationUnavailable(
            unavailable_message(HookState(False, guard.WEASYPRINT.installed(), str(exc)))
        ) from None
    justifier = _Justifier(boxes, inline, create_layout, line_size)
    with weasyprint_patches.justification_hook(justifier.justify_line, justifier.text_align):
        yield True


class _Justifier:
    """The hook's replacements for WeasyPrint's `justify_line` and `text_align`, with the
    internals they use and the originals they fall back on."""

    def __init__(self, boxes, inline, create_layout, line_size) -> None:
        self.boxes, self.create_layout, self.line_size = boxes, create_layout, line_size
        self.original = inline.justify_line
        self.original_align = inline.text_align

    def spread(self, context, box, spacing: float, x_advance: float, latin: bool = False) -> float:
        """Move `box` right by x_advance and letter-space its text (not a Latin run's:
        a word keeps its letters together); returns the new advance."""
        if isinstance(box, self.boxes.TextBox):
            box.position_x += x_advance
            if not box.text or latin:
                return x_advance
            style = box.style.copy()
            # added to the text's own letter-spacing (a theme's fixed grid), not instead of it
            own = box.style["letter_spacing"]
            style["letter_spacing"] = spacing + (own if isinstance(own, (int, float)) else 0)
            layout = self.create_layout(
                box.text, style, context, max_width=None, justification_spacing=0
            )
            first_line, _ = layout.get_first_line()
            width, _ = self.line_size(first_line, style)  # includes one trailing spacing
            layout.deactivate()
            box.style = style
            box.pango_layout = layout
            x_advance += width - box.width
            box.width = width
            return x_advance
        if isinstance(box, (self.boxes.LineBox, self.boxes.InlineBox)):
            box.position_x += x_advance
            before = x_advance
            latin = latin or _has_class(box, "la")
            for child in box.children:
                if child.is_in_normal_flow():
                    x_advance = self.spread(context, child, spacing, x_advance, latin)
            box.width += x_advance - before
            return x_advance
        box.translate(x_advance, 0)  # an atomic inline: just move it
        return x_advance

    def justify_line(self, context, line, extra_width):
        texts = list(_text_boxes(line, self.boxes))
        if extra_width <= 0 or not any(_HAN.search(t.text) for t, _ in texts):
            return self.original(context, line, extra_width)
        # Every character but a Latin run's is followed by one spacing; the last one's
        # falls past the edge, unless the line ends with a Latin run.
        count = sum(_graphemes(t.text) for t, latin in texts if not latin)
        gaps = count - (0 if texts[-1][1] else 1)
        if gaps < 1:
            return self.original(context, line, extra_width)
        spacing = extra_width / gaps
        font_size = texts[0][0].style["font_size"]
        if spacing > MAX_SPACING_EM * font_size:
            return self.original(context, line, extra_width)
        self.spread(context, line, spacing, 0)

    def text_align(self, context, line, available_width, last):
        # Han–Latin space never stands at a line's start or end (clreq): drop the margin
        # of a spacing span at either edge before the line is aligned and justified.
        line.width -= _trim_edge(line, self.boxes, start=True)
        line.width -= _trim_edge(line, self.boxes, start=False)
        return self.original_align(context, line, available_width, last)


def _spacing_span(box, boxes, cls: str) -> bool:
    return isinstance(box, boxes.InlineBox) and _has_class(box, cls)


def _trim_edge(box, boxes, *, start: bool) -> float:
    """Remove the Han–Latin margin of a spacing span (html_cjk: hl-b/hl-a) that is the
    first (or last) thing on the line; returns the width removed."""
    children = [c for c in box.children if c.is_in_normal_flow()]
    if not children:
        return 0.0
    edge = children[0] if start else children[-1]
    removed = 0.0
    if start and _spacing_span(edge, boxes, "hl-b") and edge.margin_left:
        removed, edge.margin_left = edge.margin_left, 0
        for child in edge.children:
            child.translate(-removed, 0)
    elif not start and _spacing_span(edge, boxes, "hl-a") and edge.margin_right:
        removed, edge.margin_right = edge.margin_right, 0
    elif isinstance(edge, boxes.InlineBox):
        removed = _trim_edge(edge, boxes, start=start)
        if removed:
            edge.width -= removed
    if removed and start:
        for child in children[1:]:
            child.translate(-removed, 0)
    return removed
