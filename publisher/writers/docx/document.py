"""The walk over the content model: cover, front matter, TOC, parts, cases, back matter.

The structure a reader of an edited file (`publisher absorb`) can rely on, in body order:

- A case: an optional `Kicker` paragraph (引题), then its title in `Heading 1` with the
  bookmark `_Toc_c<n>` around the whole paragraph (outside it, so retyping the title keeps
  it). A title the PDF sets on two lines has a line break (`w:br`) where its full-width
  space was. Right after the title, the case number: a paragraph in the hidden
  `Case Number` style (mark included, it takes no room) holding a `SEQ 案 \\* ARABIC`
  field inside the bookmark `_CaseNo_<id hash>` that the captions refer to. Then
  `Case Subtitle`, `Series`, `Byline`, `Source`, the blocks (`Heading 2`–4, `Body Text`,
  `Lead Paragraph`, `Note`) and a `Source Note`. Each part and each case is a section of
  its own (`w:sectPr` in its last paragraph, `oddPage`).
- A figure with its photo: a `Figure` paragraph with the inline picture(s), alt text
  (`wp:docPr/@descr`) "图 n-m　caption".
- A figure still without a photo (missing_images = "placeholder"): a block-level picture
  content control, `w:sdt` with `w:sdtPr/w:picture`, `w:tag` =
  "publisher:figure:<case id>:<m>" and `w:alias` = "图 n-m　图片待补"; its `w:sdtContent`
  is one `Figure` paragraph with the placeholder picture, `wp:docPr/@name` =
  "publisher-placeholder". Word and WPS replace that picture with the one the editor picks
  (keeping the `w:sdt` and its tag): a picture in the control whose `wp:docPr/@name` is
  not "publisher-placeholder" is the editor's photo.
- Then, for every figure, its caption: a `Caption` paragraph of the text "图 ", a
  `REF _CaseNo_<id hash>` field (result n, the case number), "-", a `SEQ 图n \\* ARABIC`
  field (result m), "　", the caption, and "　" + the credit in the `Credit` character
  style.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from docx.oxml.text.paragraph import CT_P
from docx.section import Section
from docx.shared import Emu

from ...look import toc
from ...look.presentation import (
    PLACEHOLDER,
    byline,
    dateline,
    format_date,
    run_in_level,
    series,
    source_note,
    subtitle,
    title_lines,
)
from ...look.styletable import page_geometry
from ...look.theme import Theme
from ...model import Case, Compendium, Figure, Heading, Note, Paragraph
from ...support.options import WriterOptions
from ..preflight import Preflight
from . import markers, oxml
from .placeholder import NAME as PLACEHOLDER_NAME
from .placeholder import placeholder_png, placeholder_size_mm
from .styles import (
    CASE_NUMBER_ID,
    STYLE,
    Fonts,
    apply_styles,
    document_grid,
    font_table_entries,
    footer_distance_mm,
    style_id,
)

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# The template's parts that would contradict the styles: its list definitions point at
# list styles the writer removes (nothing here is a list).
_DROP = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    _RT + "customXml",
    _RT + "numbering",
)
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"

FIGURE_TAG = "publisher:figure:"  # + case id + ":" + figure number: a placeholder's w:tag


def figure_sequence(case_number: int) -> str:
    """The SEQ field of case n's figure numbers: one sequence per case (`SEQ 图3`), so
    each case counts from 1 with no restart switch. A restart switch (`\\r 1` on a case's
    first figure) is dropped by a LibreOffice save. The name is only an identifier: a
    case keeps it wherever it is moved."""
    return f"SEQ 图{case_number} \\* ARABIC"


# The case number n of 图 n-m: one SEQ field per case, in a hidden paragraph after its
# title, counts the cases in document order; each caption shows it through a REF to the
# bookmark around it. So n follows the cases when they are moved and fields updated, in
# Word, WPS and LibreOffice (measured with LibreOffice 7.4: both fields survive its open, save and
# field update; `SEQ 案 \\c` in the captions, a repeat of the last case number, does not:
# LibreOffice saves it as one more count).
CASE_SEQUENCE = "SEQ 案 \\* ARABIC"


def case_number_bookmark(case: Case) -> str:
    """The bookmark around a case's hidden number, named by the case (not its position)."""
    return f"_CaseNo_{markers.id_hash(case.id)}"


# TOC level of each kind of entry (the TOC 1–3 styles): parts, then the preface, afterword
# and cases without a part, then cases under a part (indented), as the PDF's TOC.
_TOC_LEVEL = {"part": 1, "front": 2, "back": 2, "case": 2}


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int  # 1 = part, 2 = preface, afterword, case; 3 = case under a part
    text: str
    bookmark: str
    case_id: str


@dataclass(frozen=True, slots=True)
class MissingImage:
    case_id: str
    label: str  # 图 n-m
    caption: str
    image: str  # the path the content names, "" when none


def bookmark_name(case_number: int) -> str:
    """Hidden (`_Toc…`) bookmark of a case title."""
    return f"_Toc_c{case_number}"


def _bookmark_of(entry: toc.TocEntry, numbers: dict[str, int]) -> str:
    if entry.kind == "case":
        return bookmark_name(numbers[entry.case_id])
    if entry.kind == "part":
        return f"_Toc_p{entry.part_number}"
    return f"_Toc_{entry.kind}"


def toc_entries(compendium: Compendium, pre: Preflight | None = None) -> list[TocEntry]:
    """What the TOC lists, in order: the PDF's entries (the pre-flight's, from
    `publisher.look.toc`), with the TOC level and bookmark of each in the DOCX."""
    numbers = pre.case_numbers if pre else {c.id: n for n, c in enumerate(compendium.cases, 1)}
    entries = pre.toc if pre else toc.toc_entries(compendium)
    return [
        TocEntry(
            3 if e.in_part else _TOC_LEVEL[e.kind], e.text, _bookmark_of(e, numbers), e.case_id
        )
        for e in entries
    ]


def toc_instruction(compendium: Compendium) -> str:
    """The TOC field collects exactly those paragraphs by style (`\\t`), so Word's or
    WPS's refresh lists what the PDF lists (not the cases' own headings)."""
    case_level = 3 if compendium.has_parts else 2
    styles = f"{STYLE['part']},1,{STYLE['matter_title']},2,Heading 1,{case_level}"
    return f'TOC \\h \\z \\t "{styles}"'


@dataclass(frozen=True, slots=True)
class _Running:
    """A running head or foot: its style, and its text or a field with that cached result."""

    style: str  # a STYLE key
    text: str = ""
    field: str = ""
    around: tuple[str, str] = ("", "")  # text before and after the field: — 1 —


@dataclass(frozen=True, slots=True)
class _SectionSpec:
    start: str  # nextPage | oddPage (starts on a right-hand page)
    number_format: str = ""  # lowerRoman | decimal
    number_start: int | None = None
    title_page: bool = False  # the opening page has its own (empty) head
    headers: dict = field(default_factory=dict)  # default | even | first → _Running;
    footers: dict = field(default_factory=dict)  # a kind not given is empty
    bare: bool = False  # no headers or footers at all (the cover)


class Composer:
    """Builds one python-docx Document from the model; used once."""

    def __init__(
        self,
        compendium: Compendium,
        theme: Theme,
        options: WriterOptions,
        fonts: Fonts,
        pages: dict[str, str] | None,
        pre: Preflight,
    ) -> None:
        self.c, self.theme, self.options, self.fonts = compendium, theme, options, fonts
        self.pre = pre  # numbers, TOC, photos and styles, computed once for all writers
        self.pages = pages  # bookmark → page number text, None when unknown
        self.doc = docx.Document()
        self.body = self.doc.element.body
        self.bookmark_id = 0
        self.sdt_id = 0
        self.missing: list[MissingImage] = []
        self._pending: _SectionSpec | None = None  # the open section, ended by the next
        self._body_started = False

    # --- package-level setup ---------------------------------------------------------

    def setup(self) -> None:
        for child in list(self.body):
            if child.tag != oxml.qn("w:sectPr"):
                self.body.remove(child)
        lang = self.c.lang or "zh-CN"
        apply_styles(self.doc, self.theme, self.pre.styles, self.fonts, lang)
        settings = self.doc.settings.element
        oxml.set_setting(settings, "w:characterSpacingControl", val="compressPunctuation")
        oxml.set_setting(settings, "w:themeFontLang", val="en-US", eastAsia=lang)
        oxml.set_setting(settings, "w:defaultTabStop", val=oxml.twips(self.theme.sizes.body * 2))
        oxml.set_setting(settings, "w:mirrorMargins")
        oxml.remove_setting(settings, "w:rsids")
        # The template's "spelling and grammar checked, clean" is not true of this text:
        # without it Word and WPS proofread the book for its editors.
        oxml.remove_setting(settings, "w:proofState")
        oxml.set_compatibility_mode(settings, 15)
        # Word and WPS refresh the TOC, page references, SEQ, REF and STYLEREF fields on opening
        # (they paginate differently from LibreOffice, whose numbers are only a first fill).
        oxml.set_setting(settings, "w:updateFields", val="true")
        # Parts of the template that would contradict the styles or date the file.
        part = self.doc.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype in _DROP:
                part.drop_rel(rid)
            elif rel.reltype == _RT + "fontTable":
                self._font_table(rel.target_part)
            elif rel.reltype == _RT + "theme":
                oxml.theme_fonts(
                    rel.target_part.element,
                    major=self.fonts.heading,
                    minor=self.fonts.body,
                    latin=self.fonts.latin,
                )
        pkg = part.package
        for rid, rel in list(pkg.rels.items()):
            if rel.reltype == _THUMBNAIL:
                pkg.rels.pop(rid)

    def _font_table(self, font_part) -> None:
        entries, seen = [], set()
        for name, alt, family in font_table_entries(self.fonts):
            if name not in seen:
                seen.add(name)
                entries.append(
                    oxml.font_entry(name, alt_name=alt if alt != name else "", family=family)
                )
        if self.fonts.latin not in seen:
            entries.append(oxml.font_entry(self.fonts.latin, family="roman", charset="00"))
        oxml.replace_fonts(font_part.element, entries)

    # --- paragraphs ------------------------------------------------------------------

    def para(self, key: str, text: str = "") -> CT_P:
        """A new body paragraph in the style of model element `key`. The composer works
        on python-docx's element classes (`docx.oxml`), as its own proxies do."""
        p = self.body.add_p()
        p.get_or_add_pPr().get_or_add_pStyle().val = style_id(key)
        if text:
            p.append(oxml.text_run(text))
        return p

    def _picture(
        self, p: CT_P, image, width_mm: float, height_mm: float, alt: str, name: str = ""
    ) -> None:
        """A picture in its own run at the end of `p` (python-docx's public part API)."""
        inline = self.doc.part.new_pic_inline(
            image, Emu(round(width_mm * 36000)), Emu(round(height_mm * 36000))
        )
        for side in ("distT", "distB", "distL", "distR"):  # LibreOffice's default spacing
            inline.set(side, "0")  # would push a pair onto two lines
        p.add_r().add_drawing(inline)
        oxml.set_alt_text(inline, alt, **({"name": name} if name else {}))

    def _bookmark(self, p: CT_P, name: str) -> None:
        """Around the whole paragraph, outside it: setting its text (python-docx's
        `paragraph.text = …`, retyping it in Word) keeps the bookmark."""
        self.bookmark_id += 1
        start, end = oxml.bookmark(self.bookmark_id, name)
        p.addprevious(start)
        p.addnext(end)

    # --- sections --------------------------------------------------------------------

    def _section(self, spec: _SectionSpec) -> None:
        """Close the open section at the last paragraph and open a new one."""
        self._flush(final=False)
        self._pending = spec

    def _flush(self, final: bool) -> None:
        if self._pending is None:
            return
        spec, self._pending = self._pending, None
        page = page_geometry(self.theme)  # the PDF's text block: whole characters wide
        sect = oxml.new_sectpr(
            width_mm=page.width_mm,
            height_mm=page.height_mm,
            top_mm=page.top,
            bottom_mm=page.bottom,
            inside_mm=page.inside,
            outside_mm=page.outside,
            header_mm=page.top * 0.5,
            footer_mm=footer_distance_mm(self.theme),
            number_format=spec.number_format,
            number_start=spec.number_start,
            start=spec.start,
            grid=document_grid(self.theme),
        )
        if final:
            oxml.replace_sectpr(self.body.find(oxml.qn("w:sectPr")), sect)
        else:
            # The last paragraph, found from the end: a findall per section was quadratic.
            last = next(self.body.iterchildren(oxml.qn("w:p"), reversed=True))
            oxml.attach_sectpr(last, sect)
        section = Section(sect, self.doc.part)
        if spec.bare:
            return
        section.different_first_page_header_footer = spec.title_page
        # Every header and footer of its own, empty ones too: Word would otherwise inherit
        # the previous section's, and LibreOffice does not inherit at all.
        kinds = ("default", "even", "first") if spec.title_page else ("default", "even")
        for kind in kinds:
            header = {
                "default": section.header,
                "even": section.even_page_header,
                "first": section.first_page_header,
            }[kind]
            footer = {
                "default": section.footer,
                "even": section.even_page_footer,
                "first": section.first_page_footer,
            }[kind]
            self._running(header, spec.headers.get(kind), "header")
            self._running(footer, spec.footers.get(kind), "footer")

    def _running(self, part, content: _Running | None, default_style: str) -> None:
        part.is_linked_to_previous = False
        p = part.part.element.p_lst[0]  # the header or footer part's first paragraph
        style = content.style if content is not None else default_style
        p.get_or_add_pPr().get_or_add_pStyle().val = style_id(style)
        if content is None:
            return
        if content.field:
            before, after = content.around
            if before:
                p.append(oxml.text_run(before))
            for r in oxml.field_runs(content.field, content.text):
                p.append(r)
            if after:
                p.append(oxml.text_run(after))
        elif content.text:
            p.append(oxml.text_run(content.text))

    def _folios(self) -> tuple[_Running, _Running]:
        """The folio of odd and of even pages: centred, or on the outer side between
        dashes (公文: — 1 —, right on odd pages, left on even)."""
        page = self.theme.page
        around = ("— ", " —") if page.folio_dashes else ("", "")
        if page.folio == "outside":
            return (
                _Running("folio_right", "1", "PAGE", around),
                _Running("folio_left", "1", "PAGE", around),
            )
        centred = _Running("footer", "1", "PAGE", around)
        return centred, centred

    def _lead_style(self, run) -> str:
        """A run-in lead's character style: numbered as a heading (（一）…) in that
        level's face where the theme says so, else bold."""
        level = run_in_level(self.theme, run.text)
        return style_id(f"lead{level}" if level else "lead")

    def _heads(self, heads: dict) -> dict:
        """Running heads, none where the theme has none (公文)."""
        return heads if self.theme.page.running_heads else {}

    def _body_start(self) -> int | None:
        """Page numbering restarts at 1 at the first section of the body."""
        first, self._body_started = not self._body_started, True
        return 1 if first else None

    # --- the book ----------------------------------------------------------------------

    def compose(self) -> None:
        """Sections as the PDF's pages: the cover; preface and TOC each from a right-hand
        page, numbered i, ii…; each part page and each case from a right-hand page
        (odd-page breaks), numbered from 1; no running head on the opening pages; the book
        title over left pages and the case title over right pages."""
        self.setup()
        self.doc.settings.odd_and_even_pages_header_footer = True
        c = self.c
        self._section(_SectionSpec("nextPage", bare=True))  # the cover
        self.para("title", c.title)
        if c.subtitle:
            self.para("subtitle", c.subtitle)
        if c.compiler:
            self.para("compiler", c.compiler)
        cover_date = c.date or self.options.date  # as the PDF's cover: content, then build date
        if cover_date:
            self.para("cover_date", format_date(cover_date))

        roman_page, roman_even = self._folios()
        if c.preface:
            self._section(
                _SectionSpec(
                    "oddPage", "lowerRoman", 1, footers={"default": roman_page, "even": roman_even}
                )
            )
            title = self.para("matter_title", c.preface_title)
            self._bookmark(title, "_Toc_front")
            self.blocks(c.preface, None)
        self._section(
            _SectionSpec(
                "oddPage",
                "lowerRoman",
                None if c.preface else 1,
                footers={"default": roman_page, "even": roman_even},
            )
        )
        self.toc()

        book_head = _Running("header_left", c.title)
        page_number, page_even = self._folios()
        numbers = {e.case_id or e.bookmark: e.bookmark for e in toc_entries(c, self.pre)}
        for part_number, part in enumerate(c.parts, 1):
            if part.title and c.has_parts:
                self._section(
                    _SectionSpec("oddPage", "decimal", self._body_start(), title_page=True)
                )
                title = self.para("part", part.title)
                self._bookmark(title, f"_Toc_p{part_number}")
            for case in part.cases:
                case_head = _Running(
                    "header_right", case.title, f'STYLEREF "{STYLE["case_title"]}"'
                )
                self._section(
                    _SectionSpec(
                        "oddPage",
                        "decimal",
                        self._body_start(),
                        title_page=True,
                        headers=self._heads({"default": case_head, "even": book_head}),
                        footers={"default": page_number, "even": page_even, "first": page_number},
                    )
                )
                self.case(case, numbers[case.id])
        if c.afterword:
            self._section(
                _SectionSpec(
                    "oddPage",
                    "decimal",
                    self._body_start(),
                    headers=self._heads({"even": book_head}),
                    footers={"default": page_number, "even": page_even},
                )
            )
            title = self.para("matter_title", c.afterword_title)
            self._bookmark(title, "_Toc_back")
            self.blocks(c.afterword, None)
        self._flush(final=True)

    def toc(self) -> None:
        self.para("toc_heading", "目录")
        entries = toc_entries(self.c, self.pre)
        instruction = toc_instruction(self.c)
        if not entries:
            p = self.para("toc1")
            runs = oxml.field_runs(instruction, parts="open") + oxml.field_runs("", parts="close")
            for r in runs:
                p.append(r)
            return
        for i, entry in enumerate(entries):
            p = self.para(f"toc{entry.level}")
            if i == 0:
                for r in oxml.field_runs(instruction, parts="open"):
                    p.append(r)
            page = (self.pages or {}).get(entry.bookmark, "")
            link = [
                oxml.text_run(entry.text),
                oxml.tab_run(),
                *oxml.field_runs(f"PAGEREF {entry.bookmark} \\h", page),
            ]
            p.append(oxml.hyperlink(entry.bookmark, link))
        for r in oxml.field_runs("", parts="close"):
            p.append(r)
        # An empty Normal paragraph after the field carries the section break: LibreOffice
        # drops the section's footer fields when the break sits inside the TOC field.
        self.body.add_p()

    def case(self, case: Case, bookmark: str) -> None:
        start = len(self.body) - 1  # paragraphs go before the body's sectPr
        self._case(case, bookmark)
        self.bookmark_id += 1  # the case marker `publisher absorb` maps paragraphs by
        markers.wrap(self.body[start:-1], self.bookmark_id, markers.case_marker(case))

    def _case(self, case: Case, bookmark: str) -> None:
        n = self.pre.case_numbers[case.id]
        if case.kicker:
            self.para("kicker", case.kicker)
        # The title breaks where the PDF's does (a line break, not two paragraphs).
        title = self.para("case_title")
        title.append(oxml.text_lines_run(title_lines(case.title, self.theme)))
        if case.kicker:
            # The kicker carries the opening space: the title sits right under it. The
            # one direct format in the body (a second title style would escape the TOC
            # and the running heads, which look for Heading 1).
            after = self.pre.styles.case_title.after
            oxml.set_spacing(title.get_or_add_pPr(), before=0, after=after)
        self._bookmark(title, bookmark)
        self._case_number(case, n)
        for key, text in (
            ("case_subtitle", subtitle(case)),
            ("series", series(case)),
            ("byline", byline(case)),
            ("source", dateline(case)),
        ):
            if text:
                self.para(key, text)
        self.blocks(case.blocks, case, n)
        note = source_note(case)
        if note:
            self.para("source_note", note)

    def _case_number(self, case: Case, n: int) -> None:
        """The hidden paragraph that counts the case, right after its title: it moves with
        the title and what follows, and retyping the title leaves it alone."""
        p = self.body.add_p()
        p.get_or_add_pPr().get_or_add_pStyle().val = CASE_NUMBER_ID
        self.bookmark_id += 1
        start, end = oxml.bookmark(self.bookmark_id, case_number_bookmark(case))
        for el in (start, *oxml.field_runs(CASE_SEQUENCE, str(n)), end):
            p.append(el)

    def blocks(self, blocks, case: Case | None, n: int = 0) -> None:
        numbered = self.pre.figures[case.id] if case is not None else {}
        for i, block in enumerate(blocks):
            if isinstance(block, Heading):
                self.para(f"heading{block.level}", block.text)
            elif isinstance(block, Paragraph):
                if all(run.strong for run in block.runs):
                    # A lead sentence standing alone heads what follows: never at a page foot.
                    self.para("lead_paragraph", block.text)
                    continue
                p = self.para("body")
                for run in block.runs:
                    p.append(oxml.text_run(run.text, self._lead_style(run) if run.strong else ""))
            elif isinstance(block, Figure):
                nf = numbered.get(i)
                self.figure(block, case, nf)
            elif isinstance(block, Note):
                self.para("note", block.text)

    def figure(self, fig: Figure, case: Case | None, nf) -> None:
        case_id = case.id if case is not None else ""
        label = nf.label if nf is not None else ""
        placed = self._placed(case, nf)
        if placed is not None:
            p = self.para("figure")
            for k, image in enumerate(placed.images):  # the image stage's file, at its size
                if k:
                    p.append(oxml.text_run("\u3000"))  # one character between a pair
                self._picture(
                    p,
                    str(image.path),
                    image.width_mm,
                    image.height_mm,
                    f"{label}　{fig.caption}".strip(),
                )
        else:
            # (missing_images = "error" stopped the build in the pre-flight)
            self.missing.append(MissingImage(case_id, label, fig.caption, fig.image))
            if self.options.missing_images == "placeholder":
                self._placeholder(fig, case, nf)
        cap = self.para("caption")
        if placed is not None:  # no wider than the photos above it
            self._narrow(cap, placed.width_mm)
        if nf is not None and case is not None:
            cap.append(oxml.text_run("图 "))
            number = oxml.field_runs(f"REF {case_number_bookmark(case)}", str(nf.case_number))
            figure = oxml.field_runs(figure_sequence(nf.case_number), str(nf.number))
            for r in (*number, oxml.text_run("-"), *figure, oxml.text_run("　")):
                cap.append(r)
        cap.append(oxml.text_run(fig.caption))
        if fig.credit:
            cap.append(oxml.text_run("　" + fig.credit, style_id("credit")))

    def _placeholder(self, fig: Figure, case: Case | None, nf) -> None:
        """A picture content control holding the placeholder picture, in a Figure
        paragraph (see the module docstring for the structure `publisher absorb` reads)."""
        p = self.para("figure")
        width, height = placeholder_size_mm(self.theme)
        label = nf.label if nf is not None else ""
        self._picture(
            p,
            io.BytesIO(placeholder_png(self.theme.colors.muted)),
            width,
            height,
            f"{label}　{fig.caption}".strip(),
            name=PLACEHOLDER_NAME,
        )
        self.sdt_id += 1
        case_id = case.id if case is not None else ""
        number = nf.number if nf is not None else 0
        oxml.picture_content_control(
            p,
            sdt_id=self.sdt_id,
            tag=f"{FIGURE_TAG}{case_id}:{number}",
            alias=f"{label}　{PLACEHOLDER}".strip(),
        )

    def _placed(self, case: Case | None, nf):
        """As the PDF: the image stage's photos, or None for a missing image (placeholder,
        caption only or an error, by `missing_images`)."""
        if case is None or nf is None:
            return None
        for index, numbered in self.pre.figures[case.id].items():
            if numbered.number == nf.number:
                placed = self.pre.images.get(case.id, index)
                return None if placed is None or placed.missing else placed
        return None

    def _narrow(self, p: CT_P, width_mm: float) -> None:
        text_width = page_geometry(self.theme).text_width_mm
        indent = Emu(round(max(0.0, (text_width - width_mm) / 2) * 36000))
        ppr = p.get_or_add_pPr()
        ppr.ind_left, ppr.ind_right = indent, indent
