"""Open XML helpers for the DOCX writer: run and paragraph properties in schema order,
East-Asian fonts, fields (TOC, PAGEREF, SEQ, STYLEREF, PAGE), bookmarks, sections, settings.

This is the only module of the writer that names WordprocessingML elements; the rest of
the writer calls these helpers or python-docx's own API (like python-docx's `oxml` layer).

Child order matters: Word "repairs" a file whose `w:pPr`/`w:rPr`/`w:sectPr`/`w:settings`
children are out of order, where LibreOffice silently tolerates it. Every helper here
inserts through `put()`, which places a child where the schema's `xsd:sequence` says.
The sequences are those of ECMA-376 Part 1 (5th ed.; identical in ISO/IEC 29500-1:2016),
WordprocessingML schema `wml.xsd`: CT_PPrBase + CT_PPr (§17.3.1.26), CT_RPr / EG_RPrBase
(§17.3.2.28), CT_SectPr (§17.6.17), CT_Style (§17.7.4.17), CT_Settings (§17.15.1.78),
CT_Font (§17.8.3.10).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.section import CT_SectPr
from lxml import etree

__all__ = [
    "SEQUENCES",
    "put",
    "get_or_add",
    "element",
    "twips",
    "mm_twips",
    "set_fonts",
    "set_lang",
    "set_size",
    "set_bold",
    "set_color",
    "set_hidden",
    "set_rstyle",
    "set_spacing",
    "set_indent",
    "set_jc",
    "set_keep",
    "set_outline_level",
    "add_tab",
    "set_border",
    "set_widow_control",
    "set_east_asian_layout",
    "field_runs",
    "text_run",
    "text_lines_run",
    "tab_run",
    "bookmark",
    "hyperlink",
    "new_sectpr",
    "attach_sectpr",
    "replace_sectpr",
    "set_setting",
    "remove_setting",
    "set_compatibility_mode",
    "app_properties",
    "font_entry",
    "set_alt_text",
    "picture_content_control",
    "replace_fonts",
    "theme_fonts",
    "remove_core_dates",
]

# --- schema sequences ---------------------------------------------------------------

_PPR = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
_RPR = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
)
_SECTPR = (
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)
_STYLE = (
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
)
_SETTINGS = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)
_FONT = (
    "altName",
    "panose1",
    "charset",
    "family",
    "notTrueType",
    "pitch",
    "sig",
    "embedRegular",
    "embedBold",
    "embedItalic",
    "embedBoldItalic",
)
_PBDR = ("top", "left", "bottom", "right", "between", "bar")

#: Child order by parent (local names in the w: namespace), from the schema.
SEQUENCES: dict[str, tuple[str, ...]] = {
    "pPr": _PPR,
    "rPr": _RPR,
    "sectPr": _SECTPR,
    "style": _STYLE,
    "settings": _SETTINGS,
    "font": _FONT,
    "pBdr": _PBDR,
}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag[len(_W) :] if isinstance(tag, str) and tag.startswith(_W) else ""


def element(tag: str, **attrs: str | int) -> etree._Element:
    """`element("w:spacing", before=240)` → `<w:spacing w:before="240"/>`."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def put(parent: etree._Element, child: etree._Element, *, replace: bool = True) -> etree._Element:
    """Insert `child` into `parent` at its schema position; an existing child of the same
    name is replaced (unless `replace` is false, for repeatable children)."""
    seq = SEQUENCES[_local(parent)]
    name = _local(child)
    rank = seq.index(name)
    if replace:
        for old in parent.findall(child.tag):
            parent.remove(old)
    for existing in parent:
        other = _local(existing)
        if other in seq and seq.index(other) > rank:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def get_or_add(parent: etree._Element, tag: str) -> etree._Element:
    found = parent.find(qn(tag))
    return found if found is not None else put(parent, OxmlElement(tag))


def twips(pt: float) -> int:
    return round(pt * 20)


def mm_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


# --- run properties -----------------------------------------------------------------


def set_fonts(rpr: etree._Element, latin: str, east_asian: str) -> None:
    """Explicit families for every script, no theme fonts, CJK font for shared punctuation."""
    put(
        rpr,
        element(
            "w:rFonts",
            ascii=latin,
            hAnsi=latin,
            eastAsia=east_asian,
            cs=east_asian,
            hint="eastAsia",
        ),
    )


def set_lang(rpr: etree._Element, lang: str = "zh-CN") -> None:
    put(rpr, element("w:lang", val="en-US", eastAsia=lang, bidi="ar-SA"))


def set_size(rpr: etree._Element, pt: float) -> None:
    half = str(round(pt * 2))
    put(rpr, element("w:sz", val=half))
    put(rpr, element("w:szCs", val=half))


def set_bold(rpr: etree._Element, on: bool = True) -> None:
    for tag in ("w:b", "w:bCs"):
        put(rpr, element(tag) if on else element(tag, val="0"))


def set_hidden(rpr: etree._Element) -> None:
    """Hidden text (`w:vanish`): kept in the file, neither shown nor printed."""
    put(rpr, element("w:vanish"))


def set_color(rpr: etree._Element, hex_color: str) -> None:
    put(rpr, element("w:color", val=hex_color.lstrip("#").upper()))


def set_rstyle(rpr: etree._Element, style_id: str) -> None:
    put(rpr, element("w:rStyle", val=style_id))


# --- paragraph properties -----------------------------------------------------------


def set_spacing(
    ppr: etree._Element,
    *,
    before: float = 0,
    after: float = 0,
    line_pt: float | None = None,
    line_rule: str = "atLeast",
) -> None:
    """Space before/after in pt; line height in pt (`atLeast`/`exact`) or, for `auto`,
    as a multiple (line_pt = 1.0 is single)."""
    attrs: dict[str, str | int] = {"before": twips(before), "after": twips(after)}
    if line_pt is not None:
        attrs["line"] = round(line_pt * 240) if line_rule == "auto" else twips(line_pt)
        attrs["lineRule"] = line_rule
    put(ppr, element("w:spacing", **attrs))


def set_indent(
    ppr: etree._Element,
    *,
    first_line_chars: float = 0,
    font_pt: float = 12,
    left_chars: float = 0,
    right_chars: float = 0,
) -> None:
    """Indents in characters (`w:firstLineChars`, hundredths of a character), with the
    twips fallback for clients that ignore the *Chars attributes."""
    attrs: dict[str, str | int] = {}
    if left_chars:
        attrs["left"] = twips(left_chars * font_pt)
        attrs["leftChars"] = round(left_chars * 100)
    if right_chars:
        attrs["right"] = twips(right_chars * font_pt)
        attrs["rightChars"] = round(right_chars * 100)
    if first_line_chars:
        attrs["firstLine"] = twips(first_line_chars * font_pt)
        attrs["firstLineChars"] = round(first_line_chars * 100)
    else:
        attrs["firstLine"] = 0
        attrs["firstLineChars"] = 0
    put(ppr, element("w:ind", **attrs))


def set_jc(ppr: etree._Element, value: str) -> None:
    put(ppr, element("w:jc", val=value))


def set_keep(
    ppr: etree._Element, *, next: bool = False, lines: bool = False, page_break_before: bool = False
) -> None:
    if next:
        put(ppr, element("w:keepNext"))
    if lines:
        put(ppr, element("w:keepLines"))
    if page_break_before:
        put(ppr, element("w:pageBreakBefore"))


def set_widow_control(ppr: etree._Element) -> None:
    put(ppr, element("w:widowControl"))


def set_east_asian_layout(ppr: etree._Element, *, auto_space: bool = True) -> None:
    """Chinese line breaking: kinsoku rules, punctuation hanging off, auto Han–Latin space
    (off when the theme's han_latin_space is 0)."""
    put(ppr, element("w:kinsoku"))
    put(ppr, element("w:overflowPunct", val="0"))
    off = {} if auto_space else {"val": "0"}
    put(ppr, element("w:autoSpaceDE", **off))
    put(ppr, element("w:autoSpaceDN", **off))


def set_outline_level(ppr: etree._Element, level: int) -> None:
    put(ppr, element("w:outlineLvl", val=level))


def add_tab(ppr: etree._Element, pos_twips: int, align: str = "right", leader: str = "dot") -> None:
    tabs = get_or_add(ppr, "w:tabs")
    tabs.append(element("w:tab", val=align, leader=leader, pos=pos_twips))


def set_border(
    ppr: etree._Element,
    sides: Iterable[str],
    *,
    size_eighths: int = 6,
    space_pt: int = 4,
    color: str = "auto",
    style: str = "single",
) -> None:
    bdr = get_or_add(ppr, "w:pBdr")
    for side in sides:
        put(
            bdr,
            element(
                f"w:{side}",
                val=style,
                sz=size_eighths,
                space=space_pt,
                color=color.lstrip("#").upper(),
            ),
        )


# --- runs, fields, bookmarks, hyperlinks ---------------------------------------------


def text_run(text: str, rstyle: str = "") -> etree._Element:
    r = OxmlElement("w:r")
    if rstyle:
        rpr = r.makeelement(qn("w:rPr"), {})
        r.append(rpr)
        set_rstyle(rpr, rstyle)
    t = element("w:t")
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def text_lines_run(lines: Iterable[str]) -> etree._Element:
    """One run with the lines separated by line breaks (`w:br`)."""
    r = OxmlElement("w:r")
    for i, line in enumerate(lines):
        if i:
            r.append(OxmlElement("w:br"))
        t = element("w:t")
        t.text = line
        r.append(t)
    return r


def tab_run() -> etree._Element:
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:tab"))
    return r


def _fld_char(kind: str, dirty: bool = False) -> etree._Element:
    r = OxmlElement("w:r")
    fc = element("w:fldChar", fldCharType=kind)
    if dirty:
        fc.set(qn("w:dirty"), "true")
    r.append(fc)
    return r


def field_runs(
    instr: str, result: str = "", *, rstyle: str = "", parts: str = "all"
) -> list[etree._Element]:
    """A complex field as runs: begin, instruction, separate, cached result, end.

    `parts` = "all", "open" (begin … separate, for a field whose result is written by the
    caller, like the TOC) or "close" (the end alone).
    """
    if parts == "close":
        return [_fld_char("end")]
    runs = [_fld_char("begin")]
    r = OxmlElement("w:r")
    it = element("w:instrText")
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    it.text = f" {instr.strip()} "
    r.append(it)
    runs += [r, _fld_char("separate")]
    if parts == "open":
        return runs
    if result:
        runs.append(text_run(result, rstyle))
    runs.append(_fld_char("end"))
    return runs


def bookmark(bid: int, name: str) -> tuple[etree._Element, etree._Element]:
    """A bookmark's start and end markers; Word limits names to 40 characters."""
    if len(name) > 40:
        raise ValueError(f"bookmark name longer than 40 characters: {name}")
    return (element("w:bookmarkStart", id=bid, name=name), element("w:bookmarkEnd", id=bid))


def hyperlink(anchor: str, children: Iterable[etree._Element]) -> etree._Element:
    link = element("w:hyperlink", anchor=anchor, history=1)
    for child in children:
        link.append(child)
    return link


# --- sections -----------------------------------------------------------------------


def new_sectpr(
    *,
    width_mm: float,
    height_mm: float,
    top_mm: float,
    bottom_mm: float,
    inside_mm: float,
    outside_mm: float,
    header_mm: float,
    footer_mm: float,
    number_format: str = "",
    number_start: int | None = None,
    start: str = "nextPage",
    grid: tuple[int, int] | None = None,
) -> CT_SectPr:
    """A section's properties: page size and margins, page numbering (`lowerRoman`,
    `decimal`; `number_start` restarts it), its start (`nextPage`, or `oddPage` for a
    right-hand page, after a blank one where needed); `grid`: the document grid's line
    pitch (twips) and character spacing (4096ths of a point added to the default size)."""
    # python-docx's element class lookup makes every w:sectPr a CT_SectPr.
    sect = cast(CT_SectPr, OxmlElement("w:sectPr"))
    put(sect, element("w:type", val=start))
    put(sect, element("w:pgSz", w=mm_twips(width_mm), h=mm_twips(height_mm)))
    put(
        sect,
        element(
            "w:pgMar",
            top=mm_twips(top_mm),
            right=mm_twips(outside_mm),
            bottom=mm_twips(bottom_mm),
            left=mm_twips(inside_mm),
            header=mm_twips(header_mm),
            footer=mm_twips(footer_mm),
            gutter=0,
        ),
    )
    if number_format or number_start is not None:
        attrs: dict[str, str | int] = {}
        if number_format:
            attrs["fmt"] = number_format
        if number_start is not None:
            attrs["start"] = number_start
        put(sect, element("w:pgNumType", **attrs))
    put(sect, element("w:cols", space=mm_twips(12.7)))
    if grid is None:
        put(sect, element("w:docGrid", type="default", linePitch=312))
    else:  # lines and characters: Word and WPS lay the text out on this grid
        put(sect, element("w:docGrid", type="linesAndChars", linePitch=grid[0], charSpace=grid[1]))
    return sect


def attach_sectpr(paragraph: etree._Element, sectpr: etree._Element) -> None:
    """End a section at `paragraph` (its `w:pPr/w:sectPr`)."""
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    put(ppr, sectpr)


def replace_sectpr(old: etree._Element, new: etree._Element) -> None:
    parent = old.getparent()
    if parent is None:
        raise ValueError("a w:sectPr to replace must have a parent")
    parent.replace(old, new)


# --- settings, fonts, drawings -------------------------------------------------------


def set_setting(settings: etree._Element, tag: str, **attrs: str | int) -> etree._Element:
    return put(settings, element(tag, **attrs))


def set_compatibility_mode(settings: etree._Element, mode: int) -> None:
    """`w:compat/w:compatSetting[@name='compatibilityMode']`: 15 = Word 2013 and later
    (no "Compatibility Mode" banner, current layout rules)."""
    compat = get_or_add(settings, "w:compat")
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    compat.append(
        element(
            "w:compatSetting",
            name="compatibilityMode",
            uri="http://schemas.microsoft.com/office/word",
            val=mode,
        )
    )


def remove_setting(settings: etree._Element, tag: str) -> None:
    for old in settings.findall(qn(tag)):
        settings.remove(old)


def font_entry(
    name: str, *, alt_name: str = "", family: str = "roman", charset: str = "86"
) -> etree._Element:
    """A `w:fontTable` entry; charset 86 (GB2312) and an alternative Windows name tell Word
    which Chinese face to substitute where the named one is not installed."""
    font = element("w:font", name=name)
    if alt_name:
        put(font, element("w:altName", val=alt_name))
    put(font, element("w:charset", val=charset))
    put(font, element("w:family", val=family))
    put(font, element("w:pitch", val="variable"))
    return font


def picture_content_control(
    paragraph: etree._Element, *, sdt_id: int, tag: str, alias: str
) -> etree._Element:
    """Wrap `paragraph` (holding a placeholder picture) in a block-level picture content
    control (`w:sdt` with `w:picture`): Word and WPS show "click to insert a picture" on
    it and fit the chosen picture into the placeholder's size. Locked against deletion
    (`sdtLocked`), not against editing, so the figure stays where the book has it."""
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    pr.append(element("w:alias", val=alias))
    pr.append(element("w:tag", val=tag))
    pr.append(element("w:id", val=sdt_id))
    pr.append(element("w:lock", val="sdtLocked"))
    pr.append(OxmlElement("w:picture"))
    content = OxmlElement("w:sdtContent")
    paragraph.addprevious(sdt)
    sdt.append(pr)
    sdt.append(content)
    content.append(paragraph)
    return sdt


def set_alt_text(inline: etree._Element, description: str, name: str = "") -> None:
    """Alt text of an inline picture (`wp:docPr/@descr`), and its name if given."""
    doc_pr = inline.find(qn("wp:docPr"))
    if doc_pr is not None:
        doc_pr.set("descr", description)
        if name:
            doc_pr.set("name", name)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def replace_fonts(root: etree._Element, fonts: Iterable[etree._Element]) -> None:
    """The fontTable (`w:fonts`) with exactly `fonts` in it."""
    for old in root.findall(qn("w:font")):
        root.remove(old)
    root.extend(fonts)


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def theme_fonts(root: etree._Element, *, major: str, minor: str, latin: str) -> None:
    """The theme's faces (Word's +标题 and +正文 in the font list) set to the file's: the
    East-Asian ones to the Chinese faces (the template's are Japanese: `script="Jpan"`
    MS Mincho/Gothic, left for Japanese text), Hans naming them too, and the Latin ones
    to the Latin face (the template's Calibri and Cambria)."""
    for tag, face in (("majorFont", major), ("minorFont", minor)):
        for fonts in root.iter(_A + tag):
            for child, value in (("ea", face), ("latin", latin)):
                el = fonts.find(_A + child)
                if el is not None:
                    el.set("typeface", value)
            for f in fonts.findall(_A + "font"):
                if f.get("script") == "Hans":
                    f.set("typeface", face)


_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def app_properties(application: str) -> bytes:
    """docProps/app.xml that says only what is true: which program wrote the file (no page,
    word or line counts: the writer does not paginate; Word recounts on saving)."""
    # lxml-stubs reject None, lxml's key for the default namespace.
    root = etree.Element(f"{{{_EP}}}Properties", nsmap={None: _EP})  # type: ignore[dict-item]
    etree.SubElement(root, f"{{{_EP}}}Application").text = application
    return _serialize(root)


def remove_core_dates(core_properties_element: etree._Element) -> None:
    """Drop dcterms:created/modified where the content gives no date (never the clock)."""
    for tag in ("{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified"):
        for old in core_properties_element.findall(tag):
            core_properties_element.remove(old)
