"""Hostile inputs for the fuzz tests (tests/test_fuzz.py) and the long run
(benchmarks/fuzz.py): seeds of every kind the project reads, mutations that break them
the ways issue 22's did, and the one property every input must keep.

The property: reading an input gives a result or a one-line PublisherError (the CLI
prints it as `file:line: error: …`); anything else (another exception, a message of
several lines) is a crash. What an importer makes is also written as a case file and
read back: the importer may never hand an editor a case file the build refuses.
"""

from __future__ import annotations

import html
import io
import random
import re
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("casefile", "settings", "txt", "md", "html", "docx")
SUFFIX = {"casefile": ".md", "settings": ".toml", "txt": ".txt", "md": ".md", "html": ".html"}

# What broke the project before (issue 22) and what each format gives meaning to.
TOKENS = [
    "\x00",
    "\x85",
    "\x9f",
    "\x7f",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\r",
    "\t",
    "\x0c",
    "---\n",
    "\n---\n",
    "**",
    "![",
    "](",
    "](images/x.jpg)",
    "\\",
    "> ",
    "# ",
    "### ",
    ": ",
    "? ",
    "- ",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "(",
    ")",
    "（",
    "）",
    "“",
    "”",
    "，",
    "。",
    "：",
    "\u3000",
    " ",
    "<script>alert(1)</script>",
    "{{ x }}",
    "<![CDATA[x]]>",
    "&amp;",
    "&#0;",
    "&#x85;",
    "<h1>",
    "</p>",
    "<img src='x_files/a.jpg'>",
    "<figure>",
    "<table><tr><td>",
    "```",
    "<!--",
    "[[parts]]\n",
    'title = "',
    'date = "2017-02-30"\n',
    "=",
    "\n\n",
    "一是",
    "图为",
    "来源：",
    "作者：",
    "2017年11月14日",
    "责任编辑：",
    "□ ",
    "……",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]
BYTE_TOKENS = [
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",
    b"\x80",
    b"\xc3",
    b"\xa1\xa1",
    b"\x81\x30\x81\x30",
    b"PK\x03\x04",
]
DOCX_TOKENS = [
    '<w:r><w:rPr><w:b w:val="maybe"/></w:rPr><w:t>加粗</w:t></w:r>',
    '<w:r><w:t xml:space="preserve">\u0085控制</w:t></w:r>',
    '<w:pPr><w:pStyle w:val="Title"/></w:pPr>',
    '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>',
    '<w:pPr><w:jc w:val="sideways"/></w:pPr>',
    '<w:pPr><w:outlineLvl w:val="99"/></w:pPr>',
    "<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>",
    '<w:fldSimple w:instr="X">',
    '<w:altChunk r:id="rId999"/>',
    "<w:sdt><w:sdtContent>",
    "</w:sdtContent></w:sdt>",
    "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",
    "<w:p/>",
    "</w:p><w:p>",
    '<w:r><w:drawing><a:blip r:embed="rId404"/></w:drawing></w:r>',
    "<w:br/>",
    "<w:tab/>",
    '<w:rPr><w:rStyle w:val="Strong"/></w:rPr>',
    "<w:t>",
    "</w:t>",
    "&#x85;",
]


def _seed_texts() -> dict[str, list[bytes]]:
    golden = ROOT / "tests" / "golden" / "inputs"
    found: dict[str, list[bytes]] = {kind: [] for kind in KINDS}
    found["casefile"] = [p.read_bytes() for p in sorted((ROOT / "content" / "cases").glob("*.md"))]
    found["casefile"].append(
        "---\nid: a\ntitle: 标题\nauthors:\n  - name: 张三\n    role: 作者\ncorrections:\n"
        "  - original: a\n    corrected: b\n    reason: r\n    line: 3\ndate: '2017-11-14'\n"
        "---\n\n# 一、标题\n\n**一是配强。**正文。\n\n![图为说明](images/a.jpg) 张三 摄\n\n"
        "![说明](images/l.jpg)(images/r.jpg)\n\n> 注文\n".encode()
    )
    found["settings"] = [
        (ROOT / "content" / "compendium.toml").read_bytes(),
        'title = "汇编"\nsubtitle = "副"\ndate = "2017-11"\noutput = "书"\nedition = "final"\n'
        'missing_images = "error"\n[[parts]]\ntitle = "四川"\ncases = ["a", "b"]\n'.encode(),
    ]
    found["txt"] = [
        p.read_bytes()[:6000] for p in sorted((ROOT / "content" / "sources").glob("*.txt"))
    ]
    found["txt"] += [p.read_bytes()[:6000] for p in sorted(golden.glob("*.txt"))]
    found["md"] = [p.read_bytes() for p in sorted(golden.glob("*.md"))]
    found["html"] = [p.read_bytes() for p in sorted(golden.glob("*.htm*"))]
    found["docx"] = [_docx(kind) for kind in ("styled", "plain")]
    return found


def _docx(kind: str) -> bytes:
    import docx

    document = docx.Document()
    if kind == "styled":
        document.add_paragraph("党建引领　脱贫奔康", style="Title")
        document.add_paragraph("永嘉乡推进新农村建设纪实", style="Subtitle")
        document.add_heading("一、强化组织引领", level=1)
    else:
        p = document.add_paragraph()
        p.add_run("某县的经验").bold = True
        p.alignment = 1  # type: ignore[assignment]
    for n in range(4):
        p = document.add_paragraph()
        p.add_run(f"{'一二三四'[n]}是配强班子。").bold = True
        p.add_run("去年以来，全县以党建为引领(试点)，探索出一条新路子。")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "项目"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_SEEDS: dict[str, list[bytes]] | None = None


def seeds() -> dict[str, list[bytes]]:
    global _SEEDS
    if _SEEDS is None:
        _SEEDS = _seed_texts()
    return _SEEDS


# --- mutations ------------------------------------------------------------------------


def mutate(data: bytes, rng: random.Random, kind: str) -> bytes:
    """`data` broken in 1-4 ways: as text mostly (so most inputs get past the decoder),
    as bytes sometimes; a DOCX inside its XML (whole elements, or text in a w:t), or its
    zip bytes."""
    if kind == "docx":
        return _mutate_docx(data, rng)
    if rng.random() < 0.15:
        return _one_bytes(data, rng)
    text = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 4)):
        text = _one(text, rng, kind)
    return text.encode("utf-8", "surrogatepass")


def _one_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randint(0, len(data))
    if rng.random() < 0.5:
        return data[:at] + rng.choice(BYTE_TOKENS) + data[at:]
    if data and rng.random() < 0.5:
        i = rng.randrange(len(data))
        return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]
    return data[:at]


def _one(text: str, rng: random.Random, kind: str, tokens: list[str] | None = None) -> str:
    at = rng.randint(0, len(text))
    choice = rng.random()
    if choice < 0.4:  # an interesting token, once or repeated
        token = rng.choice(tokens or TOKENS)
        times = 1 if rng.random() < 0.8 else rng.choice((2, 7, 60, 700))
        return text[:at] + token * times + text[at:]
    if choice < 0.55:  # deep nesting or a long run of one thing
        token = rng.choice(["[", "{", "- ", "  ", "> ", "**", "“", "(", "（", "<b>", "<div>"])
        n = rng.choice((10, 100, 1000, 5000))
        closing = {"[": "]", "{": "}", "(": ")", "<div>": "</div>", "<b>": "</b>"}.get(token, "")
        return text[:at] + token * n + closing * n + text[at:]
    if choice < 0.7 and text:  # a slice gone
        j = rng.randint(at, min(len(text), at + rng.choice((1, 10, 200, 5000))))
        return text[:at] + text[j:]
    if choice < 0.82 and text:  # a slice repeated
        j = rng.randint(at, min(len(text), at + rng.choice((5, 50, 500))))
        return text[:at] + text[at:j] * rng.choice((2, 10, 100)) + text[j:]
    if choice < 0.9:  # cut short
        return text[:at]
    pool = seeds()[kind if kind in SUFFIX else "txt"]  # spliced with another seed
    other = rng.choice(pool).decode("utf-8", "replace")
    k = rng.randint(0, len(other))
    return text[:at] + other[k : k + rng.randint(0, 2000)]


def _mutate_docx(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.08:  # the zip itself damaged
        return _one_bytes(data, rng)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    name = "word/document.xml" if rng.random() < 0.9 else rng.choice(sorted(parts))
    xml = parts[name].decode("utf-8", "replace")
    for _ in range(rng.randint(1, 3)):
        ends = [m.end() for m in re.finditer(">", xml)]
        texts = [m.span(1) for m in re.finditer(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)]
        if texts and rng.random() < 0.5:  # the text of a run, escaped as Word would
            start, stop = rng.choice(texts)
            inner = _one(html.unescape(xml[start:stop]), rng, "txt")
            if rng.random() < 0.9:  # XML 1.0 has no place for C0 controls
                inner = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", inner)
            xml = xml[:start] + html.escape(inner, quote=False) + xml[stop:]
        elif ends:  # an element where one may stand (or may not)
            at = rng.choice(ends)
            token = rng.choice(DOCX_TOKENS)
            xml = xml[:at] + token * (1 if rng.random() < 0.9 else rng.choice((50, 500))) + xml[at:]
    parts[name] = xml.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part, content in parts.items():
            target.writestr(part, content)
    return out.getvalue()


# --- the property ---------------------------------------------------------------------


class Crash(Exception):
    """An input broke the property: not a result, not a one-line PublisherError."""


def check(kind: str, data: bytes) -> str:
    """Read `data` as `kind`: "ok" (a result) or "refused" (a one-line PublisherError);
    raises Crash (or lets any other exception through) otherwise."""
    from publisher.support.errors import PublisherError

    try:
        _read(kind, data)
    except PublisherError as exc:
        lines = [str(exc), *(str(d) for d in exc.diagnostics)]
        if any("\n" in line or "Traceback" in line for line in lines):
            raise Crash(f"a message of several lines: {lines!r}") from exc
        return "refused"
    return "ok"


def _read(kind: str, data: bytes) -> None:
    from publisher.readers.casefile import decode_case_file, read_case_file

    path = f"content/sources/x{SUFFIX.get(kind, '.' + kind)}"
    if kind == "casefile":
        read_case_file(decode_case_file(data, "content/cases/x.md"), "content/cases/x.md")
        return
    if kind == "settings":
        from publisher.pipeline.settings import load_settings

        with tempfile.TemporaryDirectory() as folder:
            settings = Path(folder) / "compendium.toml"
            settings.write_bytes(data)
            load_settings(settings, "content/compendium.toml")
        return
    from publisher.readers import import_source
    from publisher.support.errors import PublisherError
    from publisher.writers.casefile import write_case_file

    result = import_source(data, path)
    for d in result.diagnostics:
        if "\n" in str(d):
            raise Crash(f"a warning of several lines: {str(d)!r}")
    for case in result.cases:  # what the importer writes, the build reads
        text = write_case_file(case, stamp=True)
        try:
            again = read_case_file(text, f"content/cases/{case.id}.md")
        except PublisherError as exc:
            raise Crash(f"the imported case file does not read back: {exc}") from exc
        if again.blocks != case.blocks:
            raise Crash("the imported case file reads back as other blocks")
