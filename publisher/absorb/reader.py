"""Read a compendium DOCX back into items, case by case.

A case's part starts at the paragraph holding its marker (a hidden bookmark, see
writers/docx/markers.py) and runs to the next case, part title or back matter. Paragraphs
are told apart by the names of their styles, the names the DOCX writer gives them
(`STYLE`), compared without letter case because LibreOffice renames `caption` to
`Caption` and changes style ids. Field codes and results (figure numbers, page numbers)
are not text. What has no place in a case file (tables, text boxes, comments, footnotes,
pictures outside a figure) becomes a finding with its location, never dropped silently.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..model import Run
from ..writers.docx.markers import parse_marker
from ..writers.docx.styles import STYLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS = {
    "w": W[1:-1],
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "r": _R[1:-1],
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
_TRACKED = {
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "numberingChange",
    "cellIns",
    "cellDel",
}
_OFF = {"0", "false", "off"}
# Run-in leads: bold, or numbered as a heading in its face (theme run_in_levels).
_LEAD_KEYS = frozenset({"lead", "lead1", "lead2", "lead3"})
# Where a case's part ends: the next part, the afterword, the TOC.
_BOUNDARIES = {"part", "matter_title", "toc_heading", "title"}
_TOC = {"toc_heading", "toc1", "toc2", "toc3"}
# "图 " REF "-" SEQ (field results are skipped: "图 -"; files before the case number was
# a field: "图 3-" SEQ), then one space; plain spaces only, so the digits of a caption
# after the 　 are never taken for it.
_LABEL = re.compile(r"^ *图[ \d]*[-–][ \d]*[ 　]?")
_BLANK = " \t\u3000"


@dataclass(frozen=True)
class Picture:
    """An image in the DOCX, known by its bytes."""

    sha256: str
    blob: bytes = field(compare=False, repr=False)
    ext: str = field(compare=False)


@dataclass(frozen=True)
class Item:
    """One paragraph's worth of a case, as the model knows it (figure = picture + caption)."""

    kind: str  # kicker title subtitle series byline source heading
    # para figure note source_note
    text: str = ""
    level: int = 0  # heading
    runs: tuple[Run, ...] = ()  # para
    credit: str = ""  # figure
    pictures: tuple[Picture, ...] = ()  # figure: the images put in its placeholder
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class Finding:
    where: str
    message: str


@dataclass
class CaseReading:
    id_hash: str
    content_hash: str
    items: list[Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Reading:
    cases: list[CaseReading] = field(default_factory=list)
    tracked: list[str] = field(default_factory=list)  # where unaccepted changes are
    findings: list[Finding] = field(default_factory=list)  # outside any case
    # Text outside the cases (cover, preface, part titles, afterword; not the TOC, which
    # Word refreshes): not absorbed, but compared, so an edit there is reported.
    outside: list[str] = field(default_factory=list)


def read_document(document) -> Reading:
    """Items per case marker, in document order."""
    return _Reader(document).read()


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.part = document.part
        names = {name.lower(): key for key, name in STYLE.items()}
        self.key_of: dict[str, str] = {}  # style id → STYLE key
        for style in document.styles.element.findall(W + "style"):
            name = style.find(W + "name")
            key = names.get((name.get(W + "val") if name is not None else "").lower())
            if key is not None:
                self.key_of[style.get(W + "styleId")] = key
        self.reading = Reading()
        self.case: CaseReading | None = None
        self.pending: list[Picture] = []  # pictures waiting for their caption
        self.pending_where = ""
        self.last_text = ""

    # --- walking the body --------------------------------------------------------------

    def read(self) -> Reading:
        body = self.document.element.body
        for child in body.iter(*(W + t for t in _TRACKED)):
            self.reading.tracked.append(_tracked(child))
        self._blocks(body)
        self._close_case()
        return self.reading

    def _blocks(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                self._paragraph(child)
            elif tag == W + "tbl":
                self._finding(
                    child, "a table is not absorbed: copy its text into the case file by hand"
                )
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._blocks(content)
            elif tag == W + "customXml":
                self._blocks(child)
            elif tag == W + "bookmarkStart":
                self._marker(child.get(W + "name"))

    def _marker(self, name: str | None) -> bool:
        parsed = parse_marker(name or "")
        if parsed is None:
            return False
        self._close_case()
        self.case = CaseReading(*parsed)
        self.reading.cases.append(self.case)
        return True

    def _close_case(self) -> None:
        if self.pending and self.case is not None:
            self.case.findings.append(
                Finding(
                    self.pending_where,
                    "a picture without a figure caption after it is not absorbed",
                )
            )
        self.pending = []

    # --- one paragraph -----------------------------------------------------------------

    def _paragraph(self, p) -> None:
        self._paragraph_items(p)
        text = self._text(p)[0].strip(_BLANK)
        if text:
            self.last_text = text

    def _paragraph_items(self, p) -> None:
        for mark in p.iter(W + "bookmarkStart"):
            self._marker(mark.get(W + "name"))
        key = self._style_key(p)
        if key in _BOUNDARIES:
            self._close_case()
            self.case = None
        text, runs, credit = self._text(p)
        if self.case is None:
            if text.strip(_BLANK) and key not in _TOC:
                self.reading.outside.append(text.strip(_BLANK))
            return
        where = self._where(p)
        self._unmappable(p)
        pictures = self._pictures(p)
        if key in ("figure", "placeholder") or (pictures and not text.strip(_BLANK)):
            if pictures and not self.pending:
                self.pending_where = where
            self.pending += pictures
            return
        if pictures:
            self._add_finding(
                f"in “{text.strip(_BLANK)[:12]}…”",
                "a picture inside a text "
                "paragraph is not absorbed: put it into a figure's placeholder",
            )
        if key == "caption":
            caption = _LABEL.sub("", text, count=1).strip(_BLANK)
            self._add(
                Item(
                    "figure",
                    caption,
                    credit=credit.strip(_BLANK),
                    pictures=tuple(self.pending),
                    where=where,
                )
            )
            self.pending = []
            return
        if self.pending:
            self._close_case_pictures()
        if not text.strip(_BLANK) and key != "case_title":
            return
        if key in ("kicker", "case_subtitle", "series", "byline", "source", "source_note", "note"):
            kind = {"case_subtitle": "subtitle"}.get(key, key)
            self._add(Item(kind, _one_line(text), where=where))
        elif key == "case_title":
            self._add(Item("title", text.strip(_BLANK).replace("\n", "　"), where=where))
        elif key in ("heading1", "heading2", "heading3"):
            self._add(Item("heading", _one_line(text), level=int(key[-1]), where=where))
        else:  # body, lead paragraph, or a paragraph the editor typed in another style
            if key == "lead_paragraph":
                runs = [(t, True) for t, _ in runs]
            self._add(Item("para", _one_line(text), runs=_merge(runs), where=where))

    def _close_case_pictures(self) -> None:
        self._add_finding(
            self.pending_where, "a picture without a figure caption after it is not absorbed"
        )
        self.pending = []

    def _add(self, item: Item) -> None:
        assert self.case is not None
        self.case.items.append(item)

    def _add_finding(self, where: str, message: str) -> None:
        target = self.case.findings if self.case is not None else self.reading.findings
        target.append(Finding(where, message))

    def _finding(self, element, message: str) -> None:
        if self.case is not None:
            self._add_finding(self._where(element), message)

    def _style_key(self, p) -> str | None:
        style = p.find(f"{W}pPr/{W}pStyle")
        return self.key_of.get(style.get(W + "val")) if style is not None else None

    def _unmappable(self, p) -> None:
        text = self._text(p)[0].strip(_BLANK)
        where = (
            f"in “{text[:12]}…”" if len(text) > 12 else f"in “{text}”" if text else self._where(p)
        )
        checks = (
            (W + "txbxContent", "a text box is not absorbed: move its text into the body"),
            (
                "{urn:schemas-microsoft-com:vml}textbox",
                "a text box is not absorbed: move its text into the body",
            ),
            (W + "commentRangeStart", "a comment is not absorbed: act on it, then delete it"),
            (W + "commentReference", "a comment is not absorbed: act on it, then delete it"),
            (
                W + "footnoteReference",
                "a footnote is not absorbed: write it as a note (> 注文) in the case file",
            ),
            (
                W + "endnoteReference",
                "an endnote is not absorbed: write it as a note (> 注文) in the case file",
            ),
            (_NS["m"].join("{}") + "oMath", "an equation is not absorbed"),
        )
        seen = set()
        for tag, message in checks:
            if message not in seen and next(p.iter(tag), None) is not None:
                seen.add(message)
                self._add_finding(where, message)

    # --- text and pictures -------------------------------------------------------------

    def _text(self, p) -> tuple[str, list[tuple[str, bool]], str]:
        """The paragraph's text without field codes or results, its (text, strong) runs,
        and the text in the credit style."""
        runs: list[tuple[str, bool]] = []
        credit: list[str] = []
        depth = [0]

        def walk(element) -> None:
            for child in element:
                tag = child.tag
                if tag in (
                    W + "pPr",
                    W + "rPr",
                    W + "sdtPr",
                    W + "sdtEndPr",
                    W + "fldSimple",
                    W + "del",
                    W + "moveFrom",
                    W + "txbxContent",
                ):
                    continue
                if tag == W + "r":
                    run(child)
                else:
                    walk(child)

        def run(r) -> None:
            style = r.find(f"{W}rPr/{W}rStyle")
            key = self.key_of.get(style.get(W + "val")) if style is not None else None
            bold = r.find(f"{W}rPr/{W}b")
            strong = key in _LEAD_KEYS or (
                bold is not None and bold.get(W + "val", "1") not in _OFF
            )
            for child in r:
                tag = child.tag
                if tag == W + "fldChar":
                    kind = child.get(W + "fldCharType")
                    depth[0] += 1 if kind == "begin" else -1 if kind == "end" else 0
                    depth[0] = max(depth[0], 0)
                    continue
                if depth[0]:
                    continue
                piece = {
                    W + "t": child.text or "",
                    W + "tab": " ",
                    W + "br": "\n",
                    W + "cr": "\n",
                    W + "noBreakHyphen": "-",
                }.get(tag, "")
                if piece:
                    (credit if key == "credit" else []).append(piece)
                    runs.append((piece, strong) if key != "credit" else ("", False))

        walk(p)
        runs = [(t, s) for t, s in runs if t]
        return "".join(t for t, _ in runs), runs, "".join(credit)

    def _pictures(self, p) -> list[Picture]:
        pictures = []
        refs = [b.get(_R + "embed") for b in p.iter(f"{{{_NS['a']}}}blip") if not _in_text_box(b)]
        refs += [
            v.get(_R + "id") for v in p.iter(f"{{{_NS['v']}}}imagedata") if not _in_text_box(v)
        ]
        for rid in refs:
            target = self.part.related_parts.get(rid) if rid else None
            if target is None:
                continue
            blob = target.blob
            ext = str(target.partname).rsplit(".", 1)[-1].lower()
            pictures.append(Picture(hashlib.sha256(blob).hexdigest(), blob, ext))
        return pictures

    def _where(self, element) -> str:
        """`case <marker>, after “…”`: what an editor can find in Word."""
        tail = self.last_text.strip(_BLANK).replace("\n", " ")
        tail = ("…" + tail[-12:]) if len(tail) > 12 else tail
        return f"after “{tail}”" if tail else "at the start"


def _in_text_box(element) -> bool:
    return any(
        a.tag in (W + "txbxContent", f"{{{_NS['v']}}}textbox") for a in element.iterancestors()
    )


def _one_line(text: str) -> str:
    """A manual line break inside a paragraph joins its lines (model text is one line)."""
    return text.replace("\n", "").strip(_BLANK)


def _merge(runs: list[tuple[str, bool]]) -> tuple[Run, ...]:
    """(text, strong) pieces → model runs: line breaks dropped, the paragraph's ends
    stripped, adjacent pieces of one weight merged."""
    merged: list[list] = []
    for text, strong in runs:
        text = text.replace("\n", "")
        if merged and merged[-1][1] == strong:
            merged[-1][0] += text
        elif text:
            merged.append([text, strong])
    if merged:
        merged[0][0] = merged[0][0].lstrip(_BLANK)
        merged[-1][0] = merged[-1][0].rstrip(_BLANK)
    merged = [m for m in merged if m[0]]
    out: list[list] = []
    for text, strong in merged:  # stripping may leave two pieces of one weight adjacent
        if out and out[-1][1] == strong:
            out[-1][0] += text
        else:
            out.append([text, strong])
    return tuple(Run(t, s) for t, s in out)


def _tracked(element) -> str:
    """Where an unaccepted change is: its kind and a few of its characters."""
    kind = {
        "ins": "an insertion",
        "del": "a deletion",
        "moveFrom": "a move",
        "moveTo": "a move",
    }.get(element.tag[len(W) :], "a formatting change")
    text = "".join(t.text or "" for t in element.iter(W + "t", W + "delText"))
    snippet = text.strip()[:15]
    return f"{kind} “{snippet}”" if snippet else kind
