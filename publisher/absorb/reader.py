"""Read a compendium DOCX back into items, case by case.

A case's part starts at the paragraph holding its marker (a hidden bookmark, see
writers/docx/markers.py) and runs to the next case, or to the part title or back matter
after the marker's end: a paragraph restyled as a part title inside the case does not
end it. Paragraphs are told apart by the names of their styles, the names the DOCX
writer gives them (`STYLE`), compared without letter case because LibreOffice renames
`caption` to `Caption` and changes style ids.

Text an editor typed is never dropped: a paragraph in a style absorb does not map, or in
one that cannot stand where it is (a second title, a kicker amid the body, a source note
before the end), is read as body text with a finding naming its style. Field codes are
not text, nor the results the writer's own fields compute (figure and page numbers);
any other field's result (a hyperlink's words) is. What has no place in a case file
(tables, text boxes, comments, footnotes, embedded documents, pictures outside a
figure) becomes a finding with its location, never dropped silently.
"""

from __future__ import annotations

import hashlib
import html
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
# Where a case's part ends (after its marker's end): the next part, the afterword; the
# cover and the TOC come before every case. Their bookmarks mark the writer's own.
_BOUNDARIES = {"part", "matter_title", "toc_heading", "title"}
_BOUNDARY_MARKS = re.compile(r"^_Toc_(p\d+|back|front)$")
_TITLE_MARK = re.compile(r"^_Toc_c\d+$")  # the case title's own (the TOC links to it)
# A case's title block, in the writer's order (a kicker only above the title).
_HEAD = ("kicker", "title", "subtitle", "series", "byline", "source")
_BLOCK_KINDS = ("heading", "para", "figure", "note")
# Styles of the paragraphs a case is made of (their items); any other is body text.
_CASE_STYLES = {
    "kicker": "kicker",
    "case_title": "title",
    "case_subtitle": "subtitle",
    "series": "series",
    "byline": "byline",
    "source": "source",
    "source_note": "source_note",
    "note": "note",
    "heading1": "heading",
    "heading2": "heading",
    "heading3": "heading",
    "body": "para",
    "lead_paragraph": "para",
}
# Fields whose results the writer computes (numbers, running heads, the TOC): not text.
# Any other field's result (HYPERLINK's words, a DATE) is what the reader sees: text.
_COMPUTED_FIELDS = {"SEQ", "REF", "PAGEREF", "PAGE", "NUMPAGES", "SECTIONPAGES", "STYLEREF"}
_COMPUTED_FIELDS |= {"TOC", "NOTEREF"}
# Line and paragraph separators are line breaks; other control characters are not text.
_BREAKS = str.maketrans({c: "\n" for c in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f]")
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
    # The paragraph as body text, for one in a style that cannot stand where it is.
    style: str = field(default="", compare=False)
    as_para: tuple[Run, ...] = field(default=(), compare=False)
    marked: bool = field(default=False, compare=False)  # a title with the case's bookmark


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


@dataclass
class _Text:
    """A paragraph's text (field codes and computed results left out), its (text, strong)
    runs, the text in the credit style, and the control characters left out of it."""

    text: str
    runs: list[tuple[str, bool]]
    credit: str
    dropped: list[str]


class _Reader:
    def __init__(self, document) -> None:
        self.document = document
        self.part = document.part
        names = {name.lower(): key for key, name in STYLE.items()}
        self.key_of: dict[str, str] = {}  # style id → STYLE key
        self.name_of: dict[str | None, str] = {None: "Normal"}  # style id → its name
        for style in document.styles.element.findall(W + "style"):
            element = style.find(W + "name")
            name = (element.get(W + "val") if element is not None else "") or ""
            sid = style.get(W + "styleId")
            self.name_of[sid] = _shown(name or sid or "")
            if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true"):
                self.name_of[None] = self.name_of[sid]
            key = names.get(name.lower())
            if key is not None:
                self.key_of[sid] = key
        self.reading = Reading()
        self.case: CaseReading | None = None
        self.case_mark: str | None = None  # the open case marker's w:id, until its end
        self.marks: list[str] = []  # bookmarks started since the last paragraph
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
                self._bookmark_start(child)
            elif tag == W + "bookmarkEnd":
                self._bookmark_end(child)
            elif tag == W + "altChunk":
                self._alt_chunk(child)

    def _bookmark_start(self, mark) -> None:
        name = mark.get(W + "name") or ""
        self.marks.append(name)
        parsed = parse_marker(name)
        if parsed is None:
            return
        self._close_case()
        self.case = CaseReading(*parsed)
        self.case_mark = mark.get(W + "id")
        self.reading.cases.append(self.case)

    def _bookmark_end(self, mark) -> None:
        if self.case_mark is not None and mark.get(W + "id") == self.case_mark:
            self.case_mark = None  # past the marker's end, a part title ends the case

    def _close_case(self) -> None:
        if self.case is None:
            return
        if self.pending:
            self.case.findings.append(
                Finding(
                    self.pending_where,
                    "a picture without a figure caption after it is not absorbed",
                )
            )
        self.pending = []
        self._place(self.case)

    def _alt_chunk(self, element) -> None:
        """An embedded document (HTML, RTF, another DOCX …) that Word shows as if typed."""
        rid = element.get(_R + "id")
        part = self.part.related_parts.get(rid) if rid else None
        name = str(part.partname).lstrip("/") if part is not None else "missing"
        words = _chunk_text(part)[:16] if part is not None else ""
        self._add_finding(
            self._where(element),
            f"an embedded document ({name}{f', “{words}…”' if words else ''}) is not "
            "absorbed: paste its text into the body as plain text (Paste Special, "
            "Unformatted Text)",
        )

    # --- one paragraph -----------------------------------------------------------------

    def _paragraph(self, p) -> None:
        marks = self.marks + [b.get(W + "name") or "" for b in p.iter(W + "bookmarkStart")]
        for mark in p.iter(W + "bookmarkStart"):  # markers LibreOffice moved inside
            self._bookmark_start(mark)
        self.marks = []
        ends = [e for e in p.iter(W + "bookmarkEnd") if e.get(W + "id") == self.case_mark]
        if ends and _before_any_text(p, ends[0]):
            self._bookmark_end(ends[0])
        read = self._text(p)
        self._paragraph_items(p, read, marks)
        for end in ends:
            self._bookmark_end(end)
        text = read.text.strip(_BLANK)
        if text:
            self.last_text = text

    def _ends_case(self, key: str | None, marks: list[str]) -> bool:
        """A part title or the afterword's title ends a case: one the writer made (its
        bookmark), or one after the case marker's end. A paragraph restyled as one inside
        the case is body text."""
        if key not in _BOUNDARIES:
            return False
        if any(_BOUNDARY_MARKS.match(m) for m in marks):
            return True
        return self.case_mark is None and key in ("part", "matter_title")

    def _paragraph_items(self, p, read: _Text, marks: list[str]) -> None:
        key = self._style_key(p)
        if self.case is not None and self._ends_case(key, marks):
            self._close_case()
            self.case = None
        text, runs, credit = read.text, read.runs, read.credit
        stripped = text.strip(_BLANK)
        if self.case is None:
            if stripped and key not in _TOC:
                self.reading.outside.append(stripped)
            return
        where = self._where(p)
        self._unmappable(p, stripped)
        if read.dropped:
            self._add_finding(
                _quote(stripped) or where,
                "control character(s) "
                + ", ".join(sorted({f"U+{ord(c):04X}" for c in read.dropped}))
                + " left out (they are not text)",
            )
        pictures = self._pictures(p)
        style = self._style_name(p)
        if key == "lead_paragraph":
            runs = [(t, True) for t, _ in runs]
        if key in ("figure", "placeholder") or (pictures and not stripped):
            if pictures and not self.pending:
                self.pending_where = where
            self.pending += pictures
            if stripped:  # words typed into a picture's paragraph
                self._add(self._as_body(Item("para", text, where=where, style=style), runs))
            return
        if pictures:
            self._add_finding(
                f"in “{stripped[:12]}…”",
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
                    style=style,
                    as_para=_merge([(caption, False)]),
                )
            )
            self.pending = []
            return
        if self.pending:
            self._close_case_pictures()
        kind = _CASE_STYLES.get(key or "")
        if not stripped and kind != "title":
            return
        body = _merge(runs)
        if kind is None:  # Normal, the cover's or the TOC's styles, an editor's own
            self._add(self._as_body(Item("para", text, where=where, style=style), runs))
        elif kind == "title":
            title = text.strip(_BLANK + "\n").replace("\n", "　")
            marked = any(_TITLE_MARK.match(m) for m in marks)
            self._add(Item("title", title, where=where, style=style, as_para=body, marked=marked))
        elif kind == "heading":
            level = int((key or "0")[-1])
            self._add(Item("heading", _one_line(text), level=level, where=where, style=style))
        elif kind == "para":
            self._add(Item("para", _one_line(text), runs=body, where=where))
        else:
            self._add(Item(kind, _one_line(text), where=where, style=style, as_para=body))

    def _as_body(self, item: Item, runs: list[tuple[str, bool]] | None = None) -> Item:
        """`item` read as a body paragraph, with a finding naming its style."""
        body = _merge(runs) if runs is not None else item.as_para
        if not body:
            body = _merge([(item.text, False)])
        target = self.case.findings if self.case is not None else self.reading.findings
        text = "".join(r.text for r in body)
        target.append(
            Finding(
                _quote(text),
                f"its style “{item.style}” has no place there in a case: absorbed as body "
                "text (give it a case style in Word, or edit the case file)",
            )
        )
        return Item("para", text, runs=body, where=item.where)

    def _place(self, case: CaseReading) -> None:
        """What cannot stand where it is becomes body text: a title-block paragraph after
        the body began, a second of one kind, a kicker under the title, a source note
        before the last. The title with the case's bookmark is the title wherever it is
        (a paragraph typed above it is body text), and the title block starts there."""
        notes = [i for i, item in enumerate(case.items) if item.kind == "source_note"]
        marked = next((i for i, it in enumerate(case.items) if it.marked), None)
        kicker = marked - 1 if marked and case.items[marked - 1].kind == "kicker" else marked
        seen: set[str] = set()
        body_started = False
        saved, self.case = self.case, case
        for i, item in enumerate(case.items):
            if i == kicker:
                body_started = False
            if item.kind in _BLOCK_KINDS:
                body_started = True
                continue
            if item.kind == "source_note":
                fits = i == notes[-1]
            elif item.kind == "title" and marked is not None:
                fits = i == marked
            else:
                fits = (
                    not body_started
                    and item.kind not in seen
                    and not (item.kind == "kicker" and "title" in seen)
                )
            if fits:
                seen.add(item.kind)
            elif item.text or item.as_para:
                case.items[i] = self._as_body(item)
        case.items = [item for item in case.items if item.kind != "para" or item.runs or item.text]
        self.case = saved

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

    def _style_id(self, p) -> str | None:
        style = p.find(f"{W}pPr/{W}pStyle")
        return style.get(W + "val") if style is not None else None

    def _style_key(self, p) -> str | None:
        sid = self._style_id(p)
        return self.key_of.get(sid) if sid is not None else None

    def _style_name(self, p) -> str:
        sid = self._style_id(p)
        return self.name_of.get(sid, sid or "")

    def _unmappable(self, p, text: str) -> None:
        where = _quote(text) or self._where(p)
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

    def _text(self, p) -> _Text:
        """The paragraph's text: not field codes, nor the results of the fields the
        writer computes; the result of any other field (a hyperlink's words) is text, and
        so is what follows a field start that never ends."""
        runs: list[tuple[str, bool]] = []
        credit: list[str] = []
        dropped: list[str] = []
        unclosed = _unclosed_fields(p)
        fields: list[list[str]] = []  # the open fields' instructions

        def walk(element) -> None:
            for child in element:
                tag = child.tag
                if tag in _NOT_TEXT:
                    continue
                if tag == W + "fldSimple":
                    if not _computed(child.get(W + "instr") or ""):
                        walk(child)
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
                    if kind == "begin" and not any(child is u for u in unclosed):
                        fields.append([""])
                    elif kind == "end" and fields:
                        fields.pop()
                    continue
                if tag == W + "instrText":
                    if fields:
                        fields[-1][0] += child.text or ""
                    continue
                if any(_computed(f[0]) for f in fields):
                    continue
                piece = {
                    W + "t": child.text or "",
                    W + "tab": " ",
                    W + "br": "\n",
                    W + "cr": "\n",
                    W + "noBreakHyphen": "-",
                }.get(tag, "")
                piece = piece.translate(_BREAKS)
                dropped.extend(_CONTROL.findall(piece))
                piece = _CONTROL.sub("", piece)
                if piece:
                    (credit if key == "credit" else []).append(piece)
                    runs.append((piece, strong) if key != "credit" else ("", False))

        walk(p)
        runs = [(t, s) for t, s in runs if t]
        return _Text("".join(t for t, _ in runs), runs, "".join(credit), dropped)

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


_NOT_TEXT = {
    W + t
    for t in ("pPr", "rPr", "sdtPr", "sdtEndPr", "del", "moveFrom", "txbxContent", "instrText")
}


def _computed(instruction: str) -> bool:
    words = instruction.split()
    return bool(words) and words[0].upper() in _COMPUTED_FIELDS


def _unclosed_fields(p) -> list:
    """The field starts in `p` that no field end in `p` closes."""
    stack: list = []
    for mark in p.iter(W + "fldChar"):
        kind = mark.get(W + "fldCharType")
        if kind == "begin":
            stack.append(mark)
        elif kind == "end" and stack:
            stack.pop()
    return stack


def _before_any_text(p, element) -> bool:
    """Whether `element` comes before the first text of paragraph `p`."""
    for el in p.iter(W + "t", element.tag):
        if el is element:
            return True
        if el.tag == W + "t" and (el.text or "").strip():
            return False
    return True


def _shown(style: str) -> str:
    """A style's name as Word lists it (styles.xml keeps Word's own in lower case)."""
    if re.fullmatch(r"(heading|toc) \d", style) or style in ("caption", "header", "footer"):
        return style.capitalize() if not style.startswith("toc") else style.upper()
    return style


def _quote(text: str) -> str:
    """`in “…”`: a paragraph's first characters, to find it in Word."""
    text = text.strip(_BLANK).replace("\n", " ")
    return f"in “{text[:12]}…”" if len(text) > 12 else f"in “{text}”" if text else ""


def _chunk_text(part) -> str:
    """The first words of an embedded document's text, when it is text or HTML."""
    kind = (getattr(part, "content_type", "") or "").lower()
    if not any(k in kind for k in ("html", "text/plain", "rfc822", "rtf")):
        return ""
    raw = part.blob[:65536].decode("utf-8", "replace")
    if "html" in kind or "rfc822" in kind:
        raw = re.sub(r"(?is)<(head|style|script)\b.*?</\1>|<[^>]*>", " ", raw)
        raw = html.unescape(raw)
    elif "rtf" in kind:
        raw = re.sub(r"\\[a-z]+-?\d* ?|[{}]", " ", raw)
    return " ".join(raw.split())


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
