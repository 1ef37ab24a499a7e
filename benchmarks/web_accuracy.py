"""Benchmark part: saved web pages scored against another project's labels, with anchors.

Run through `import_accuracy.py` (a corpus with labels/ is a web corpus: inputs/NAME.html
and labels/NAME.json with body, date, authors; its README explains them). On the same
pages, in the same run, three readers are scored:
- ours: `publisher import` exactly (every case of the page, in order);
- trafilatura alone: `bare_extraction` with its default settings (plus with_metadata, without
  which it gives no title, date or author);
- GeneralNewsExtractor alone: the `gne` package. It is GPL-3.0, so it is never a dependency
  of this package: install it into the venv for the benchmark (`.venv/bin/pip install gne`);
  without it its column says "not installed".

Fields, each on the pages whose label gives it:
- body: character-level precision, recall and F1 of the extracted text against the label's
  article text (a label line that is another article's headline, ending with its date or
  comment count, is set aside: one label set kept its pages' related-article lists)
  (whitespace removed, Traditional compared as Simplified, punctuation full-width), from
  difflib's matching blocks; the median F1, the share of pages with F1 ≥ 0.9, and articles
  lost (recall < 0.8, the page's error counted as lost);
- date: the day (as much of year-month-day as the label prints);
- authors: every labelled name is found, and nothing else is taken for a writer (the labels
  name whoever the page credits, sometimes editors and photographers too: ours may name
  those beside the label under their roles; the anchors give one undifferentiated string,
  so theirs must equal the label);
- title: equal text, where benchmarks/web_titles.json labels one (our own labels);
- chrome: pages whose text keeps a furniture phrase (breadcrumb, share bar, disclaimer,
  login, previous/next links…) that the label's body does not have.
"""

from __future__ import annotations

import difflib
import importlib
import json
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.model import Figure, Heading, Paragraph
from publisher.readers import import_source
from publisher.support.errors import PublisherError
from publisher.text.textcheck import MISSING_CAPTION, MISSING_TITLE
from textkey import key

TITLES = Path(__file__).with_name("web_titles.json")
# What some pages are, said once they were read by hand (not an article, a doubtful label),
# keyed by page or by "page field": printed beside the page where it is lost or missed; the
# scores count every page alike.
NOTES = Path(__file__).with_name("web_notes.json")
READERS = ("ours", "trafilatura", "gne")
# Furniture phrases: what a reader of the article never wants in its text.
CHROME = (
    "您所在的位置",
    "您的位置",
    "当前位置",
    "免责声明",
    "分享到",
    "扫一扫",
    "上一篇",
    "下一篇",
    "打印本页",
    "关闭窗口",
    "登录",
    "注册",
    "版权所有",
    "相关阅读",
    "相关新闻",
    "推荐阅读",
    "返回顶部",
    "责任编辑",
    "点击排行",
    "我要评论",
)


@dataclass
class Extracted:
    body: str = ""
    title: str = ""
    date: str = ""
    authors: list[str] = field(default_factory=list)
    error: str = ""
    credited: list[str] = field(default_factory=list)  # named in other roles (editors…)


def ours(data: bytes, path: Path) -> Extracted:
    try:
        cases = import_source(data, f"corpus-web/{path.name}", path).cases
    except PublisherError as exc:
        return Extracted(error=str(exc).splitlines()[0])
    parts = []
    for case in cases:
        for b in case.blocks:
            if isinstance(b, Heading | Paragraph):
                parts.append(b.text)
            elif isinstance(b, Figure) and b.caption != MISSING_CAPTION:
                parts.append(b.caption)
    first = cases[0]
    return Extracted(
        "\n".join(parts),
        "" if first.title == MISSING_TITLE else first.title,
        first.date,
        [a.name for a in first.writers if a.name],
        credited=[a.name for a in first.authors if a.name and a not in first.writers],
    )


def trafilatura_alone(data: bytes, path: Path) -> Extracted:
    import trafilatura

    doc: Any = trafilatura.bare_extraction(data, with_metadata=True)
    if doc is None:
        return Extracted(error="nothing extracted")
    return Extracted(doc.text or "", doc.title or "", doc.date or "", _names(doc.author or ""))


def _gne() -> Any:
    try:
        return importlib.import_module("gne").GeneralNewsExtractor
    except ImportError:
        return None


def gne_alone(data: bytes, path: Path) -> Extracted:
    extractor = _gne()
    if extractor is None:
        return Extracted(error="gne not installed")
    try:
        got = extractor().extract(_as_text(data))
    except Exception as exc:  # the anchor's own failures are scored, not raised
        return Extracted(error=f"{type(exc).__name__}: {exc}"[:100])
    return Extracted(
        got.get("content") or "",
        got.get("title") or "",
        got.get("publish_time") or "",
        _names(got.get("author") or ""),
    )


def _as_text(data: bytes) -> str:
    """The page as a browser decodes it: its declared charset, else UTF-8, else GB18030."""
    m = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", data[:4000], re.I)
    for codec in ([m.group(1).decode("ascii")] if m else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode("gb18030" if codec.lower() in ("gb2312", "gbk") else codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", errors="replace")


def _names(text: str) -> list[str]:
    text = re.sub(r"^(?:作者|记者|文|编辑|来源)\s*[:：/]\s*", "", text.strip())
    return [n for n in re.split(r"[\s,，、;；/|]+", text) if n]


_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})(?:\s*[-月/.]\s*(\d{1,2}))?")


def _day(text: str) -> tuple[str, ...]:
    m = _DATE.search(text or "")
    if not m:
        m2 = re.match(r"^(\d{4})$", (text or "").strip())
        return (m2.group(1),) if m2 else ()
    return tuple(f"{int(g):02d}" if i else g for i, g in enumerate(m.groups()) if g)


def date_right(got: str, want: str) -> bool:
    w = _day(want)
    return bool(w) and _day(got)[: len(w)] == w


def body_scores(got: str, want: str) -> tuple[float, float, float]:
    a, b = key(got), key(want)
    if not a or not b:
        return 0.0, 0.0, 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    p, r = same / len(a), same / len(b)
    return p, r, (2 * p * r / (p + r) if same else 0.0)


# A label line that is another article's headline: it ends with that article's date or
# comment count (`保监会发布…有关事项2015/07/03`, `…失守3700评论19064条`).
_HEADLINE_LINE = re.compile(r"^.{4,80}?(?:\d{4}[/-]\d{2}[/-]\d{2}|评论\d+条)\s*$")


def label_body(body: str) -> tuple[str, int]:
    """The label's article text, without the lines that are other articles' headlines
    (the cx labels were made by an extractor that kept the page's related-article lists):
    (text, lines set aside)."""
    lines = body.split("\n")
    kept = [line for line in lines if not _HEADLINE_LINE.match(line.strip())]
    return "\n".join(kept), len(lines) - len(kept)


def chrome_kept(got: str, want: str) -> list[str]:
    a, b = key(got), key(want)
    return [c for c in CHROME if c in a and c not in b]


EXTRACTORS: dict[str, Callable[[bytes, Path], Extracted]] = {
    "ours": ours,
    "trafilatura": trafilatura_alone,
    "gne": gne_alone,
}


def run_web(corpus: Path, readers: tuple[str, ...] = READERS) -> dict:
    titles = json.loads(TITLES.read_text(encoding="utf-8")) if TITLES.is_file() else {}
    rows = []
    for label_file in sorted((corpus / "labels").glob("*.json")):
        page = corpus / "inputs" / (label_file.stem + ".html")
        if not page.is_file():
            continue
        label = json.loads(label_file.read_text(encoding="utf-8"))
        data = page.read_bytes()
        row: dict[str, Any] = {"input": page.name}
        if label.get("body"):
            label["body"], row["label_lines_set_aside"] = label_body(label["body"])
            label["body"] = label["body"] if key(label["body"]) else None
        for name in readers:
            extract = EXTRACTORS[name]
            got = extract(data, page)
            score: dict[str, Any] = {"error": got.error}
            if label.get("body"):
                p, r, f = body_scores(got.body, label["body"])
                score.update(
                    precision=p, recall=r, f1=f, chrome=chrome_kept(got.body, label["body"])
                )
            if _day(label.get("date") or ""):
                score["date"] = date_right(got.date, label["date"])
                score["date_got"] = got.date
            if label.get("authors"):
                want = set(map(key, label["authors"]))
                writers = set(map(key, got.authors))
                score["authors"] = writers <= want <= writers | set(map(key, got.credited))
                score["authors_got"] = got.authors + [f"({n})" for n in got.credited]
            if titles.get(label_file.stem):
                score["title"] = key(got.title) == key(titles[label_file.stem])
                score["title_got"] = got.title
            row[name] = score
        row["label"] = {k: label.get(k) for k in ("date", "authors")}
        row["label"]["title"] = titles.get(label_file.stem)
        rows.append(row)
    return {"corpus": str(corpus), "web": True, "readers": readers, "rows": rows}


def summary(rows: list[dict], name: str) -> dict[str, str]:
    scores = [r[name] for r in rows]
    bodies = [s for s in scores if "f1" in s]
    f1 = [s["f1"] for s in bodies]
    out: dict[str, str] = {}
    if name == "gne" and _gne() is None:
        return {k: "not installed" for k in _ROWS}
    if bodies:
        out["body precision (median)"] = f"{statistics.median(s['precision'] for s in bodies):.3f}"
        out["body recall (median)"] = f"{statistics.median(s['recall'] for s in bodies):.3f}"
        out["body F1 (median)"] = f"{statistics.median(f1):.3f}"
        out["body F1 (mean)"] = f"{statistics.mean(f1):.3f}"
        good = sum(x >= 0.9 for x in f1)
        out["body F1 ≥ 0.9"] = f"{good}/{len(f1)} ({100 * good / len(f1):.0f}%)"
        lost = sum(s["recall"] < 0.8 for s in bodies)
        out["articles lost (recall < 0.8)"] = f"{lost}/{len(f1)}"
        chrome = sum(bool(s["chrome"]) for s in bodies)
        out["pages with chrome left"] = f"{chrome}/{len(f1)}"
    for fld, label in (("date", "date right"), ("authors", "authors right"), ("title", "title")):
        have = [s[fld] for s in scores if fld in s]
        if have:
            out[label] = f"{sum(have)}/{len(have)} ({100 * sum(have) / len(have):.0f}%)"
    out["refused / failed"] = str(sum(bool(s["error"]) for s in scores))
    return out


_ROWS = (
    "body precision (median)",
    "body recall (median)",
    "body F1 (median)",
    "body F1 (mean)",
    "body F1 ≥ 0.9",
    "articles lost (recall < 0.8)",
    "pages with chrome left",
    "date right",
    "authors right",
    "title",
    "refused / failed",
)


_BODY_KEYS = ("precision", "recall", "f1", "chrome")


def without_noted(rows: list[dict], notes: dict[str, str]) -> list[dict]:
    """The rows with the fields a note sets aside taken out of every reader's score: a
    note on the page (`NAME`: its body label wrong, or the page no one article) its body,
    a note on one field (`NAME date`) that field."""
    out = []
    for row in rows:
        stem = row["input"].removesuffix(".html")
        gone = set(_BODY_KEYS) if stem in notes else set()
        gone |= {f for f in ("date", "authors", "title") if f"{stem} {f}" in notes}
        copy = dict(row)
        for name in READERS:
            if name in row:
                copy[name] = {k: v for k, v in row[name].items() if k not in gone}
        out.append(copy)
    return out


def print_web(result: dict, details: bool) -> None:
    rows = result["rows"]
    print(f"{result['corpus']}: {len(rows)} pages")
    aside = [r for r in rows if r.get("label_lines_set_aside")]
    print(
        f"(label lines that are other articles' headlines, set aside: "
        f"{sum(r['label_lines_set_aside'] for r in aside)} on {len(aside)} pages)"
    )
    sums = {name: summary(rows, name) for name in result["readers"]}
    print("| field | ours | trafilatura alone | GNE alone |")
    print("|---|---|---|---|")
    for label in _ROWS:
        print(f"| {label} | " + " | ".join(sums.get(n, {}).get(label, "–") for n in READERS) + " |")
    notes = json.loads(NOTES.read_text(encoding="utf-8")) if NOTES.is_file() else {}
    kept = without_noted(rows, notes)
    noted = {name: summary(kept, name) for name in result["readers"]}
    print()
    print(
        "The same with each field of a page set aside where web_notes.json shows its label"
        " wrong or the page no article (read by hand):"
    )
    print("| field | ours | trafilatura alone | GNE alone |")
    print("|---|---|---|---|")
    for label in _ROWS:
        print(
            f"| {label} | " + " | ".join(noted.get(n, {}).get(label, "–") for n in READERS) + " |"
        )
    print()
    print("Worst pages (ours, by body F1):")
    bodies = sorted((r for r in rows if "f1" in r["ours"]), key=lambda r: r["ours"]["f1"])
    for r in bodies[: 15 if details else 8]:
        s = r["ours"]
        print(
            f"  {r['input']}: F1 {s['f1']:.2f} (P {s['precision']:.2f} R {s['recall']:.2f};"
            f" trafilatura {r.get('trafilatura', {}).get('f1', 0):.2f},"
            f" gne {r.get('gne', {}).get('f1', 0):.2f})"
            + (f" {s['error']}" if s["error"] else "")
            + (f" chrome: {' '.join(s['chrome'])}" if s["chrome"] else "")
        )
    lost = [r for r in bodies if r["ours"]["recall"] < 0.8]
    if lost:
        print("Articles lost (ours), and what the page is where it was read by hand:")
        for r in lost:
            note = notes.get(r["input"].removesuffix(".html"), "")
            print(
                f"  {r['input']}: recall {r['ours']['recall']:.2f}" + (f": {note}" if note else "")
            )
    if not details:
        return
    for fld in ("date", "authors", "title"):
        for r in rows:
            s = r["ours"]
            if fld in s and not s[fld]:
                others = {n: r[n].get(f"{fld}_got") for n in READERS[1:] if n in r}
                stem = r["input"].removesuffix(".html")
                note = notes.get(f"{stem} {fld}") or notes.get(stem, "")
                print(
                    f"  {r['input']} {fld}: {s.get(f'{fld}_got')!r} != {r['label'][fld]!r}"
                    f" (anchors: {others})" + (f" [{note}]" if note else "")
                )
