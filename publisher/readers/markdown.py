"""Markdown articles (a scraper's output or an editor's file) → cases, with markdown-it-py.

Read from the source: YAML front matter (title, date, author, source, publication),
scraper metadata lines (`**日期**: 2018年10月17日`, `*来源: …*`), headings, bold, lists,
rules, pictures (`![说明](images/x.jpg)`). Crawl stamps (`**爬取时间**: …`) and link-only
metadata lines are page furniture: dropped, and reported. The rest is structured.build_page.
"""

from __future__ import annotations

import re

import yaml
from markdown_it import MarkdownIt

from ..model import Author
from ..support.errors import ContentError, Diagnostic
from .casefile import MAX_DEPTH
from .raw.decode import decode
from .rules.facts import split_names
from .structured import SourceBlock, SourcePage, build_page, parse_date

__all__ = ["import_markdown"]

# `**日期**: …`, `*来源: http://…*`, `日期：…`: one metadata line of a scraper.
# `**来源**: 新华网*`: a key, then its value (trimmed by _meta_value: a pattern that trims
# spaces, stars, spaces at the end backtracks cubically on a line of 10,000 spaces).
_META_LINE = re.compile(r"^\s*\*{0,2}([^*:：\n]{1,12}?)\*{0,2}\s*[:：](.*)$")


def _meta_value(rest: str) -> str:
    """A metadata line's value without the spaces and up to two closing stars around it."""
    value = rest.strip()
    return value[: -2 if value.endswith("**") else -1 if value.endswith("*") else None].rstrip()


_CRAWL_KEYS = re.compile(r"爬取|抓取|采集|crawl|fetch|url|链接|网址", re.I)
_URL = re.compile(r"https?://\S+")
_FRONT = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.S)
_TITLE_KEYS = ("title", "标题")
_DATE_KEYS = ("date", "日期", "published", "发布时间")
_AUTHOR_KEYS = ("author", "authors", "作者")
_SOURCE_KEYS = ("source", "来源")
_PUB_KEYS = ("publication", "刊物", "媒体")


def _front_matter(text: str, path: str, diags: list[Diagnostic]) -> tuple[dict, str, int]:
    """(front matter, rest of the text, lines it took)."""
    m = _FRONT.match(text)
    if not m:
        return {}, text, 0
    try:
        # nesting measured first (the composer recurses once a level), and no aliases:
        # `&a [*b, *b …]` printed as text would grow exponentially
        data = None if _deep_or_aliased(m.group(1)) else yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        diags.append(
            Diagnostic(
                path,
                1,
                0,
                "warning",
                "the block between the first two '---'"
                " lines is not YAML front matter: read as text",
            )
        )
        return {}, text, 0
    return {str(k).lower(): v for k, v in data.items()}, text[m.end() :], m.group(0).count("\n")


def _deep_or_aliased(text: str) -> bool:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return True
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return False


def _value(front: dict, keys: tuple[str, ...]) -> str:
    for k in keys:
        v = front.get(k)
        if v is not None and v != "":
            return ", ".join(map(str, v)) if isinstance(v, list) else str(v)
    return ""


_LITERAL_STRONG = re.compile(r"\*\*([^*\n]+?)\*\*")


def _cjk_strong(text: str) -> list[tuple[str, bool]]:
    """`**一是…。**正文`: CommonMark does not close strong emphasis after 。 when a Han
    character follows (its flanking rules assume spaces between words); such pairs are
    bold all the same."""
    runs: list[tuple[str, bool]] = []
    pos = 0
    for m in _LITERAL_STRONG.finditer(text):
        if m.start() > pos:
            runs.append((text[pos : m.start()], False))
        runs.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        runs.append((text[pos:], False))
    return runs


def _inline_runs(token) -> tuple[list[tuple[str, bool]], list[tuple[str, str]]]:
    """(runs of (text, bold), pictures as (src, alt)) of an inline token."""
    runs: list[tuple[str, bool]] = []
    pictures: list[tuple[str, str]] = []
    bold = 0
    for child in token.children or []:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "text" and not bold:
            runs += _cjk_strong(child.content)
        elif child.type in ("text", "code_inline", "html_inline"):
            runs.append((child.content, bold > 0))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(("\n", bold > 0))
        elif child.type == "image":
            pictures.append((child.attrGet("src") or "", child.content or ""))
    return runs, pictures


def _split_lines(runs: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    lines: list[list[tuple[str, bool]]] = [[]]
    for text, bold in runs:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if k:
                lines.append([])
            if part:
                lines[-1].append((part, bold))
    return [line for line in lines if "".join(t for t, _ in line).strip()]


def _image_path(src: str) -> str:
    """A picture inside the project's content/ (images/x.jpg); remote ones are not fetched."""
    src = src.strip()
    if src.startswith("images/") and ".." not in src.split("/"):
        return src
    return ""


# A line of program text: a statement end, a brace, a keyword opening a definition.
_CODE_LINE = re.compile(
    r"[;{}]\s*$|^\s*(?:def|class|import|from|return|function|var|let|const|public|private"
    r"|#include|package|if|for|while)\b[^\u4e00-\u9fff]*$"
)
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _unfenced_code(text: str) -> bool:
    """Program text saved as .md without code fences: most lines read as code, and the
    file holds almost no Chinese."""
    lines = [t for t in text.split("\n") if t.strip()]
    code = sum(1 for t in lines if _CODE_LINE.search(t))
    return len(lines) >= 3 and code >= 0.6 * len(lines) and len(_HAN_CHAR.findall(text)) < 50


# C901 and PLR0915 allowed here: one pass over the Markdown tokens, a branch per kind of block.
def import_markdown(data: bytes, path: str):  # noqa: C901, PLR0915
    """Import one Markdown file: one case, or one per item of a digest."""
    text, _encoding, decode_diags = decode(bytes(data), path)
    diags = list(decode_diags)
    front, body, offset = _front_matter(text, path, diags)
    tokens = MarkdownIt("commonmark").parse(body)
    src_lines = body.split("\n")
    blocks: list[SourceBlock] = []
    code_lines = 0
    dropped: list[str] = []
    i = 0
    list_depth = 0
    item_texts: list[str] = []
    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map[0] + 1 + offset) if tok.map else 0
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            if list_depth == 0:
                item_texts = []
                list_line = line
            list_depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            if list_depth == 0:
                blocks.append(SourceBlock("list", items=item_texts, line=list_line))
        elif tok.type == "heading_open":
            runs, _ = _inline_runs(tokens[i + 1])
            blocks.append(
                SourceBlock(
                    "heading",
                    [(t.replace("\n", " "), False) for t, _ in runs],
                    level=int(tok.tag[1]),
                    line=line,
                )
            )
            i += 2
        elif tok.type == "inline" and list_depth:
            runs, _ = _inline_runs(tok)
            item_texts.append("".join(t for t, _ in runs).replace("\n", " "))
        elif tok.type == "paragraph_open" and not list_depth:
            inline = tokens[i + 1]
            runs, pictures = _inline_runs(inline)
            raw = src_lines[tok.map[0] : tok.map[1]] if tok.map else []
            metas = [m for r in raw if (m := _META_LINE.match(r))]
            if raw and len(metas) == len(raw) and (len(raw) > 1 or "*" in raw[0]):
                for k, m in enumerate(metas):
                    assert m is not None  # all(metas) above
                    key, value = m.group(1).strip(), _meta_value(m.group(2))
                    if _CRAWL_KEYS.search(key) or (
                        _URL.fullmatch(value) and not _URL.fullmatch(key)
                    ):
                        dropped.append(f"{key}: {value}")
                        continue
                    blocks.append(
                        SourceBlock("paragraph", [(f"{key}：{value}", False)], line=line + k)
                    )
            else:
                for pic_src, alt in pictures:
                    blocks.append(
                        SourceBlock("figure", image=_image_path(pic_src), caption=alt, line=line)
                    )
                    if pic_src and not _image_path(pic_src):
                        diags.append(
                            Diagnostic(
                                path,
                                line,
                                0,
                                "warning",
                                f"picture {pic_src} is not in content/images/:"
                                " not fetched; put the file there",
                            )
                        )
                for k, part in enumerate(_split_lines(runs)):
                    blocks.append(SourceBlock("paragraph", part, line=line + k))
            i += 2
        elif tok.type == "hr":
            blocks.append(SourceBlock("rule", line=line))
        elif tok.type in ("fence", "code_block"):
            code_lines += tok.content.count("\n")
        elif tok.type == "html_block":
            dropped.append(" ".join(tok.content.split())[:30])  # one line in the warning
        i += 1
    if dropped:
        diags.append(
            Diagnostic(
                path,
                1,
                0,
                "warning",
                f"{len(dropped)} crawl stamps, links or "
                f"HTML blocks dropped (first: {dropped[0][:60]})",
            )
        )
    prose = sum(len(b.text) for b in blocks if b.kind in ("paragraph", "heading"))
    if (code_lines and prose < 200) or _unfenced_code(body):
        raise ContentError("this Markdown file is a code listing, not an article", path=path)
    authors = [
        Author(n, r or "作者")
        for n, r in split_names(_value(front, _AUTHOR_KEYS), strict=False) or []
    ]
    page = SourcePage(
        blocks,
        title=_value(front, _TITLE_KEYS),
        date=parse_date(_value(front, _DATE_KEYS)),
        authors=authors,
        publication=_value(front, _PUB_KEYS),
        source=_value(front, _SOURCE_KEYS),
        diagnostics=diags,
    )
    return build_page(page, data, path, "Markdown")
