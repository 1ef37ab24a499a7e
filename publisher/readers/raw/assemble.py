"""Articles + removed chrome → Case objects: metadata, authors, region, id, warnings."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ...model import Author, Block, Case, Note, Script
from ...support.errors import Diagnostic
from ...text.chinese import CREDIT_ROLES, EDITOR_ROLES
from ..casebuilder import CaseDraft, SourceFile, build_case
from ..rules.facts import collapse_spaces, split_names
from .blocks import Item, build_blocks
from .checks import check_numbers
from .structure import Article, Entry, is_sign_off, parse_title_block, positional_title_block

__all__ = ["build_cases", "case_id"]

# Facts of these kinds found in the page header (before the first article's body) or
# footer (after the last body line) belong to every article of a multi-article page.
_SHARED_KINDS = frozenset({"meta", "breadcrumb", "printref", "editors", "account", "site", "nav"})
_NOT_WRITERS = EDITOR_ROLES | CREDIT_ROLES
_PAGE_KINDS = frozenset({"meta", "breadcrumb", "printref", "account", "site", "nav"})


@dataclass
class _Facts:
    date: str = ""
    print_date: str = ""
    source: str = ""
    publication: str = ""
    page: str = ""
    account: str = ""
    authors: list[Author] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (raw line, author note)

    def add(self, entry: Entry) -> None:
        c = entry.chrome
        assert c is not None
        if c.kind == "printref":
            self.print_date = self.print_date or c.date
        elif c.date:
            self.date = self.date or c.date
        self.source = self.source or c.source
        if c.kind == "account":
            self.account = self.account or c.publication
        else:
            self.publication = self.publication or c.publication
        self.page = self.page or c.page
        self.authors.extend(c.authors)
        if c.kind == "authornote":
            self.notes.append((entry.line.no, c.note))


def case_id(path: str) -> str:
    """The file stem, lower-cased, other ASCII characters made '-' (Case 01 → case-01).
    A stem with other characters (005_产业链) keeps its ASCII part and gains a short hash
    of the whole stem (005-3fa2c1d0): ids stay ASCII for anchors and bookmarks, and two
    Chinese file names never give the same id."""
    stem = PurePosixPath(path.replace("\\", "/")).stem
    ascii_part = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")
    if stem.isascii() and ascii_part:
        return ascii_part
    digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    return f"{ascii_part}-{digest}" if ascii_part else f"case-{digest}"


def _authors(facts: _Facts, blocks: list[Block]) -> list[Author]:
    authors: list[Author] = []
    for a in facts.authors:
        if all((a.name, a.role) != (b.name, b.role) for b in authors):
            authors.append(a)
    for _, note in facts.notes:
        k = next(
            (
                k
                for k, a in enumerate(authors)
                if not a.note and (a.role in ("", "作者", "文") or a.role.endswith("记者"))
            ),
            None,
        )
        if k is not None:
            a = authors[k]
            authors[k] = Author(a.name, a.role, note)
            continue
        names = split_names(note)
        if names and len(names) == 1 and len(names[0][0]) <= 4:
            authors.append(Author(names[0][0], "作者"))
        else:
            blocks.append(Note(f"作者：{note}"))
    return authors


# C901 allowed here: the rules that pick title, dateline and source among an article's first
# lines, in the order they apply.
def build_cases(  # noqa: C901
    articles: list[Article],
    entries: list[Entry],
    data: bytes,
    path: str,
    script: Script,
    diags: list[Diagnostic],
    head: list[str] | None = None,
) -> list[Case]:
    """`head`: lines 1-3 when the file prints kicker, title and subtitle by position."""
    if head and articles:
        _title_by_position(articles[0], entries)
    multi = len(articles) > 1
    last_body = max((k for k, e in enumerate(entries) if e.chrome is None), default=-1)
    shared = _Facts()
    if multi:
        for k, e in enumerate(entries):
            if (
                e.chrome is not None
                and e.chrome.kind in _SHARED_KINDS
                and (k < articles[0].first or k > last_body)
            ):
                shared.add(e)
    page_title = collapse_spaces("\u3000".join(line.text for line in articles[0].page_lines))
    page_note: list[Block] = []
    texts = [e for e in articles[0].body if e.is_text]
    if multi and texts and is_sign_off(texts[-1].line.text):
        # the page's editor's note (…——编者) and its head: the note goes before the first
        # case, the head's series to every case
        note = articles.pop(0)
        _, head_title, _, head_series = parse_title_block([x.text for x in note.title_lines])
        page_title = head_series or head_title
        page_note = [Note(e.line.text, line=e.line.no) for e in texts]
        diags.append(
            Diagnostic(
                path,
                texts[0].line.no,
                0,
                "warning",
                "the page's editor's note (it ends with a sign-off) is kept as"
                " a note before the first case; its head gives the series",
            )
        )
        multi = len(articles) > 1
        head = None
    file = SourceFile(path, hashlib.sha256(data).hexdigest(), case_id(path), script)
    cases: list[Case] = []
    for n, art in enumerate(articles, 1):
        own = _Facts()
        for k, e in art.chrome:
            if not (
                multi
                and e.chrome is not None
                and e.chrome.kind in _SHARED_KINDS
                and (k < articles[0].first or k > last_body)
            ):
                own.add(e)
        if n == 1 and head and all(x.no <= 3 for x in art.title_lines):
            kicker, title, subtitle, series = positional_title_block(head)
            art.body = [e for e in art.body if e.line.no > 3]
        else:
            kicker, title, subtitle, series = parse_title_block([x.text for x in art.title_lines])
        if page_title:
            if not series:
                series = page_title
            elif not kicker:
                kicker = page_title
        title_no = art.title_lines[0].no if art.title_lines else 0
        if multi:
            diags.append(
                Diagnostic(
                    path,
                    title_no,
                    0,
                    "warning",
                    f"article {n} of {len(articles)} on this page starts here"
                    f" (“{title}”): imported as its own case; check the split",
                )
            )
        blocks = build_blocks([Item(e.line, e.figure) for e in art.body], path, diags)
        if n == 1 and page_note:
            blocks = page_note + blocks
        for e in art.body:
            if e.why:
                diags.append(
                    Diagnostic(
                        path, e.line.no, 0, "warning", f"taken as a photo caption: {e.why}; check"
                    )
                )
        diags.extend(check_numbers(art.title_lines + [e.line for e in art.body], path))
        authors = _authors(_merge(own, shared), blocks)
        publication = own.publication or shared.publication
        source = own.source or shared.source
        account = own.account or shared.account
        if account:
            if not publication:
                publication = account
            elif not source:
                source = account
        date = own.date or shared.date or own.print_date or shared.print_date
        # the page's own lines (site name, menus, footer, metadata), not bylines or credits
        chrome_text = "\n".join(
            e.line.text for e in entries if e.chrome is not None and e.chrome.kind in _PAGE_KINDS
        )
        draft = CaseDraft(
            title=title,
            blocks=blocks,
            title_line=title_no or (art.body[0].line.no if art.body else 1),
            subtitle=subtitle,
            kicker=kicker,
            series=series,
            authors=list(authors),
            publication=publication,
            source=source,
            page=own.page or shared.page,
            date=date,
            page_chrome=chrome_text,
            no_title_why="the first line is body text",
        )
        cases.append(build_case(draft, n, len(articles) if multi else 1, file, diags))
    return cases


def _title_by_position(art: Article, entries: list[Entry]) -> None:
    """A file laid out as kicker, title, subtitle in lines 1-3 has its title block there:
    short lines after it (对话人：, a name and a role) open the body, not a title."""
    late = [x for x in art.title_lines if x.no > 3]
    early = [x for x in art.page_lines + art.title_lines if x.no <= 3]
    if not late or not early:
        return
    by_no = {e.line.no: e for e in entries}
    art.body = [by_no[x.no] for x in late if by_no[x.no].chrome is None] + art.body
    art.title_lines, art.page_lines = early, []


def _merge(own: _Facts, shared: _Facts) -> _Facts:
    """Own facts first, then the page's shared authors (editors) not already named."""
    merged = _Facts(authors=list(own.authors), notes=list(own.notes))
    merged.authors.extend(a for a in shared.authors if a not in merged.authors)
    return merged
