"""Raw-article importer: collected article text (any common encoding) → Case objects.

Stages, one module each: decode (bytes → text), script (Traditional → Simplified),
punctuation (half-width → full-width), chrome (website chrome and metadata lines, removed,
facts kept), figures (photo captions), structure (title block, article splitting), blocks
(headings, paragraphs, lead-in runs), checks (suspect figures), assemble (cases).

Choices (each module documents its own rules):
- dates keep the source's precision, ISO with T: 2020-06-11, 2017-11-14T05:32,
  2017-10-09T12:37:38; a dateline wins over the print reference's date;
- spaces inside title, subtitle, kicker and series collapse to one full-width space 　;
  body text keeps its characters (indents stripped, NBSP → space);
- a page title above the date line of a multi-article page (003) is each case's series;
- bylines keep the role the source words (本报记者 → 记者, 作者：…, 责编); a bare □ byline
  has role "";
- lead-ins that follow each other (抓组织建设筑强“桥头堡”。一是…。) merge into one strong
  run, as the model wants runs to alternate;
- source defects (20177月, 4711340人, 3000/亩) are warned about, never corrected.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ...model import Case
from ...support.errors import Diagnostic
from ..rules.chrome import classify
from ..rules.punctuation import angle_brackets, normalize_punctuation, widened_note
from ..rules.script import to_simplified
from ..rules.text import Line
from .assemble import build_cases
from .decode import decode
from .figures import caption_runs, marked_figure
from .structure import Entry, head_layout, split_articles

__all__ = ["ImportResult", "import_raw"]

_MAX_STRAY_WARNINGS = 10


@dataclass(frozen=True)
class ImportResult:
    """The cases of one raw file, the warnings (raw-file path and line) to review, and
    the pictures the file holds (path under content/, e.g. images/x-1.jpg → bytes)."""

    cases: tuple[Case, ...]
    diagnostics: tuple[Diagnostic, ...]
    images: dict[str, bytes] = field(default_factory=dict, compare=False)


def _lines(text: str) -> list[str]:
    # indents (spaces, NBSP, full-width spaces) go; an NBSP inside a line is a plain space
    return [raw.replace("\xa0", " ").strip() for raw in text.split("\n")]


def import_raw(data: bytes, path: str) -> ImportResult:
    """Import one raw article file. `path` is the display path (content/sources/….txt).

    Raises ContentError for files that cannot be read as an article (binary, undecodable,
    empty, no text); everything an editor should review is returned as a warning.
    """
    text, _encoding, decode_diags = decode(bytes(data), path)
    diags: list[Diagnostic] = list(decode_diags)
    raw_lines = text.split("\n")
    texts, script, strays, config = to_simplified(_lines(text))
    if config:
        diags.append(
            Diagnostic(
                path, 1, 0, "info", f"Traditional text converted to Simplified with OpenCC {config}"
            )
        )
    for k, (i, chars) in enumerate(strays):
        if k == _MAX_STRAY_WARNINGS:
            diags.append(
                Diagnostic(
                    path,
                    i + 1,
                    0,
                    "warning",
                    f"{len(strays) - k} more lines with Traditional forms",
                )
            )
            break
        diags.append(
            Diagnostic(
                path,
                i + 1,
                0,
                "warning",
                f"Traditional form(s) {chars} in a Simplified text: left as"
                " they are (often a name); check",
            )
        )
    before, texts = texts, [normalize_punctuation(t) for t in texts]
    diags += widened_note(path, before, texts)
    fixed = [angle_brackets(t, no) for no, t in enumerate(texts, 1)]
    texts, angle = [t for t, _ in fixed], [c for _, cs in fixed for c in cs]
    lines: list[Line] = []
    gap = 0
    for no, t in enumerate(texts, 1):
        if t:
            lines.append(Line(no, t, gap))
            gap = 0
        else:
            gap += 1
    entries = [
        Entry(line, classify(line.text, last=k == len(lines) - 1)) for k, line in enumerate(lines)
    ]
    removed = [e.line for e in entries if e.chrome is not None]
    if removed:  # listed, so the editor can check nothing of the article went with them
        diags.append(
            Diagnostic(
                path,
                removed[0].no,
                0,
                "info",
                f"{len(removed)} metadata or page furniture lines taken out of the text"
                f" (their facts kept): {' / '.join(x.text[:24] for x in removed[:3])}"
                + ("…" if len(removed) > 3 else ""),
            )
        )
    body = [e for e in entries if e.chrome is None]
    for e in body:
        e.figure = marked_figure(e.line)
    for k, (figure, why) in caption_runs([e.line for e in body]).items():
        body[k].figure, body[k].why = figure, why
    articles = split_articles(entries, path)
    cases = build_cases(
        articles,
        entries,
        bytes(data),
        path,
        script,
        diags,
        head=texts[:3] if head_layout(raw_lines) else None,
    )
    cases = [replace(c, opencc=config) for c in cases]  # recorded: which conversion ran
    if angle:  # each case that prints a corrected piece records its correction
        cases = [
            replace(
                c, corrections=c.corrections + tuple(x for x in angle if x.corrected in repr(c))
            )
            for c in cases
        ]
    unique = list(dict.fromkeys(diags))  # one warning per line and message
    return ImportResult(tuple(cases), tuple(unique))
