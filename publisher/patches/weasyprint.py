"""WeasyPrint: two patches, both guarded by `guard.WEASYPRINT` and the shape of what they
replace, both in place only while the PDF writer lays out a piece.

- The justification hook (`justification_hook`): WeasyPrint justifies a line by widening
  its spaces only, and Chinese has none (`writers/pdf/justify.py` shares the missing width
  between the characters). It replaces `layout.inline.justify_line` and `text_align` while
  a document is rendered. Not a speed-up: when it cannot install, the build stops unless
  the theme accepts ragged lines. Upstream: CSS Text 3 `text-justify: inter-character`,
  not implemented in WeasyPrint (no upstream issue or change yet).
- Deferred subsetting (`deferred_subsetting`): a piece embeds a stub naming a plain face's
  file instead of a HarfBuzz subset (the assembly subsets each face once for the whole
  book), and a font object reads its face's data through a view of HarfBuzz's own memory
  instead of a copy of the whole font file. Replaces `pdf.fonts.Font.subset` and
  `Font.__init__`, and `get_hb_object_data` while a font object is made. A speed-up: the
  PDF is the same without it (only slower, larger in memory). Upstream: none; it stands in
  for WeasyPrint embedding one font per face in a document made of several.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from . import guard

__all__ = [
    "justification_state",
    "justification_internals",
    "justification_hook",
    "subsetting_state",
    "deferred_subsetting",
]


# --- the justification hook --------------------------------------------------------------


def justification_internals():
    """(boxes, inline, create_layout, line_size): the WeasyPrint internals the hook uses;
    raises LookupError naming what is missing or has changed."""
    try:
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout import inline
        from weasyprint.text.line_break import create_layout, line_size
    except (ImportError, OSError) as exc:
        raise LookupError(f"cannot import WeasyPrint's layout internals ({exc})") from None
    original = getattr(inline, "justify_line", None)
    if not callable(original) or original.__code__.co_argcount != 3:
        raise LookupError(
            "weasyprint.layout.inline.justify_line(context, line, "
            "extra_width) is gone or has changed"
        )
    text_align = getattr(inline, "text_align", None)
    # The hook works by replacing the module global that text_align() calls.
    if (
        text_align is None
        or text_align.__code__.co_argcount != 4
        or "justify_line" not in text_align.__code__.co_names
    ):
        raise LookupError("weasyprint.layout.inline.text_align() no longer calls justify_line()")
    for name in ("TextBox", "LineBox", "InlineBox"):
        if not hasattr(boxes, name):
            raise LookupError(f"weasyprint.formatting_structure.boxes.{name} is gone")
    return boxes, inline, create_layout, line_size


def _justification_shape() -> str | None:
    try:
        justification_internals()
    except LookupError as exc:
        return str(exc)
    return None


def justification_state() -> str:
    """'ok', or why the justification hook cannot install in this WeasyPrint."""
    return guard.state(guard.WEASYPRINT, _justification_shape, speedup=False)


@contextmanager
def justification_hook(justify_line: Callable, text_align: Callable) -> Iterator[None]:
    """WeasyPrint's `justify_line` and `text_align` replaced for the duration (the caller
    has checked `justification_internals()` and keeps the originals it wraps)."""
    from weasyprint.layout import inline

    with guard.swapped(inline, justify_line=justify_line, text_align=text_align):
        yield


# --- deferred subsetting -----------------------------------------------------------------


def _subsetting_shape() -> str | None:
    from weasyprint.pdf import fonts

    subset = fonts.Font.__dict__.get("subset")
    if not callable(subset) or subset.__code__.co_argcount != 3:
        return "pdf.fonts.Font.subset(self, to_unicode, hinting) is gone or has changed"
    if "get_hb_object_data" not in fonts.Font.__init__.__code__.co_names:
        return "pdf.fonts.Font.__init__ no longer reads its face through get_hb_object_data"
    for name in ("hb_face_reference_blob", "hb_blob_get_data"):
        if not hasattr(fonts.harfbuzz, name):
            return f"pdf.fonts.harfbuzz.{name} is gone"
    if not hasattr(fonts, "ffi"):
        return "pdf.fonts.ffi is gone"
    return None


def subsetting_state() -> str:
    """'ok', or why the pieces' fonts are subset as WeasyPrint does."""
    return guard.state(guard.WEASYPRINT, _subsetting_shape)


@contextmanager
def deferred_subsetting(stub: Callable[[Any], bytes | None]) -> Iterator[bool]:
    """While active, a font WeasyPrint would subset is first given to `stub`: the bytes it
    returns are embedded instead (None: WeasyPrint subsets it); and a font object reads its
    face's data without copying it. Yields False (and patches nothing) when the guard fails."""
    if subsetting_state() != "ok":
        yield False
        return
    from weasyprint.pdf import fonts

    original_subset = fonts.Font.subset

    def subset(self, to_unicode, hinting):
        program = stub(self) if to_unicode else None
        if program is None:
            return original_subset(self, to_unicode, hinting)
        self.file_content = program
        return None

    # A font object copies its face's data (the whole font file) out of HarfBuzz, in every
    # piece. Here it gets a view of HarfBuzz's own copy instead, which is the font file
    # mapped into memory: no copy at all, and the pages are shared by every worker (the
    # copies were 100 MB a worker for the CJK faces). The worker's one font configuration
    # keeps the faces alive, and the view keeps its blob. Only while a font object is made
    # (WeasyPrint also reads short-lived subset faces, whose addresses are reused).
    original_init, original_data = fonts.Font.__init__, fonts.get_hb_object_data

    def face_data(hb_object, ot_color=None, glyph=None):
        if ot_color is not None or glyph is not None:
            return original_data(hb_object, ot_color, glyph)
        key = int(fonts.ffi.cast("uintptr_t", hb_object))
        if key not in FACE_DATA:
            blob = fonts.harfbuzz.hb_face_reference_blob(hb_object)  # never destroyed
            length = fonts.ffi.new("unsigned int *")
            data = fonts.harfbuzz.hb_blob_get_data(blob, length)
            FACE_DATA[key] = (
                None if data == fonts.ffi.NULL else fonts.ffi.buffer(data, int(length[0]))
            )
        return FACE_DATA[key]

    def init(self, *args, **kwargs):
        with guard.swapped(fonts, get_hb_object_data=face_data):
            original_init(self, *args, **kwargs)

    with ExitStack() as patches:
        patches.enter_context(guard.swapped(fonts.Font, subset=subset, __init__=init))
        yield True


FACE_DATA: dict[int, Any] = {}  # hb_face address -> a view of its data, for this process
