"""One case builder for every reader: text, Markdown, HTML and Word readers all hand it the
same intermediate, a `CaseDraft`, and it finishes the case in small named stages:

0. `credit_lines`: a line of its own among the text's first and last three that only
   credits (（作者单位：…）, 文 | 张某, 撰稿：张某, （张某 李某）) is a fact, not text; a
   name alone closing the text is the writer (a guess);
   `people_of`: the bylines' names as persons: a slot that names nobody (作者：未知,
   网络整理, admin, a staff code NF051, link text 查看更多) is no author, a staff code after
   a name is cut, who the writer is goes to the note (张某（某某大学教授）);
1. `dateline_facts`: the dateline opening the first paragraph (`本报石家庄7月17日电`,
   `新华社北京…电（记者 张三）`): its agency becomes the publication (not 本报/本站/本刊,
   which name the page's own paper), its in-line byline joins the authors;
2. `region_of`: the province from the publication and source, else the dateline's place
   (a large city names its province), else the page's own furniture lines (a guess);
3. `place_of`: the place a title opens with (`融水：…`, `资中县坚持…`), never a body, a
   column or a person;
4. `warnings`: credits, the title block, no title, no date, no author;
5. `to_case`: the Case, its id suffixed -1, -2… when the file holds several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import CREDIT_ROLES, EDITOR_ROLES, Author, Block, Case, ModelError, Paragraph, Script
from ..support.errors import ContentError, Diagnostic
from ..text.chinese import looks_like_name
from ..text.textcheck import MISSING_TITLE
from .raw.checks import check_credits, check_title_block
from .rules.chrome import classify
from .rules.facts import (
    credit_line,
    find_place,
    find_region,
    meta_pairs,
    name_and_note,
    person_or_none,
    split_names,
)

__all__ = ["CaseDraft", "SourceFile", "build_case"]

# Agencies a dateline names that are the page's own paper, not a publication
_OWN_PAPER = ("", "本报", "本站", "本刊", "本台")
# Roles that credit someone without making them a writer
_NOT_WRITERS = EDITOR_ROLES | CREDIT_ROLES


def source_file(path: str) -> str:
    """The path a case records for its source: inside content/, forward slashes."""
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p[len("content/") :] if p.startswith("content/") else p


# `本报石家庄7月17日电`, `新华社北京10月16日电`: the dateline opening a first paragraph.
_DATELINE = re.compile(
    r"^(新华社|中新社|本报|本刊|本台)?(?:[^，。\d]{0,3}?记者)?"
    r"([\u4e00-\u9fff]{2,8}?)(?:\d{1,2}月)?\d{1,2}日(?:电|讯)"
)


# `（记者史自强）`, `（职工通讯员 李琴雯 刘会）` right after the dateline or 本站讯.
_INLINE_BYLINE = re.compile(
    r"\s*[（(]((?:[^（）()]{0,6}?)(?:记者|通讯员))"
    r"\s*([^（）()]{2,30})[）)]"
)


def dateline(blocks: list[Block]) -> tuple[str, str, list[Author]]:
    """(agency, place, in-line byline) of the dateline opening the first paragraph."""
    first = next((b.text for b in blocks if isinstance(b, Paragraph)), "")
    m = _DATELINE.match(first) or re.match(r"^(本站|本报|本刊)讯()", first)
    if not m:
        return "", "", []
    authors: list[Author] = []
    b = _INLINE_BYLINE.match(first, m.end())
    if b:
        role = b.group(1).strip()  # `（ 通讯员 李四）`: the space is not the role's
        authors = [Author(name, role) for name, _ in split_names(b.group(2)) or []]
    return m.group(1) or "", m.group(2), authors


@dataclass
class CaseDraft:
    """An article as a reader found it, before the case is finished."""

    title: str
    blocks: list[Block]
    title_line: int = 1
    subtitle: str = ""
    kicker: str = ""
    series: str = ""
    authors: list[Author] = field(default_factory=list)
    publication: str = ""
    source: str = ""
    page: str = ""
    date: str = ""
    page_chrome: str = ""  # the page's own furniture lines (menus, footer): a region hint
    no_title_why: str = ""  # why a reader found no title, for the warning


@dataclass(frozen=True)
class SourceFile:
    """The file the drafts come from: its display path, hash, base id and script."""

    path: str
    sha256: str
    base_id: str
    script: Script
    opencc: str = ""


_CREDIT_REACH = 3  # paragraphs from either end of the text where credit lines stand
# Words that close a text and read like a name (全 and 谢 are surnames): 全文完, 谢谢
_CLOSING_WORD = re.compile(r"[完续毕]$|^(?:以上|谢谢|附|注|参考|全文|本文|编者|后记|结语|说明)")
_BUTTON = re.compile(r"^[【\[][^】\]]{1,8}[】\]]\s+(?=\S)")


def _keyed_credits(text: str, draft: CaseDraft) -> list[tuple[str, str]] | None:
    """The credits of a line of a site's own keys (撰稿人：张某 审核：李某 信息来源：…);
    its source fills the case's when it has none."""
    pairs = meta_pairs(text)
    if pairs is None or not pairs[2]:
        return None
    draft.source = draft.source or pairs[1]
    return pairs[2]


def _after_button(text: str) -> list[tuple[str, str]] | None:
    """The credits of a line that a page's button opens (`【我要纠错】 责任编辑：王某`)."""
    m = _BUTTON.match(text.strip())
    if not m:
        return None
    chrome = classify(text.strip()[m.end() :])
    if chrome is None or chrome.kind not in ("editors", "byline", "credits", "meta"):
        return None
    return [(a.name, a.role) for a in chrome.authors] or None


def credit_lines(draft: CaseDraft, path: str) -> list[Diagnostic]:
    """Stage 0: credit lines out of the text, their names kept; a name alone closing it."""
    paras = [b for b in draft.blocks if isinstance(b, Paragraph)]
    ends = paras[:_CREDIT_REACH] + paras[-_CREDIT_REACH:]
    taken: list[Paragraph] = []
    out: list[Diagnostic] = []
    for b in dict.fromkeys(ends):
        names = credit_line(b.text) or _after_button(b.text) or _keyed_credits(b.text, draft)
        if names:
            taken.append(b)
            draft.authors += [
                Author(n, r) for n, r in names if all(n != a.name for a in draft.authors)
            ]
            unroled = [n for n, r in names if not r]
            if unroled:  # names without a role word: read as writers by their form alone
                out.append(
                    Diagnostic(
                        path,
                        b.line or draft.title_line,
                        0,
                        "warning",
                        f"guess: {'、'.join(unroled)}, named in “{b.text.strip()[:30]}”, taken"
                        " as the authors: check",
                    )
                )
    last = paras[-1] if len(paras) > 1 else None
    if (
        last is not None
        and last not in taken
        and looks_like_name(last.text.strip())
        and len(last.text.strip()) >= 3  # two characters are as often a word (曲目)
        and not _CLOSING_WORD.search(last.text.strip())
        and not any(a.role not in _NOT_WRITERS for a in draft.authors)
    ):
        taken.append(last)
        draft.authors.append(Author(last.text.strip(), ""))
        out.append(
            Diagnostic(
                path,
                last.line or draft.title_line,
                0,
                "warning",
                f"guess: the name alone closing the text, “{last.text.strip()}”, taken as the"
                " author: check",
            )
        )
    if taken:
        draft.blocks = [b for b in draft.blocks if all(b is not t for t in taken)]
        out.append(
            Diagnostic(
                path,
                taken[0].line or draft.title_line,
                0,
                "info",
                f"{len(taken)} credit lines taken out of the text (their names kept):"
                f" {' / '.join(t.text.strip()[:24] for t in taken[:3])}",
            )
        )
    return out


def people_of(draft: CaseDraft, path: str) -> list[Diagnostic]:
    """Stage 0: every author a person; those naming nobody dropped, and said."""
    kept: list[Author] = []
    nobody: list[str] = []
    for a in draft.authors:
        name, note = name_and_note(person_or_none(a.name))
        if not name:
            nobody.append(f"{a.role}：{a.name}" if a.role else a.name)
        elif name != a.name:
            kept.append(Author(name, a.role, a.note or note))
        else:
            kept.append(a)
    draft.authors = kept
    if not nobody:
        return []
    return [
        Diagnostic(
            path,
            draft.title_line,
            0,
            "info",
            f"{'、'.join(nobody)}: names no person (unknown, compiled, a staff code): not taken"
            " as a name",
        )
    ]


def dateline_facts(draft: CaseDraft) -> str:
    """Stage 1: the dateline's agency and in-line byline taken; returns its place."""
    agency, place, inline = dateline(draft.blocks)
    draft.authors += [a for a in inline if all(a.name != b.name for b in draft.authors)]
    if agency not in _OWN_PAPER and not draft.publication:
        draft.publication = agency
    return place


def region_of(draft: CaseDraft, dateline_place: str, path: str, diags: list[Diagnostic]) -> str:
    """Stage 2: metadata or the dateline only, never the body's first province (a national
    report names many); the page's own furniture lines last, as a guess."""
    region = find_region("\n".join((draft.publication, draft.source)), dateline_place)
    if not region and find_region(draft.page_chrome):
        region = find_region(draft.page_chrome)
        diags.append(
            Diagnostic(
                path,
                draft.title_line,
                0,
                "warning",
                f"guess: region “{region}” from the page's metadata or footer lines"
                " (no source or dateline names one): check",
            )
        )
    return region


def place_of(draft: CaseDraft) -> str:
    """Stage 3: the place the title (or subtitle) opens with."""
    if draft.title == MISSING_TITLE:
        return ""
    return find_place(draft.title, draft.subtitle)


def warnings(draft: CaseDraft, place: str, path: str) -> list[Diagnostic]:
    """Stage 4: what the editor should check."""
    line = draft.title_line
    out: list[Diagnostic] = []
    if draft.title == MISSING_TITLE:
        out.append(
            Diagnostic(
                path,
                line,
                0,
                "warning",
                "no title found"
                + (f" ({draft.no_title_why})" if draft.no_title_why else "")
                + f": the case is titled {MISSING_TITLE}; write its title",
            )
        )
    if not draft.date:
        out.append(
            Diagnostic(path, line, 0, "warning", "no date found: add the article's date by hand")
        )
    out.extend(check_credits(draft.authors, path, line))
    if draft.title != MISSING_TITLE:
        out.extend(
            check_title_block(
                path,
                line,
                kicker=draft.kicker,
                title=draft.title,
                subtitle=draft.subtitle,
                series=draft.series,
                place=place,
            )
        )
    if not any(a.role not in _NOT_WRITERS for a in draft.authors):
        out.append(
            Diagnostic(
                path,
                line,
                0,
                "warning",
                "no author found: add the byline by hand if the source has one",
            )
        )
    return out


def to_case(draft: CaseDraft, case_id: str, region: str, place: str, file: SourceFile) -> Case:
    """Stage 5: the Case; a model error is one line naming the file and the title's line."""
    try:
        return Case(
            id=case_id,
            title=draft.title,
            subtitle=draft.subtitle,
            kicker=draft.kicker,
            series=draft.series,
            blocks=tuple(draft.blocks),
            authors=tuple(draft.authors),
            publication=draft.publication,
            page=draft.page,
            source=draft.source,
            date=draft.date,
            region=region,
            place=place,
            source_file=source_file(file.path),
            source_sha256=file.sha256,
            script=file.script,
            opencc=file.opencc,
        )
    except ModelError as e:
        raise ContentError(
            f"cannot import this article: {e}", path=file.path, line=draft.title_line
        ) from None


def build_case(
    draft: CaseDraft, number: int, count: int, file: SourceFile, diags: list[Diagnostic]
) -> Case:
    """Case `number` (from 1) of `count` in the file, through the stages in order."""
    diags.extend(credit_lines(draft, file.path))
    diags.extend(people_of(draft, file.path))
    where = dateline_facts(draft)
    region = region_of(draft, where, file.path, diags)
    place = place_of(draft)
    diags.extend(warnings(draft, place, file.path))
    case_id = file.base_id if count == 1 else f"{file.base_id}-{number}"
    return to_case(draft, case_id, region, place, file)
