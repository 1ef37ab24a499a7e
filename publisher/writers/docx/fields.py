"""Field update in the editor's own file: what Word's "update fields" does, written into the
cached results of a DOCX the writer made and an editor changed (`publisher docx-refresh`).

- `SEQ` fields count in body order, one count per identifier (`\\r n` restarts, `\\c`
  repeats, `\\h` hides): the case numbers (`SEQ 案`) and each case's figure numbers.
- `REF name` fields show their bookmark's text: the case number in the captions.
- The TOC lists the paragraphs in the styles its `\\t` switch names, in body order, each
  linked to a `_Toc` bookmark around it (one is added where an editor's new heading has
  none); its page numbers are given by the caller (LibreOffice's layout).

Everything else in the file stays as the editor left it: styles, sections, headers (their
STYLEREF and PAGE fields are worked out by Word, WPS and LibreOffice as they lay out).
A field this module does not know, or one with switches it does not know, is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from . import oxml

# lxml elements, typed loosely: in lxml-stubs every parent, sibling and attribute may be
# None, and this module walks a file whose structure it has just checked.
Element = Any
_SEQ_KNOWN = {"\\*", "ARABIC", "MERGEFORMAT", "\\r", "\\c", "\\h", "\\n"}
_REF_KNOWN = {"\\h", "\\*", "MERGEFORMAT", "CHARFORMAT"}


@dataclass(slots=True)
class Field:
    """One complex field: its instruction and the runs that delimit it."""

    instr: str
    begin: Element
    separate: Element | None
    end: Element


@dataclass(frozen=True, slots=True)
class TocLine:
    level: int
    text: str
    bookmark: str


def complex_fields(root: Element) -> list[Field]:
    """The complex fields under `root` in document order (outer before inner)."""
    found: list[Field] = []
    stack: list[Field] = []
    for el in root.iter(qn("w:fldChar"), qn("w:instrText")):
        run = el.getparent()
        if el.tag == qn("w:instrText"):
            if stack:
                stack[-1].instr += el.text or ""
            continue
        kind = el.get(qn("w:fldCharType"))
        if kind == "begin":
            field = Field("", run, None, run)
            stack.append(field)
            found.append(field)
        elif kind == "separate" and stack:
            stack[-1].separate = run
        elif kind == "end" and stack:
            stack.pop().end = run
    for field in found:
        field.instr = field.instr.strip()
    return found


_WORD = re.compile(r'"([^"]*)"|(\S+)')


def _words(instr: str) -> list[str]:
    """A field instruction's words; a quoted one without its quotes, switches as written."""
    return [quoted if quoted or bare == "" else bare for quoted, bare in _WORD.findall(instr)]


def set_result(field: Field, text: str) -> bool:
    """Replace the field's cached result by `text` (keeping the first result run's look);
    False where the field's parts are not in one paragraph."""
    sep, end = field.separate, field.end
    if sep is None or sep.getparent() is not end.getparent():
        return False
    parent = sep.getparent()
    between = []
    el = sep.getnext()
    while el is not None and el is not end:
        between.append(el)
        el = el.getnext()
    if el is None:
        return False
    first = next((r for r in between if r.tag == qn("w:r") and r.find(qn("w:t")) is not None), None)
    rpr = first.find(qn("w:rPr")) if first is not None else None
    for r in between:
        if r.tag == qn("w:r"):
            parent.remove(r)
    if text:
        run = oxml.text_run(text)
        if rpr is not None:
            run.insert(0, rpr)
        end.addprevious(run)
    return True


def number_sequences(fields: list[Field]) -> int:
    """SEQ fields counted in body order; how many results were written."""
    counts: dict[str, int] = {}
    written = 0
    for field in fields:
        words = _words(field.instr)
        if len(words) < 2 or words[0].upper() != "SEQ":
            continue
        name, switches = words[1], words[2:]
        if any(w.startswith("\\") and w not in _SEQ_KNOWN for w in switches):
            continue
        count = counts.get(name, 0)
        if "\\r" in switches:
            at = switches.index("\\r")
            value = switches[at + 1] if at + 1 < len(switches) else ""
            count = int(value) if value.isdigit() else 1
        elif "\\c" not in switches:
            count += 1
        counts[name] = count
        written += set_result(field, "" if "\\h" in switches else str(count))
    return written


def bookmark_texts(body: Element, names: set[str]) -> dict[str, str]:
    """The visible text (field results, not instructions) inside each named bookmark."""
    open_ids: dict[str, str] = {}
    texts: dict[str, list[str]] = {}
    for el in body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:t")):
        if el.tag == qn("w:bookmarkStart"):
            name = el.get(qn("w:name"))
            if name in names:
                open_ids[el.get(qn("w:id"))] = name
                texts[name] = []
        elif el.tag == qn("w:bookmarkEnd"):
            open_ids.pop(el.get(qn("w:id")), None)
        else:
            for name in open_ids.values():
                texts[name].append(el.text or "")
    return {name: "".join(parts) for name, parts in texts.items()}


def update_references(body: Element, fields: list[Field]) -> int:
    """REF fields set to their bookmark's text; how many results were written."""
    refs = []
    for field in fields:
        words = _words(field.instr)
        known = all(not w.startswith("\\") or w in _REF_KNOWN for w in words[2:])
        if len(words) >= 2 and words[0].upper() == "REF" and known:
            refs.append((field, words[1]))
    texts = bookmark_texts(body, {name for _, name in refs})
    return sum(set_result(field, texts[name]) for field, name in refs if name in texts)


# --- the table of contents ------------------------------------------------------------


def _toc_styles(instr: str) -> dict[str, int]:
    """Style name (lower case) → TOC level, from the `\\t "name,level,…"` switch."""
    words = _words(instr)
    if "\\t" not in words or words.index("\\t") + 1 >= len(words):
        return {}
    items = [s.strip() for s in words[words.index("\\t") + 1].split(",")]
    return {
        items[i].lower(): int(items[i + 1])
        for i in range(0, len(items) - 1, 2)
        if items[i + 1].isdigit()
    }


def _style_ids(styles: Element) -> dict[str, str]:
    """Style name (lower case) → styleId."""
    ids = {}
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            ids[name.get(qn("w:val")).lower()] = style.get(qn("w:styleId"))
    return ids


def _paragraph_text(p: Element) -> str:
    """As the TOC shows it: a title's line break becomes the full-width space it was."""
    other = {qn("w:br"): "　", qn("w:tab"): " "}
    parts = [
        el.text or "" if el.tag == qn("w:t") else other[el.tag] for el in p.iter(*other, qn("w:t"))
    ]
    return "".join(parts).strip()


def _toc_bookmark(p: Element) -> str:
    """The `_Toc` bookmark around `p` (just before it) or inside it, "" when none."""
    el = p.getprevious()
    while el is not None and el.tag == qn("w:bookmarkStart"):
        if el.get(qn("w:name"), "").startswith("_Toc"):
            return el.get(qn("w:name"))
        el = el.getprevious()
    for start in p.iter(qn("w:bookmarkStart")):
        if start.get(qn("w:name"), "").startswith("_Toc"):
            return start.get(qn("w:name"))
    return ""


def rebuild_toc(
    body: Element, styles: Element, pages: Callable[[list[TocLine]], dict[str, str]]
) -> list[TocLine] | None:
    """Rewrite the TOC field's entries from the headings in body order; `pages` gives each
    entry's page as displayed. None (and the TOC left alone) where the file has no TOC or
    one this module cannot rewrite safely."""
    toc = next((f for f in complex_fields(body) if _words(f.instr)[:1] == ["TOC"]), None)
    if toc is None or toc.separate is None or toc.separate.getparent() is not toc.begin.getparent():
        return None
    levels = _toc_styles(toc.instr)
    first, last = toc.begin.getparent(), toc.end.getparent()
    if first.tag != qn("w:p") or last.tag != qn("w:p") or first.getparent() is not body:
        return None
    old = [first]
    while old[-1] is not last:
        nxt = old[-1].getnext()
        if nxt is None:
            return None
        old.append(nxt)
    if any(p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None for p in old):
        return None  # a section break inside the TOC: leave it to Word
    ids = _style_ids(styles)
    by_id = {ids[name]: level for name, level in levels.items() if name in ids}
    ids_used = [b.get(qn("w:id"), "") for b in body.iter(qn("w:bookmarkStart"))]
    next_id = max((int(i) for i in ids_used if i.isdigit()), default=0) + 1
    lines: list[TocLine] = []
    for p in body.iterchildren(qn("w:p")):
        if any(p is q for q in old):
            continue
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        level = by_id.get(style.get(qn("w:val")) if style is not None else "")
        text = _paragraph_text(p) if level else ""
        if not level or not text:
            continue
        name = _toc_bookmark(p)
        if not name:  # an editor's new heading
            name = f"_Toc_r{next_id}"
            start, end = oxml.bookmark(next_id, name)
            p.addprevious(start)
            p.addnext(end)
            next_id += 1
        lines.append(TocLine(level, text, name))
    shown = pages(lines)
    head = [toc.begin, *_instr_runs(toc), toc.separate]  # moved into the first entry
    toc_style = {n: ids.get(f"toc {n}", f"TOC{n}") for n in (1, 2, 3)}
    new = []
    for i, line in enumerate(lines or [TocLine(1, "", "")]):
        p = oxml.element("w:p")
        ppr = oxml.element("w:pPr")
        ppr.append(oxml.element("w:pStyle", val=toc_style.get(line.level, "TOC3")))
        p.append(ppr)
        if i == 0:
            for r in head:
                p.append(r)
        if line.bookmark:
            link = [
                oxml.text_run(line.text),
                oxml.tab_run(),
                *oxml.field_runs(f"PAGEREF {line.bookmark} \\h", shown.get(line.bookmark, "")),
            ]
            p.append(oxml.hyperlink(line.bookmark, link))
        new.append(p)
    new[-1].append(toc.end)
    for p in new:
        first.addprevious(p)
    for p in old:
        body.remove(p)
    return lines


def _instr_runs(toc: Field) -> list[Element]:
    """The runs between the TOC field's begin and separate (its instruction)."""
    runs, el = [], toc.begin.getnext()
    while el is not None and el is not toc.separate:
        if el.tag == qn("w:r"):
            runs.append(el)
        el = el.getnext()
    return runs


def update_numbers(body: Element) -> int:
    """SEQ, then REF (which shows SEQ results): how many results were written."""
    written = number_sequences(complex_fields(body))
    return written + update_references(body, complex_fields(body))
