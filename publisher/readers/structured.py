"""Structured sources → cases: what the Markdown, HTML and DOCX readers share.

Those readers know the source's structure (headings, bold, pictures, lists), so they
describe a page as SourceBlocks and leave the rest to `build_page`: script and punctuation,
metadata lines, digest splitting, lead-ins, figures, facts and ids. The rules are those of
the plain-text importer, with the source's own structure as the evidence it asks for:
- a source heading is a heading; a bold line of at most 30 characters without end
  punctuation is a heading too (listed for review);
- a bold run opening a paragraph is its lead-in; 一是…, （一）… lead-ins as in plain text;
- a page splits into one case per item when it is a digest (`_items`);
- the region comes from the metadata or the dateline only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..model import Author, Block, Case, Figure, Heading, Paragraph, Run
from ..support.errors import ContentError, Diagnostic
from ..text.chinese import looks_like_name
from ..text.textcheck import MISSING_CAPTION, MISSING_TITLE
from .casebuilder import CaseDraft, SourceFile, build_case
from .raw import ImportResult
from .raw.assemble import case_id
from .raw.blocks import lead_spans, opens_enumeration, runs_from_spans
from .raw.figures import split_credit
from .rules.chrome import Chrome, classify, closing_byline, is_disclaimer
from .rules.facts import collapse_spaces, is_organisation, parse_date_prefix, split_names
from .rules.punctuation import normalize_punctuation, widened_note
from .rules.script import convert, to_simplified
from .rules.text import ends_final, is_short_line

__all__ = ["SourceBlock", "SourcePage", "build_page"]


@dataclass
class SourceBlock:
    """One block of a structured source, as the source marks it up.

    kind: heading (level 1-6 as in the source), paragraph (runs of (text, bold)), figure
    (image path under content/, caption), list (items), rule (a horizontal rule).
    """

    kind: str
    runs: list[tuple[str, bool]] = field(default_factory=list)
    level: int = 0
    image: str = ""
    caption: str = ""
    items: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass
class SourcePage:
    """A structured source: its blocks and the metadata its format carries."""

    blocks: list[SourceBlock]
    title: str = ""
    subtitle: str = ""
    kicker: str = ""
    date: str = ""
    authors: list[Author] = field(default_factory=list)
    publication: str = ""
    source: str = ""
    images: dict[str, bytes] = field(default_factory=dict)  # content-relative path → bytes
    diagnostics: list[Diagnostic] = field(default_factory=list)


_SPACES = re.compile(r"[\s\u3000\xa0]+")
_LABEL = re.compile(r"^【([^【】]{2,30})】\s*")  # 【不忘初心 牢记使命】title
_SERIES = re.compile(r"（([^（）]{2,60})）$")
_RULE_LINE = re.compile(r"^[-—–─=_*·\s]{3,}$")  # ————– used as a rule
_URL = re.compile(r"https?://|www\.|\.com\b|\.cn\b")
_HEADING_MAX = 30
# `——某某纪实` right under the title: its subtitle (a dash-led sentence is body text)
_DASH_SUBTITLE = re.compile(r"^(?:——|──|--)[^。！？]{2,58}$")
_DATELINE_WORD = re.compile(r"^\S{0,8}(?:讯|电)$")  # a bold 本站讯 is a dateline, no lead-in
_HAN_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


# Private-use characters: a web font's icons, no text (投身外交(3)\ue004)
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _clean(text: str, config: str) -> str:
    text = _SPACES.sub(" ", _PRIVATE_USE.sub("", text.replace("\ufeff", ""))).strip()
    if config:
        text = convert(text, config)
    return normalize_punctuation(text)


def _clean_run(text: str, config: str) -> str:
    """A run of a paragraph, cleaned: a space at either end of it is a space between it and
    its neighbour (`<b>Open</b> Source`), kept as one; the paragraph's own ends are
    stripped later."""
    if not text.strip():
        return " "
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + _clean(text, config) + trail


def _paragraph(runs: list[tuple[str, bool]], line: int) -> Paragraph | None:
    """Runs with the source's bold kept only as an opening lead-in; enumerated lead-ins
    (一是…) are found as in plain text."""
    text = "".join(t for t, _ in runs)
    if not text.strip():
        return None
    lead = 0
    if (
        runs
        and runs[0][1]
        and len(runs) > 1
        and len(runs[0][0]) < len(text)
        and not _DATELINE_WORD.match(runs[0][0].strip())
    ):
        lead = len(runs[0][0])
    spans = ([(0, lead)] if lead else []) + [s for s in lead_spans(text) if s[0] >= lead]
    merged = list(runs_from_spans(text, spans))
    texts = [r.text for r in merged]
    texts[0] = texts[0].lstrip()  # a run of spaces alone (a bold line break) goes whole
    texts[-1] = texts[-1].rstrip()
    kept = tuple(Run(t, r.strong) for t, r in zip(texts, merged, strict=True) if t)
    return Paragraph(kept, line=line) if kept else None


@dataclass
class _Item:
    title: str
    title_line: int
    series: str = ""
    subtitle: str = ""
    blocks: list[SourceBlock] = field(default_factory=list)


def _split_title(title: str) -> tuple[str, str]:
    """(title, series): a leading 【…】 or a trailing （…） column label is the series."""
    m = _LABEL.match(title)
    if m and m.end() < len(title):
        return title[m.end() :].strip(), m.group(1).strip()
    m = _SERIES.search(title)
    if m and m.start() > 0:
        return title[: m.start()].rstrip(), m.group(1).strip()
    return title, ""


# A digest page's title that names its programme or paper: `每日新闻联播`, `人民日报
# 今日要闻`. A periodicity word around the name and a trailing 文字版/全文 are not part of it.
_PAGE_DATE = re.compile(
    r"\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?|\d{8}|[（(]?第?\d{1,3}[期版][）)]?"
)
_PERIODIC = re.compile(r"^(?:每日|每天|今日|今天|当日|每周|本周|今晚|晚间)+")
_EDITION = re.compile(r"(?:文字版|全文|摘要|要闻|主要内容|内容|汇总|合集|精选|回顾|速览)+$")
_PAGE_PUNCT = re.compile(r"[\s\u3000|｜_·•:：,，。、\-–—]+")
_MEDIA_NAME = re.compile(
    r"^[\u4e00-\u9fff]{2,10}?(?:联播|新闻|日报|晚报|早报|时报|商报|频道|电视台|之声|周刊|杂志|"
    r"新闻网|报)$"
)


def _describes_page(text: str) -> bool:
    name = _PAGE_PUNCT.sub("", text)
    return bool(_PAGE_DATE.search(name) or _PERIODIC.search(name) or _EDITION.search(name))


def _publication_of(*lines: str) -> str:
    """The publication a digest page's title or contents line names (每日新闻联播,
    20181017今日新闻联播主要内容：, 新闻联播 | 2018-10-17 → 新闻联播), else ""."""
    for line in lines:
        name = _PAGE_PUNCT.sub("", _PAGE_DATE.sub("", line))
        name = _EDITION.sub("", _PERIODIC.sub("", name))
        if _MEDIA_NAME.match(name):
            return name
    return ""


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000【】]", "", text)


def _items(
    blocks: list[SourceBlock], path: str, diags: list[Diagnostic]
) -> tuple[list[SourceBlock], list[_Item]] | None:
    """A digest page's items, or None when the page is one article.

    A page is a digest when its headings of one level each open an item and either (a) a
    list on the page (its table of contents) names at least two of them, or (b) no body
    paragraph stands before the first of them. Short paragraphs named in the table of
    contents open an item too (titles the scraper did not mark up); a named line followed
    directly by an item is a group label (国内联播快讯) and is dropped, reported.
    Returns (the page's header blocks before the first item, the items).
    """
    heads = [b for b in blocks if b.kind == "heading"]
    if len(heads) < 2:
        return None
    toc = {_squash(i) for b in blocks if b.kind == "list" for i in b.items}
    named = [h for h in heads if _squash(h.text) in toc]
    first_head = blocks.index(heads[0])
    lead_text = [
        b for b in blocks[:first_head] if b.kind == "paragraph" and len(b.text) > _HEADING_MAX
    ]
    if len(named) < 2 and lead_text:
        return None
    # the item level: the deepest level that holds headings named in the table of contents,
    # else the shallowest level below the page's first heading
    levels = sorted({h.level for h in heads})
    opens = {h.level for h in named} or set(
        levels[1:]
        if len(levels) > 1
        and heads[0].level == levels[0]
        and sum(h.level == levels[0] for h in heads) == 1
        else levels[:1]
    )
    starts: list[int] = []
    for i, b in enumerate(blocks):
        if b.kind == "heading" and (b.level in opens or _squash(b.text) in toc) and i >= first_head:
            starts.append(i)
        elif b.kind == "paragraph" and toc and _squash(b.text) in toc and i > first_head:
            nxt = next((x for x in blocks[i + 1 :] if x.kind != "rule"), None)
            if nxt is not None and nxt.kind == "heading":
                diags.append(
                    Diagnostic(
                        path, b.line, 0, "warning", f"“{b.text}” groups the items after it: dropped"
                    )
                )
                b.kind = "dropped"
            else:
                starts.append(i)
                diags.append(
                    Diagnostic(
                        path,
                        b.line,
                        0,
                        "warning",
                        f"guess: “{b.text}” opens an item (the page's table"
                        " of contents names it): check",
                    )
                )
    if len(starts) < 2:
        return None
    items: list[_Item] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        head = blocks[start]
        items.append(_Item(head.text, head.line, blocks=blocks[start + 1 : end]))
    if not _digest_evidence(blocks[: starts[0]], items):
        return None
    return blocks[: starts[0]], items


def _article_chars(blocks: list[SourceBlock]) -> int:
    """Characters of article text: paragraphs longer than a headline or ending a sentence."""
    return sum(
        len(b.text)
        for b in blocks
        if b.kind == "paragraph" and (len(b.text) > _HEADING_MAX or ends_final(b.text.strip()))
    )


_LIST_LINE = 30  # characters: a line of a headline list is at most this long
# `某公司关于某事项的公告 2015/07/04`: another article's headline with its date, as lists
# print them (a signature's date is printed 2021年7月1日)
_DATED_HEADLINE = re.compile(
    r"^.{8,80}?[（(\s]?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?[）)]?$"
)


def _is_sentence(b: SourceBlock) -> bool:
    return b.kind == "paragraph" and ends_final(b.text.strip()) and len(b.text.strip()) >= 10


_LONG_TEXT = 60  # characters: a paragraph of clauses this long is text however it ends


def _is_long_text(b: SourceBlock) -> bool:
    """A paragraph of the article that stops without closing its sentence (…他们答：招行
    有自己的风控）: long, in clauses; never another article's dated headline."""
    text = b.text.strip()
    return (
        b.kind == "paragraph"
        and len(text) >= _LONG_TEXT
        and "，" in text
        and not _DATED_HEADLINE.match(text)
        and not _URL.search(text)
        and "@" not in text
    )


# `2015年7月4日`: a date alone on its line, as a signature prints it (no time, no label)
_SIGNED_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_SIGNER_MAX = 30  # characters: a signature's issuer line (中共某县委员会) is short


def _is_signer(b: SourceBlock) -> bool:
    text = b.text.strip()
    return (
        b.kind in ("paragraph", "heading")
        and 2 <= len(text) <= _SIGNER_MAX
        and not ends_final(text)
        and not _SIGNED_DATE.match(text)
    )


def _signature(tail: list[SourceBlock]) -> int:
    """How many of the blocks right after the article's last sentence are its closing
    formula and signature: 特此通告。 perhaps, then the issuer's line and the date under it
    (中国证券业协会 / 2015年7月4日) or the date alone; 0 when they are not."""
    formula = int(bool(tail) and tail[0].kind == "paragraph" and ends_final(tail[0].text.strip()))
    rest = tail[formula:]
    if rest and rest[0].kind == "paragraph" and _SIGNED_DATE.match(rest[0].text.strip()):
        return formula + 1
    if (
        len(rest) >= 2
        and _is_signer(rest[0])
        and rest[1].kind == "paragraph"
        and _SIGNED_DATE.match(rest[1].text.strip())
    ):
        return formula + 2
    return 0


# `以下为公告：`, `公告全文如下：`, `附：`: a line pointing at what is printed under it
_POINTS_BELOW = re.compile(r"^(?:以下|下面|附)[^。！？]{0,20}[：:]$|如下[：:]$")


def _signs(before: list[SourceBlock], text: str) -> bool:
    """Whether a date line closes a signature: a date alone (2015年7月4日) under the
    issuer's line, which follows a sentence of the text (特此通告。)."""
    return (
        bool(_SIGNED_DATE.match(text))
        and len(before) >= 2
        and _is_signer(before[-1])
        and before[-2].kind == "paragraph"
        and ends_final(before[-2].text.strip())
    )


def _names_headline(title: str, heading: str) -> bool:
    """Whether the page's title names this heading as its headline (the title is the
    heading, or opens with it before the site's name)."""
    return bool(title) and (
        _squash(title).startswith(_squash(heading)) or _squash(heading) == _squash(title)
    )


def _section_labels(
    over: list[SourceBlock], path: str, diags: list[Diagnostic]
) -> list[SourceBlock]:
    """Headings over the headline with no text between them and it: the page's section
    names (`学校要闻` over a sidebar, `要闻`), never the article's; said in a warning."""
    labels = [b for b in over if b.kind == "heading"]
    if labels and all(b.kind in ("heading", "figure") for b in over):
        diags.append(
            Diagnostic(
                path,
                labels[0].line,
                0,
                "warning",
                "guess: heading over the headline dropped as the page's section name: "
                + " / ".join(b.text.strip() for b in labels)
                + ": check",
            )
        )
        return labels
    return []


def _is_addressee(block: SourceBlock) -> bool:
    """A line opening the text it stands over and ending in a colon: a notice's addressees
    (`各乡镇人民政府，县政府各部门：`); never a headline, and longer
    than a record table's key (`标题：`)."""
    text = block.text.strip()
    return block.kind == "paragraph" and text.endswith(("：", ":")) and len(text) > 5


def _without_headline_lists(
    blocks: list[SourceBlock], path: str, diags: list[Diagnostic]
) -> list[SourceBlock]:
    """One article's blocks without the headline lists around its text.

    - After the article's last sentence, what follows is no text when it holds a heading
      (an article never ends on one) or three lines or more: other articles' headlines,
      section labels, thumbnails. Dropped.
    - Before the first paragraph of article text (30 characters or more, ending a
      sentence), a run of three short lines or more (pictures between them) is a list of
      other headlines: dropped. The title, a kicker or a subtitle are single lines.
    Each drop is reported with its first line.
    """
    sentences = [i for i, b in enumerate(blocks) if _is_sentence(b) or _is_long_text(b)]
    if not sentences:
        return blocks
    end = len(blocks)
    # a notice's signature closes it: text, whatever follows it; so does a line introducing
    # the photos under it (以下为公告：) with those photos (thumbnails after the text
    # without such a line are a list's)
    signed = sentences[-1] + 1 + _signature(blocks[sentences[-1] + 1 :])
    if (
        signed + 1 < len(blocks)
        and blocks[signed].kind == "paragraph"
        and _POINTS_BELOW.search(blocks[signed].text.strip())
        and blocks[signed + 1].kind == "figure"
    ):
        signed += 1
        while signed < len(blocks) and blocks[signed].kind == "figure":
            signed += 1
    for signing in blocks[sentences[-1] + 1 : signed]:  # never a bold heading
        if signing.kind != "figure":
            signing.kind, signing.runs = "paragraph", [(t, False) for t, _ in signing.runs]
    tail = blocks[signed:]
    lines = [b for b in tail if b.kind in ("paragraph", "heading", "list")]
    if (
        any(b.kind == "heading" for b in tail)
        or len(lines) >= 3
        or any(_DATED_HEADLINE.match(b.text.strip()) for b in lines)
    ):
        end = signed
        shown = next((b.text or "; ".join(b.items[:2]) for b in lines), "")
        diags.append(
            Diagnostic(
                path,
                blocks[end].line if end < len(blocks) else 0,
                0,
                "warning",
                f"guess: {len(tail)} blocks after the article's last sentence dropped as the"
                f" page's lists of other articles ({shown[:30]}…): check",
            )
        )
    start = next((i for i in sentences if len(blocks[i].text.strip()) >= _LIST_LINE), sentences[0])
    drop: set[int] = set()
    run: list[int] = []
    for i in range(start + 1):
        b = blocks[i] if i < start else None
        # a ——subtitle or a numbered heading (一、) belongs to an article, never to a list
        # of other articles' headlines
        short = (
            b is not None
            and b.kind == "paragraph"
            and len(b.text.strip()) <= _LIST_LINE
            and not _DASH_SUBTITLE.match(b.text.strip())
            and not opens_enumeration(b.text.strip())
        )
        if short or (b is not None and b.kind == "figure" and run):
            run.append(i)
        else:
            if sum(blocks[k].kind == "paragraph" for k in run) >= 3:
                drop.update(run)
            run = []
    if start - 1 in drop and _is_addressee(blocks[start - 1]):
        drop.discard(start - 1)  # the text's own opening line, whatever is over it
    if drop:
        first = min(drop)
        diags.append(
            Diagnostic(
                path,
                blocks[first].line,
                0,
                "warning",
                f"guess: {len(drop)} short lines before the article's text dropped as a list"
                f" of other headlines ({blocks[first].text.strip()[:30]}…): check",
            )
        )
    return [b for i, b in enumerate(blocks[:end]) if i not in drop]


# Characters of sentences before a page's first heading that make a lead: an article's
# opening (a sectioned article, an encyclopedia entry), never a digest's header (its title,
# date and table of contents, an intro line without a sentence of its own).
_LEAD_MIN = 120


def _digest_evidence(header: list[SourceBlock], items: list[_Item]) -> bool:
    """A split needs positive evidence: at least two items with text of their own, and no
    more article text before the first item than in all the items (a page whose headings
    are a sidebar's headline list holds its article before them, and the items are bare),
    and no lead: sentences before the first item (`_LEAD_MIN` characters or more) open one
    article whose headings are its sections, whatever its table of contents lists."""
    texts = [
        sum(
            len(b.text)
            for b in item.blocks
            if _is_sentence(b)
            or (b.kind == "paragraph" and len(b.text) > _HEADING_MAX and ends_final(b.text.strip()))
        )
        for item in items
    ]
    header_text = sum(
        len(b.text) for b in header if b.kind == "paragraph" and len(b.text) > _HEADING_MAX
    )
    lead = sum(len(b.text.strip()) for b in header if _is_sentence(b))
    return sum(t > 0 for t in texts) >= 2 and header_text <= sum(texts) and lead < _LEAD_MIN


def _footer(blocks: list[SourceBlock]) -> int:
    """Index where the page footer starts: at the earliest rule after which nothing is
    article text (only lines of at most 20 characters, lines with a link, lists and
    rules), else len(blocks)."""
    start = len(blocks)
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if b.kind == "rule":
            start = i
        elif not (
            b.kind == "list"
            or (b.kind == "paragraph" and (len(b.text) <= 20 or _URL.search(b.text)))
        ):
            break
    return start


# `相关阅读`, `【推荐阅读】`: a page's list of other articles after the text.
_RELATED = re.compile(
    r"^[【\[]?(?:相关(?:新闻|阅读|报道|链接|文章)|推荐阅读|延伸阅读|热点推荐|猜你喜欢|热门文章"
    r"|往期回顾|更多精彩)[】\]]?[：:]?$"
)


def _related(blocks: list[SourceBlock]) -> int:
    """Index of a `相关阅读` label after which only headlines follow (short lines without
    end punctuation, lists, links), else len(blocks)."""
    for i, b in enumerate(blocks):
        if b.kind in ("paragraph", "heading") and _RELATED.match(b.text.strip()):
            rest = blocks[i + 1 :]
            if all(
                x.kind in ("list", "rule", "figure")
                or (len(x.text.strip()) <= 40 and not ends_final(x.text.strip()))
                or _URL.search(x.text)
                for x in rest
            ):
                return i
    return len(blocks)


# `最新评论`, `更多评论 共 0 条评论`: a comment section's label. Readers' comments and the
# page's furniture after them are never the article.
_COMMENTS = re.compile(
    r"^[【\[]?(?:最新|热门|全部|精彩|更多)评论[】\]]?(?:\s*共\s*\d+\s*条评论)?$|^评论列表$"
)


def _comments(blocks: list[SourceBlock]) -> int:
    """Index of a comment section's label after the article's first sentence, else
    len(blocks)."""
    started = False
    for i, b in enumerate(blocks):
        started = started or _is_sentence(b)
        if started and b.kind in ("paragraph", "heading") and _COMMENTS.match(b.text.strip()):
            return i
    return len(blocks)


def _cut_end(runs: list[tuple[str, bool]], keep: int) -> list[tuple[str, bool]]:
    """The runs holding only the first `keep` characters of their stripped text."""
    text = "".join(t for t, _ in runs)
    keep += len(text) - len(text.lstrip())
    out: list[tuple[str, bool]] = []
    for t, bold in runs:
        if keep <= 0:
            break
        out.append((t[:keep], bold))
        keep -= len(t)
    return out


# How the names of media, bodies and places end (和讯网, 金融界, 高新区, 黄河): no person's
_NOT_PERSON = re.compile(
    r"(?:[网报社台刊界区县市省州镇乡村站局委办部院厅所会司校馆队团处科室组河江山湖海井峰港]"
    r"|中心|频道|新闻|在线)$"
)


_POSTERS = 3  # 作者： lines in a text from this many on: a forum thread's posts
_NO_CHROME = Chrome("none")
# a numbered clause of a site's notice (① 凡本网注明…, 一、任何单位或个人…)
_CLAUSE = re.compile(r"^(?:[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]{1,2}、)")


def _person_as_source(source: str) -> list[Author]:
    """The writers a `来源：` line names when it names people, not a paper or a site
    (`来源: 尹娟`): every part a personal name (a common surname first), else []."""
    names = split_names(source)
    if not names or not all(
        len(n) <= 3 and looks_like_name(n) and not is_organisation(n) and not _NOT_PERSON.search(n)
        for n, _ in names
    ):
        return []
    return [Author(n, "") for n, _ in names]


# C901 and PLR0915 allowed here: a structured page's blocks into cases in one pass, a branch per
# kind of block.
def build_page(page: SourcePage, data: bytes, path: str, kind: str) -> ImportResult:  # noqa: C901, PLR0915
    """Cases of a structured source. `kind` names the format for messages (Markdown…)."""
    diags = list(page.diagnostics)
    # script: decided over the whole page, applied run by run
    texts = (
        [page.title]
        + [t for b in page.blocks for t, _ in b.runs]
        + [b.caption for b in page.blocks]
        + [i for b in page.blocks for i in b.items]
    )
    _, script, strays, config = to_simplified(texts)
    if config:
        diags.append(
            Diagnostic(
                path, 1, 0, "info", f"Traditional text converted to Simplified with OpenCC {config}"
            )
        )
    for b in page.blocks:
        b.runs = [(_clean_run(t, config), bold) for t, bold in b.runs]
        b.caption = _clean(b.caption, config)
        b.items = [_clean(i, config) for i in b.items]
    page_title = _clean(page.title, config)
    diags += widened_note(
        path,
        texts,
        [page_title]
        + [t for b in page.blocks for t, _ in b.runs]
        + [b.caption for b in page.blocks]
        + [i for b in page.blocks for i in b.items],
    )

    # metadata lines, rules drawn with characters, links: facts kept, lines dropped
    date, authors = page.date, list(page.authors)
    publication, source = page.publication, page.source
    paper_page = ""  # the printed paper's page (04版), from its line closing the text
    blocks: list[SourceBlock] = []
    furniture: list[str] = []  # metadata and page furniture lines: facts kept, lines dropped
    in_notice = False  # the line before is a site's notice (版权与免责声明：, ① 凡本网注明…)
    labelled: list[str] = []  # 作者： lines in the text
    for b in page.blocks:
        text = b.text.strip()
        if b.kind == "heading" and is_disclaimer(text):
            # a site's notice set as a heading (反侵权公告：) over its clauses
            furniture.append(text)
            in_notice = True
            continue
        if b.kind == "paragraph":
            if not text:
                continue
            if _RULE_LINE.match(text):
                b.kind = "rule"
            else:
                chrome = classify(text)
                if chrome is not None and _signs(blocks, text):
                    date = date or chrome.date
                    chrome = None  # a signature's date: text (its date kept when none is)
                if chrome is None and in_notice and _CLAUSE.match(text):
                    chrome = classify("免责声明")  # a clause of the notice above it (③ 如因…)
                in_notice = chrome is not None and (
                    "声明" in text
                    or is_disclaimer(text)
                    or (in_notice and bool(_CLAUSE.match(text)))
                )
                if chrome is not None:
                    furniture.append(text)
                    date = date or chrome.date
                    source = source or chrome.source
                    publication = publication or chrome.publication
                    paper_page = paper_page or chrome.page
                    authors += [a for a in chrome.authors if a not in authors]
                    if text.startswith("作者") and chrome.authors:
                        labelled.append(text)
                    continue
                closing = closing_byline(text)
                if closing is not None:
                    cut, signed = closing
                    b.runs = _cut_end(b.runs, cut)
                    authors += [a for a in signed if a not in authors]
                    furniture.append(text[cut:])
        blocks.append(b)
    if furniture:
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "info",
                f"{len(furniture)} metadata or page furniture lines taken out of the text"
                f" (their facts kept): {' / '.join(t[:24] for t in furniture[:3])}"
                + ("…" if len(furniture) > 3 else ""),
            )
        )
    if len(labelled) >= _POSTERS:
        # a thread's posts, each under its poster: none of them is the article's byline
        posters = {a for t in labelled for a in (classify(t) or _NO_CHROME).authors}
        authors = [a for a in authors if a not in posters]
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"{len(labelled)} 作者： lines in the text ({labelled[0]}, {labelled[1]}…):"
                " a thread's posters, none taken as the author: check",
            )
        )
    if not authors and source:
        people = _person_as_source(source)
        if people:
            authors = people
            diags.append(
                Diagnostic(
                    path,
                    0,
                    0,
                    "warning",
                    f"guess: the source “{source}” is a person's name, taken as the author: check",
                )
            )
    end = _footer(blocks)
    related = _related(blocks[:end])
    if related < end:
        diags.append(
            Diagnostic(
                path,
                blocks[related].line,
                0,
                "warning",
                f"the page's list of other articles dropped ({blocks[related].text.strip()}"
                f" and {end - related - 1} lines after it)",
            )
        )
    if end < len(blocks):
        dropped = [b.text for b in blocks[end:] if b.text.strip()]
        if dropped:
            diags.append(
                Diagnostic(
                    path,
                    blocks[end].line,
                    0,
                    "warning",
                    f"page footer after the last rule dropped: {dropped[0]}…",
                )
            )
    comments = _comments(blocks[: min(end, related)])
    if comments < min(end, related):
        diags.append(
            Diagnostic(
                path,
                blocks[comments].line,
                0,
                "warning",
                f"the page's comment section dropped ({blocks[comments].text.strip()} and"
                f" {min(end, related) - comments - 1} blocks after it)",
            )
        )
    blocks = blocks[: min(end, related, comments)]

    split = _items(blocks, path, diags)
    if split is None:
        blocks = _without_headline_lists(blocks, path, diags)
        title = page_title
        headings = [b for b in blocks if b.kind == "heading"]
        # the headline: the first heading the page's title names, else the first heading
        title_block = next((b for b in headings if _names_headline(title, b.text)), None)
        if title_block is None and headings and not title:
            title_block = headings[0]
        body = blocks
        if title_block is not None:
            lead = blocks.index(title_block)
            if not any(b.kind == "paragraph" and len(b.text) > _HEADING_MAX for b in blocks[:lead]):
                title = title_block.text
                over = _section_labels(blocks[:lead], path, diags)
                body = [b for b in blocks[:lead] if b not in over] + blocks[lead + 1 :]
        title, series = _split_title(title)
        flat: list[SourceBlock] = []  # a list inside an article is text: one paragraph an item
        for b in body:
            if b.kind == "list":
                flat += [SourceBlock("paragraph", [(t, False)], line=b.line) for t in b.items]
            else:
                flat.append(b)
        subtitle = _clean(page.subtitle, config)
        first = next((k for k, b in enumerate(flat) if b.kind != "figure"), None)
        if (
            not subtitle
            and first is not None
            and flat[first].kind == "paragraph"
            and _DASH_SUBTITLE.match(flat[first].text.strip())
        ):
            subtitle = flat.pop(first).text.strip()
        items = [
            _Item(
                title or MISSING_TITLE,
                (title_block or headings[0]).line if headings else 1,
                series,
                collapse_spaces(subtitle.lstrip("—－-─ ")),
                flat,
            )
        ]
    else:
        header, items = split
        for item in items:
            item.title, item.series = _split_title(item.title)
        # the page's own lines before the items: its title, then the contents' lead line
        named_by = [(1, page_title)] if page_title else []
        named_by += [
            (b.line, b.text)
            for b in header
            if b.kind == "heading"
            # a line of the page that dates or describes it (20181017今日…主要内容：)
            or (b.kind == "paragraph" and _describes_page(b.text))
        ]
        for line, text in named_by[:4]:
            named = _publication_of(text)
            if named and not publication:
                publication = named
                diags.append(
                    Diagnostic(
                        path,
                        line,
                        0,
                        "warning",
                        f"guess: the page's “{text}” names the publication of every item:"
                        f" {named}; check",
                    )
                )
                break
        diags.append(
            Diagnostic(
                path,
                items[0].title_line,
                0,
                "warning",
                f"a digest of {len(items)} items: split into {len(items)} "
                "cases, one per item (headings, and lines the page's table of"
                " contents names); check the split",
            )
        )
        skipped = [
            b.text or "; ".join(b.items[:2])
            for b in header
            if b.kind in ("paragraph", "list") and (b.text or b.items)
        ]
        if skipped:
            diags.append(
                Diagnostic(
                    path,
                    header[0].line if header else 1,
                    0,
                    "warning",
                    f"page header before the first item dropped ({len(skipped)}"
                    f" blocks: {skipped[0][:30]}…)",
                )
            )

    file = SourceFile(path, hashlib.sha256(data).hexdigest(), case_id(path), script, config)
    kept: list[tuple[_Item, list[Block]]] = []
    for item in items:
        case_blocks = _blocks(item.blocks, path, diags)
        if not any(isinstance(b, Paragraph) for b in case_blocks):
            if len(items) > 1:
                diags.append(
                    Diagnostic(
                        path,
                        item.title_line,
                        0,
                        "warning",
                        f"item “{item.title}” has no text: skipped",
                    )
                )
                continue
            raise ContentError(
                f"no article text found in this {kind} file", path=path, line=item.title_line
            )
        kept.append((item, case_blocks))
    cases: list[Case] = []
    for n, (item, case_blocks) in enumerate(kept, 1):
        draft = CaseDraft(
            title=collapse_spaces(item.title),
            blocks=case_blocks,
            title_line=item.title_line,
            subtitle=item.subtitle,
            kicker=collapse_spaces(page.kicker) if len(kept) == 1 else "",
            series=collapse_spaces(item.series),
            authors=list(authors),
            publication=publication,
            page=paper_page if len(kept) == 1 else "",
            source=source,
            date=date,
            page_chrome="\n".join(furniture),
        )
        cases.append(build_case(draft, n, len(items), file, diags))
    if not cases:
        raise ContentError(f"no article text found in this {kind} file", path=path)
    for _line, chars in strays[:10]:
        diags.append(
            Diagnostic(
                path,
                0,
                0,
                "warning",
                f"Traditional form(s) {chars} in a"
                " Simplified text: left as they are (often a name); check",
            )
        )
    return ImportResult(tuple(cases), tuple(dict.fromkeys(diags)), images=dict(page.images))


def _blocks(source: list[SourceBlock], path: str, diags: list[Diagnostic]) -> list[Block]:
    out: list[Block] = []
    top = min((b.level for b in source if b.kind == "heading"), default=1)
    bold_heading = -2  # source index of the last bold line taken as a heading
    for k, b in enumerate(source):
        if b.kind == "heading":
            text = b.text.strip()
            if text:
                out.append(Heading(min(3, b.level - top + 1), text, line=b.line))
        elif b.kind == "paragraph":
            text = b.text.strip()
            bold = all(bold or not t.strip() for t, bold in b.runs)
            nxt = next((x for x in source[k + 1 :] if x.kind in ("paragraph", "heading")), None)
            if (
                text.isdigit()
                and len(text) <= 2
                and nxt is not None
                and (nxt.kind == "heading" or all(bold for t, bold in nxt.runs if t.strip()))
            ):
                diags.append(
                    Diagnostic(
                        path,
                        b.line,
                        0,
                        "warning",
                        f"a lone section number “{text}” above a heading dropped: check",
                    )
                )
                continue
            if (
                bold
                and len(text) <= _HEADING_MAX
                and not ends_final(text)
                and is_short_line(text)
                and nxt is not None
                and not text.isdigit()
            ):
                text = _HAN_SPACE.sub("", text)  # runs of one heading, split by the markup
                if (
                    bold_heading == k - 1
                    and isinstance(out[-1], Heading)
                    and len(out[-1].text) + len(text) < _HEADING_MAX
                ):
                    # two bold lines in a row: one heading printed over two lines
                    out[-1] = Heading(1, f"{out[-1].text}\u3000{text}", line=out[-1].line)
                    continue
                bold_heading = k
                diags.append(
                    Diagnostic(
                        path,
                        b.line,
                        0,
                        "warning",
                        "guess: a bold line without"
                        f" end punctuation taken as a heading (“{text}”): check",
                    )
                )
                out.append(Heading(1, text, line=b.line))
                continue
            if out and isinstance(out[-1], Figure) and out[-1].caption == MISSING_CAPTION:
                credited = split_credit(text)
                if text.startswith(("图为", "图：", "图片：")) or (credited and len(text) <= 80):
                    cap, credit = credited or (text, "")
                    out[-1] = Figure(cap, credit, out[-1].image, line=b.line)
                    diags.append(
                        Diagnostic(
                            path,
                            b.line,
                            0,
                            "warning",
                            f"taken as a photo caption: the line after a picture (“{text[:20]}”);"
                            " check",
                        )
                    )
                    continue
            para = _paragraph(b.runs, b.line)
            if para is not None:
                out.append(para)
        elif b.kind == "figure":
            caption, credit = b.caption, ""
            credited = split_credit(caption) if caption else None
            if credited:
                caption, credit = credited
            out.append(Figure(caption or MISSING_CAPTION, credit, b.image, line=b.line))
    # said once the line after each picture has had its chance to be its caption
    for block in out:
        if isinstance(block, Figure) and block.caption == MISSING_CAPTION:
            diags.append(
                Diagnostic(
                    path,
                    block.line,
                    0,
                    "warning",
                    f"picture {block.image or '(not saved with the page)'}"
                    f" has no caption: titled {MISSING_CAPTION}; write one",
                )
            )
    return out


def parse_date(text: str) -> str:
    """An ISO date from metadata text (2019-10-31T23:00:00+08:00, 2019年10月31日), or ""."""
    parsed = parse_date_prefix(text.strip())
    return parsed[0] if parsed else ""
