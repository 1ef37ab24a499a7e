"""The walk over the content model: cover, front matter, TOC, parts, cases, back matter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
from docx.image.image import Image
from docx.section import Section
from docx.shared import Emu
from docx.text.paragraph import Paragraph as DocxParagraph

from ...errors import ContentError
from ...images import image_file
from ...model import Case, Compendium, Figure, Heading, Note, Paragraph
from ...options import WriterOptions
from ...presentation import PLACEHOLDER, byline, dateline, format_date, series, source_note, subtitle
from ...theme import Theme
from . import markers, oxml
from .styles import STYLE, Fonts, apply_styles, font_table_entries, style_id

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# The template's parts that would contradict the styles: its list definitions point at
# list styles the writer removes (nothing here is a list).
_DROP = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
         _RT + "customXml", _RT + "numbering")
_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"

TOC_INSTRUCTION = r'TOC \o "1-3" \h \z \u'
PLACEHOLDER_TEXT = f"〔{PLACEHOLDER}〕"  # a framed paragraph; the brackets mark it in Word


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int          # 1 = case, 2 and 3 = its headings
    text: str
    bookmark: str
    case_id: str


@dataclass(frozen=True, slots=True)
class MissingImage:
    case_id: str
    label: str          # 图 n-m
    caption: str
    image: str          # the path the content names, "" when none


def bookmark_name(case_number: int, block: int | None = None) -> str:
    """Hidden (`_Toc…`) bookmark of a case title or of one of its headings."""
    return f"_Toc_c{case_number}" if block is None else f"_Toc_c{case_number}_b{block}"


def toc_entries(compendium: Compendium) -> list[TocEntry]:
    """What the TOC field lists, in order: exactly what Word or LibreOffice would collect
    for `\\o "1-3"`: each case title (Heading 1) and its level-1/2 headings (Heading 2/3)."""
    entries = []
    for n, case in enumerate(compendium.cases, 1):
        entries.append(TocEntry(1, case.title, bookmark_name(n), case.id))
        for i, block in enumerate(case.blocks):
            if isinstance(block, Heading) and block.level <= 2:
                entries.append(TocEntry(block.level + 1, block.text, bookmark_name(n, i),
                                        case.id))
    return entries


class Composer:
    """Builds one python-docx Document from the model; used once."""

    def __init__(self, compendium: Compendium, theme: Theme, options: WriterOptions,
                 fonts: Fonts, pages: dict[str, str] | None) -> None:
        self.c, self.theme, self.options, self.fonts = compendium, theme, options, fonts
        self.pages = pages  # bookmark → page number text, None when unknown
        self.doc = docx.Document()
        self.body = self.doc.element.body
        self.bookmark_id = 0
        self.missing: list[MissingImage] = []
        self._pending: dict | None = None  # the open section, ended by the next one

    # --- package-level setup ---------------------------------------------------------

    def setup(self) -> None:
        for child in list(self.body):
            if child.tag != oxml.qn("w:sectPr"):
                self.body.remove(child)
        lang = self.c.lang or "zh-CN"
        apply_styles(self.doc, self.theme, self.fonts, lang)
        settings = self.doc.settings.element
        oxml.set_setting(settings, "w:characterSpacingControl", val="compressPunctuation")
        oxml.set_setting(settings, "w:themeFontLang", val="en-US", eastAsia=lang)
        oxml.set_setting(settings, "w:defaultTabStop", val=oxml.twips(self.theme.sizes.body * 2))
        oxml.set_setting(settings, "w:mirrorMargins")
        oxml.remove_setting(settings, "w:rsids")
        oxml.set_compatibility_mode(settings, 15)
        # Word and WPS refresh the TOC, page references, SEQ and STYLEREF fields on opening
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
                rel.target_part._blob = oxml.theme_east_asian(
                    rel.target_part.blob, major=self.fonts.heading, minor=self.fonts.body)
        pkg = part.package
        for rid, rel in list(pkg.rels.items()):
            if rel.reltype == _THUMBNAIL:
                pkg.rels.pop(rid)

    def _font_table(self, font_part) -> None:
        entries, seen = [], set()
        for name, alt, family in font_table_entries(self.fonts):
            if name not in seen:
                seen.add(name)
                entries.append(oxml.font_entry(name, alt_name=alt if alt != name else "",
                                               family=family))
        if self.fonts.latin not in seen:
            entries.append(oxml.font_entry(self.fonts.latin, family="roman", charset="00"))
        font_part._blob = oxml.replace_fonts(font_part.blob, entries)

    # --- paragraphs ------------------------------------------------------------------

    def para(self, key: str, text: str = "") -> DocxParagraph:
        p = self.doc.add_paragraph(style=None)
        p._p.get_or_add_pPr().get_or_add_pStyle().val = style_id(key)
        if text:
            p._p.append(oxml.text_run(text))
        return p

    def _bookmark(self, p: DocxParagraph, name: str) -> None:
        """Around the whole paragraph, outside it: setting its text (python-docx's
        `paragraph.text = …`, retyping it in Word) keeps the bookmark."""
        self.bookmark_id += 1
        start, end = oxml.bookmark(self.bookmark_id, name)
        p._p.addprevious(start)
        p._p.addnext(end)

    # --- sections --------------------------------------------------------------------

    def _section(self, *, header: str | None, header_field: str = "",
                 number_format: str = "", number_start: int | None = None,
                 footer: bool = True) -> None:
        """Close the open section at the last paragraph and open a new one; `header`
        None = no header of its own (cover: none at all), "" = an empty header."""
        self._flush(final=False)
        self._pending = dict(header=header, header_field=header_field,
                             number_format=number_format, number_start=number_start,
                             footer=footer)

    def _flush(self, final: bool) -> None:
        if self._pending is None:
            return
        cfg, self._pending = self._pending, None
        page = self.theme.page
        sect = oxml.new_sectpr(
            width_mm=page.width_mm, height_mm=page.height_mm, top_mm=page.margin_top,
            bottom_mm=page.margin_bottom, inside_mm=page.margin_inside,
            outside_mm=page.margin_outside, header_mm=page.margin_top * 0.5,
            footer_mm=page.margin_bottom * 0.5, number_format=cfg["number_format"],
            number_start=cfg["number_start"])
        if final:
            oxml.replace_sectpr(self.body.find(oxml.qn("w:sectPr")), sect)
        else:
            last = self.body.findall(oxml.qn("w:p"))[-1]
            oxml.attach_sectpr(last, sect)
        section = Section(sect, self.doc.part)
        if cfg["header"] is not None:
            section.header.is_linked_to_previous = False
            hp = section.header.paragraphs[0]
            hp._p.get_or_add_pPr().get_or_add_pStyle().val = style_id("header")
            if cfg["header_field"]:
                for r in oxml.field_runs(cfg["header_field"], cfg["header"]):
                    hp._p.append(r)
            elif cfg["header"]:
                hp._p.append(oxml.text_run(cfg["header"]))
        if cfg["footer"]:
            # A footer of its own in every section: LibreOffice does not inherit one.
            section.footer.is_linked_to_previous = False
            fp = section.footer.paragraphs[0]
            fp._p.get_or_add_pPr().get_or_add_pStyle().val = style_id("footer")
            for r in oxml.field_runs("PAGE", "1"):
                fp._p.append(r)

    # --- the book ----------------------------------------------------------------------

    def compose(self) -> None:
        self.setup()
        c = self.c
        self._section(header=None, footer=False)  # the cover
        self.para("title", c.title)
        if c.subtitle:
            self.para("subtitle", c.subtitle)
        if c.compiler:
            self.para("compiler", c.compiler)
        cover_date = c.date or self.options.date  # as the PDF's cover: content, then build date
        if cover_date:
            self.para("cover_date", format_date(cover_date))

        self._section(header=c.title, number_format="lowerRoman", number_start=1)
        if c.preface:
            self.para("matter_title", c.preface_title)
            self.blocks(c.preface, None)
        self.toc()

        first = True
        for part in c.parts:
            if part.title and c.has_parts:
                self._section(header="", number_format="decimal",
                              number_start=1 if first else None)
                first = False
                self.para("part", part.title)
            for case in part.cases:
                self._section(header=case.title, header_field=f'STYLEREF "{STYLE["case_title"]}"',
                              number_format="decimal", number_start=1 if first else None)
                first = False
                self.case(case)
        if c.afterword:
            self._section(header=c.afterword_title, number_format="decimal",
                          number_start=1 if first else None)
            self.para("matter_title", c.afterword_title)
            self.blocks(c.afterword, None)
        self._flush(final=True)

    def toc(self) -> None:
        self.para("toc_heading", "目录")
        entries = toc_entries(self.c)
        if not entries:
            p = self.para("toc1")
            for r in oxml.field_runs(TOC_INSTRUCTION, parts="open") + oxml.field_runs("", parts="close"):
                p._p.append(r)
            return
        for i, entry in enumerate(entries):
            p = self.para(f"toc{entry.level}")
            if i == 0:
                for r in oxml.field_runs(TOC_INSTRUCTION, parts="open"):
                    p._p.append(r)
            page = (self.pages or {}).get(entry.bookmark, "")
            link = [oxml.text_run(entry.text), oxml.tab_run(),
                    *oxml.field_runs(f"PAGEREF {entry.bookmark} \\h", page)]
            p._p.append(oxml.hyperlink(entry.bookmark, link))
        for r in oxml.field_runs("", parts="close"):
            p._p.append(r)
        # An empty Normal paragraph after the field carries the section break: LibreOffice
        # drops the section's footer fields when the break sits inside the TOC field.
        self.doc.add_paragraph()

    def case(self, case: Case) -> None:
        start = len(self.body) - 1  # paragraphs go before the body's sectPr
        self._case(case)
        self.bookmark_id += 1  # the case marker `publisher absorb` maps paragraphs by
        markers.wrap(self.body[start:-1], self.bookmark_id, markers.case_marker(case))

    def _case(self, case: Case) -> None:
        n = self.c.case_number(case)
        if case.kicker:
            self.para("kicker", case.kicker)
        title = self.para("case_title", case.title)
        self._bookmark(title, bookmark_name(n))
        for key, text in (("case_subtitle", subtitle(case)), ("series", series(case)),
                          ("byline", byline(case)), ("source", dateline(case))):
            if text:
                self.para(key, text)
        self.blocks(case.blocks, case, n)
        note = source_note(case)
        if note:
            self.para("source_note", note)

    def blocks(self, blocks, case: Case | None, n: int = 0) -> None:
        numbered = self.c.numbered_figures(case) if case is not None else {}
        first_figure = True
        for i, block in enumerate(blocks):
            if isinstance(block, Heading):
                p = self.para(f"heading{block.level}", block.text)
                if case is not None and block.level <= 2:
                    self._bookmark(p, bookmark_name(n, i))
            elif isinstance(block, Paragraph):
                if all(run.strong for run in block.runs):
                    # A lead sentence standing alone heads what follows: never at a page foot.
                    self.para("lead_paragraph", block.text)
                    continue
                p = self.para("body")
                for run in block.runs:
                    p._p.append(oxml.text_run(run.text, style_id("lead") if run.strong else ""))
            elif isinstance(block, Figure):
                nf = numbered.get(i)
                self.figure(block, case, nf, restart=first_figure)
                first_figure = False
            elif isinstance(block, Note):
                self.para("note", block.text)

    def figure(self, fig: Figure, case: Case | None, nf, restart: bool) -> None:
        case_id = case.id if case is not None else ""
        label = nf.label if nf is not None else ""
        path = self._image_path(fig, case)
        if path is not None:
            p = self.para("figure")
            run = p.add_run()
            width, height = self._picture_size(path)
            run.add_picture(str(path), width=width, height=height)
            inline = run._r.xpath(".//wp:inline")[0]
            oxml.set_alt_text(inline, f"{label}　{fig.caption}".strip())
        else:
            self.missing.append(MissingImage(case_id, label, fig.caption, fig.image))
            policy = self.options.missing_images
            if policy == "error":
                raise ContentError(f"figure {label} has no image: {fig.caption}",
                                   path=case.source_file if case else "", line=fig.line)
            if policy == "placeholder":
                self.para("placeholder", PLACEHOLDER_TEXT)
        cap = self.para("caption")
        if nf is not None:
            cap._p.append(oxml.text_run(f"图 {nf.case_number}-"))
            instr = "SEQ 图 \\* ARABIC" + (" \\r 1" if restart else "")
            for r in oxml.field_runs(instr, str(nf.number)):
                cap._p.append(r)
            cap._p.append(oxml.text_run("　"))
        cap._p.append(oxml.text_run(fig.caption))
        if fig.credit:
            cap._p.append(oxml.text_run("　" + fig.credit, style_id("credit")))

    def _image_path(self, fig: Figure, case: Case | None) -> Path | None:
        """As the PDF: a missing file is a missing image (placeholder, caption only or an
        error, by `missing_images`); the build has checked that present files are images."""
        return image_file(Path(self.options.content_dir), fig.image)

    def _picture_size(self, path: Path) -> tuple[Emu, Emu]:
        img = Image.from_file(str(path))
        page = self.theme.page
        max_w = Emu(round((page.width_mm - page.margin_inside - page.margin_outside) * 36000))
        max_h = Emu(round((page.height_mm - page.margin_top - page.margin_bottom) * 0.55 * 36000))
        w, h = img.width, img.height
        scale = min(1.0, max_w / w, max_h / h)
        return Emu(round(w * scale)), Emu(round(h * scale))
