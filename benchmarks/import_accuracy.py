"""Benchmark: how well the importer reads real articles, scored against hand-made labels.

    .venv/bin/python benchmarks/import_accuracy.py [CORPUS ...] [--details] [--json]

CORPUS defaults to the project's siblings `shared/corpus` and `shared/corpus-web`; each is
read where it is, never copied into the project. A corpus with expected/ is scored case by
case (below); one with labels/ is a web-page corpus, scored as `web_accuracy` explains,
against trafilatura alone and GeneralNewsExtractor alone on the same pages.

For every input the importer runs exactly as `publisher import` runs it; each expected case
is compared with the imported case at the same position. It prints one row per input:
per field the cases right out of the cases labelled, then Han characters lost and chrome
left; and a last row with the share of cases right per field.

Comparisons ignore what the importer is meant to change: script (Traditional is compared
after OpenCC t2s), half-width punctuation and whitespace. Field by field:
- cases: as many cases as labelled;
- title, subtitle, kicker, series: equal text (a missing value equals null);
- authors: the named writers, in order (a role without a name is not compared);
- date: the day (a time the importer keeps is ignored);
- publication: the importer's publication or source names the labelled publication;
- headings: the heading texts and levels, in order;
- run_in: the strong lead-ins that open a paragraph, without their closing 。/；;
- paras: the number of paragraphs is the label or one of its defensible alternatives;
- figures: the captions, in order, and as many uncaptioned pictures as labelled;
- first/last: the opening and closing 12 characters of the body;
- Han lost: Han characters of the article text (the input from the first case's first
  paragraph to the last case's last, less labelled chrome) missing from the cases;
- chrome: labelled chrome strings still found in the cases.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.model import Case, Paragraph  # noqa: E402
from publisher.readers import import_source  # noqa: E402
from publisher.support.errors import PublisherError  # noqa: E402
from publisher.text.textcheck import MISSING_CAPTION  # noqa: E402
from textkey import key  # noqa: E402

FIELDS = (
    "title",
    "subtitle",
    "kicker",
    "series",
    "authors",
    "date",
    "publication",
    "headings",
    "run_in",
    "paras",
    "figures",
    "first",
    "last",
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _paragraphs(case: Case) -> list[Paragraph]:
    return [b for b in case.blocks if isinstance(b, Paragraph)]


def _leads(case: Case) -> list[str]:
    return [key(p.lead).rstrip("。；！？：") for p in _paragraphs(case) if p.lead]


def score_case(got: Case, want: dict) -> dict[str, bool]:
    paras = _paragraphs(got)
    body = key("".join(p.text for p in paras[:1]))
    last = key(paras[-1].text) if paras else ""
    writers = [key(a.name) for a in got.writers]
    heads = [(key(h.text), h.level) for h in got.headings]
    want_heads = list(zip((key(h) for h in want["headings"]), want["heading_levels"], strict=True))
    counts = [want["paragraphs"], *want.get("paragraphs_alt", [])]
    pub = key(want.get("publication"))
    return {
        "title": key(got.title) == key(want["title"]),
        # the model keeps a subtitle without its printed dash (the writers print it)
        "subtitle": key(got.subtitle) == key(want.get("subtitle")).lstrip("—－-"),
        "kicker": key(got.kicker) == key(want.get("kicker")),
        "series": key(got.series) == key(want.get("series")),
        "authors": writers == [key(a["name"]) for a in want["authors"] if a["name"]],
        "date": got.date[:10] == (want.get("date") or ""),
        "publication": (pub in (key(got.publication), key(got.source)))
        if pub
        else not got.publication,
        "headings": heads == want_heads,
        "run_in": _leads(got) == [key(r).rstrip("。；！？：") for r in want["run_in_heads"]],
        "paras": len(paras) in counts,
        # a picture without a caption is imported as a figure captioned （缺图注）
        "figures": [key(f.caption) for f in got.figures if f.caption != MISSING_CAPTION]
        == [key(f["caption"]) for f in want["figures"]]
        and sum(f.caption == MISSING_CAPTION for f in got.figures)
        == want.get("images_without_caption", 0),
        "first": body.startswith(key(want["first_paragraph_starts"])),
        "last": last.endswith(key(want["last_paragraph_ends"])),
    }


def _visible_text(data: bytes, suffix: str) -> str:
    """The input's text as a reader sees it (HTML without tags, scripts and styles)."""
    if suffix in (".html", ".htm"):
        import lxml.html

        root: Any = lxml.html.fromstring(data)
        for bad in root.xpath("//script|//style|//noscript|//title"):
            bad.drop_tree()
        return root.text_content()
    from publisher.readers.raw.decode import decode

    return decode(data, "input")[0]


def han_lost(data: bytes, suffix: str, labels: dict, cases: list[Case]) -> int | None:
    """Han characters in the labelled article span that no case holds."""
    text = key(_visible_text(data, suffix))
    first = key(labels["cases"][0]["first_paragraph_starts"])
    last = key(labels["cases"][-1]["last_paragraph_ends"])
    a = text.find(first)
    b = text.find(last, a if a >= 0 else 0)
    if a < 0 or b < 0:
        return None
    span = text[a : b + len(last)]
    for chrome in {c for case in labels["cases"] for c in case["chrome"]}:
        span = span.replace(key(chrome), "")
    have = Counter(_HAN.findall("".join(key(t) for c in cases for t in c.texts())))
    need = Counter(_HAN.findall(span))
    return sum((need - have).values())


def chrome_left(labels: dict, cases: list[Case]) -> int:
    texts = "\n".join(key(t) for c in cases for t in c.texts())
    chrome = {c for case in labels["cases"] for c in case["chrome"]}
    return sum(1 for c in chrome if key(c) and key(c) in texts)


def run(corpus: Path, details: bool) -> dict:
    rows = []
    for expected in sorted((corpus / "expected").glob("*.json")):
        labels = json.loads(expected.read_text(encoding="utf-8"))
        source = next((p for p in (corpus / "inputs").glob(expected.stem + ".*")), None)
        if source is None:
            continue
        data = source.read_bytes()
        row: dict = {"input": source.name, "cases_expected": len(labels["cases"])}
        try:
            cases = list(import_source(data, f"corpus/{source.name}", source).cases)
        except PublisherError as exc:
            row.update(
                error=str(exc), cases=0, fields={f: 0 for f in FIELDS}, han_lost=None, chrome_left=0
            )
            rows.append(row)
            continue
        row["cases"] = len(cases)
        right: Counter[str] = Counter()
        misses: list[str] = []
        for n, (got, want) in enumerate(zip(cases, labels["cases"], strict=False), 1):
            for field, ok in score_case(got, want).items():
                right[field] += ok
                if not ok and details:
                    misses.append(f"case {n} {field}: {_show(got, field)} != {_want(want, field)}")
        row["fields"] = {f: right[f] for f in FIELDS}
        row["han_lost"] = han_lost(data, source.suffix.lower(), labels, cases)
        row["chrome_left"] = chrome_left(labels, cases)
        row["misses"] = misses
        rows.append(row)
    return {"corpus": str(corpus), "rows": rows}


def _show(case: Case, field: str) -> str:
    values = {
        "title": case.title,
        "subtitle": case.subtitle,
        "kicker": case.kicker,
        "series": case.series,
        "authors": [a.name for a in case.writers],
        "date": case.date,
        "publication": (case.publication, case.source),
        "headings": [(h.text, h.level) for h in case.headings],
        "run_in": [p.lead for p in _paragraphs(case) if p.lead],
        "paras": len(_paragraphs(case)),
        "figures": [f.caption for f in case.figures],
        "first": next((p.text[:16] for p in _paragraphs(case)), ""),
        "last": next((p.text[-16:] for p in reversed(_paragraphs(case))), ""),
    }
    return json.dumps(values[field], ensure_ascii=False)[:300]


def _want(want: dict, field: str) -> str:
    names = {
        "first": "first_paragraph_starts",
        "last": "last_paragraph_ends",
        "run_in": "run_in_heads",
        "paras": "paragraphs",
    }
    value: Any
    if field == "authors":
        value = [a["name"] for a in want["authors"]]
    elif field == "headings":
        value = list(zip(want["headings"], want["heading_levels"], strict=True))
    elif field == "figures":
        value = [f["caption"] for f in want["figures"]]
    elif field == "paras":
        value = [want["paragraphs"], *want.get("paragraphs_alt", [])]
    else:
        value = want.get(names.get(field, field))
    return json.dumps(value, ensure_ascii=False)[:300]


def print_table(result: dict) -> None:
    short = {"publication": "pub", "headings": "heads", "subtitle": "subt", "figures": "figs"}
    cols = ["cases"] + [short.get(f, f) for f in FIELDS] + ["Han lost", "chrome"]
    print("| input | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    totals: Counter = Counter()
    labelled = lost = left = 0
    for row in result["rows"]:
        n = row["cases_expected"]
        labelled += n
        cells = [f"{row['cases']}/{n}"]
        for f in FIELDS:
            totals[f] += row["fields"][f]
            cells.append(f"{row['fields'][f]}/{n}")
        cells.append("?" if row["han_lost"] is None else str(row["han_lost"]))
        cells.append(str(row["chrome_left"]))
        lost += row["han_lost"] or 0
        left += row["chrome_left"]
        print(f"| {row['input']} | " + " | ".join(cells) + " |")
    right_cases = sum(1 for r in result["rows"] if r["cases"] == r["cases_expected"])
    cells = [f"{right_cases}/{len(result['rows'])}"]
    cells += [f"{100 * totals[f] / labelled:.0f}%" for f in FIELDS]
    cells += [str(lost), str(left)]
    print("| **all** | " + " | ".join(cells) + " |")
    for row in result["rows"]:
        if row.get("error"):
            print(f"{row['input']}: {row['error']}")
        for miss in row.get("misses", []):
            print(f"{row['input']}: {miss}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "corpus",
        nargs="*",
        type=Path,
        default=[ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "corpus-web"],
    )
    parser.add_argument("--details", action="store_true", help="list every field that misses")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument(
        "--no-anchors", action="store_true", help="web pages: score only ours (faster)"
    )
    args = parser.parse_args()
    results = []
    for corpus in args.corpus:
        if (corpus / "labels").is_dir():
            from web_accuracy import READERS, print_web, run_web

            result = run_web(corpus, ("ours",) if args.no_anchors else READERS)
            results.append(result)
            if not args.json:
                print_web(result, args.details)
        elif (corpus / "expected").is_dir():
            result = run(corpus, args.details)
            results.append(result)
            if not args.json:
                print_table(result)
        else:
            print(f"{corpus}: no corpus here (expected/ or labels/, and inputs/)", file=sys.stderr)
            return 2
        if not args.json:
            print()
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
