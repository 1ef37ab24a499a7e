"""Case files: the editable `content/cases/*.md` an editor reviews, read into a `Case`.

A case file is YAML front matter (the case's metadata) and a body in a small, strict
Markdown subset, one block per paragraph-separated chunk:

    # 一级标题            heading, level 1 (## level 2, ### level 3)
    **一是……。**正文……    paragraph; **…** marks a bold lead-in run
    ![图片说明](images/x.jpg) 孙璞玉 摄
                          figure: caption, image (may be empty: ![说明]()), credit
    ![图为……（左）……（右）](images/a.jpg)(images/b.jpg)
                          two photos side by side, left then right
    > 注文                note
    \\ \\* \\# \\> \\! \\] \\)  a backslash keeps the next character literal

Why not full CommonMark: its emphasis rules do not close `**…。**` before a CJK character
(the closing delimiter is not "right-flanking" after 。), so every lead-in would break.
Nothing else in the body is markup: `<script>` or `{{ x }}` is just text.

The importer stamps what it writes with `imported_sha256`, the hash of the file without
that line. A file whose text no longer matches its stamp (or that has none) has been
edited by a person, and nothing regenerates it: see `is_edited`. The stamp is a property
of the file, not of the case, so it is not part of the model.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import yaml

from ..model import (
    CASE_METADATA,
    Author,
    Block,
    Case,
    Correction,
    Figure,
    Heading,
    ModelError,
    Note,
    Paragraph,
    Run,
)
from ..support.errors import ContentError
from ..text.chinese import CJK_RE

STAMP_KEY = "imported_sha256"
FRONT_MATTER_FIELDS = (*CASE_METADATA, STAMP_KEY)
_STAMP_LINE = re.compile(rf"^{STAMP_KEY}:[^\n]*\n", re.MULTILINE)
_LIST_FIELDS = {
    "authors": ("name", "role", "note"),
    "corrections": ("original", "corrected", "reason", "line"),
}
_HEADING = re.compile(r"^(#{1,3})[ \t]+(.*)$")
_CJK = CJK_RE


def decode_case_file(data: bytes, path: str) -> str:
    """A case file's bytes as text: UTF-8 with or without BOM, LF or CRLF line ends.
    The one way every command reads a case file, so all of them see the same lines."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02X}); save the file as UTF-8",
            path=path,
            line=line,
            col=col,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def import_digest(text: str) -> str:
    """sha256 of a case file's text without its stamp line (BOM and CRLF ignored)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(_STAMP_LINE.sub("", text, count=1).encode("utf-8")).hexdigest()


def is_edited(text: str) -> bool:
    """True unless the text is exactly what the importer wrote (a file without a stamp
    was written or rewritten by a person, so it counts as edited)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    found = _STAMP_LINE.search(text)
    if found is None:
        return True
    stamp = found.group().split(":", 1)[1].strip().strip("'\"")
    return stamp != import_digest(text)


def read_case_file(text: str, path: str) -> Case:
    """Parse a case file; every error names `path` and the line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(
            "a case file starts with a '---' line opening its front matter", path=path, line=1
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(
            "front matter is not closed by a '---' line", path=path, line=1
        ) from None
    meta = _read_front_matter("\n".join(lines[1:end]), path, first_line=2)
    meta.pop(STAMP_KEY, None)
    blocks = _read_body(lines[end + 1 :], path, first_line=end + 2)
    try:
        return Case(blocks=tuple(blocks), **meta)
    except ModelError as exc:
        raise ContentError(str(exc), path=path, line=1) from None


# --- front matter ---------------------------------------------------------------------


_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
# The deepest front matter has: the mapping, `authors:`'s list, an author's mapping. The
# composers recurse once a level (Python: RecursionError at ~500; libyaml's: a segfault
# at ~25,000), so nesting is measured on the parser's events, which do not recurse.
MAX_DEPTH = 8


class _TooDeep(Exception):
    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.line, self.col = line, col


def _check_depth(text: str, loader: Any) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _TooDeep(mark.line if mark else 0, mark.column if mark else 0)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _compose(text: str, loader: Any) -> yaml.Node | None:
    _check_depth(text, loader)
    return yaml.compose(text, Loader=loader)


def _read_front_matter(text: str, path: str, first_line: int) -> dict[str, Any]:
    try:
        # BaseLoader: every scalar stays text (no 2017-11-14 -> date, no 'no' -> False).
        # libyaml's when PyYAML has it (the same nodes, 5x faster at 300 cases); an error
        # is located by the Python loader, whose marks the messages are written for.
        try:
            node = _compose(text, _LOADER)
        except yaml.YAMLError:
            node = _compose(text, yaml.BaseLoader)
    except _TooDeep as deep:
        raise ContentError(
            f"front matter: lists and tables nested more than {MAX_DEPTH} deep; a case"
            " file's front matter is 'key: value' lines and lists of them",
            path=path,
            line=first_line + deep.line,
            col=deep.col + 1,
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character: its message has 2 lines
        before = text[: exc.position]
        raise ContentError(
            f"front matter: the control character U+{exc.character:04X} is not allowed (delete it)",
            path=path,
            line=first_line + before.count("\n"),
            col=exc.position - (before.rfind("\n") + 1) + 1,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(
            f"front matter: {problem}",
            path=path,
            line=line,
            col=mark.column + 1 if mark else 0,
        ) from None
    if node is None:
        raise ContentError("front matter is empty", path=path, line=first_line)
    if not isinstance(node, yaml.MappingNode):
        raise ContentError("front matter must be 'key: value' lines", path=path, line=first_line)
    meta: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key, line = _key(key_node, path, first_line), first_line + key_node.start_mark.line
        if key not in FRONT_MATTER_FIELDS:
            raise ContentError(
                f"unknown key {key!r}{_suggest(key, FRONT_MATTER_FIELDS)}", path=path, line=line
            )
        if key in meta:
            raise ContentError(f"key {key!r} appears twice", path=path, line=line)
        if key in _LIST_FIELDS:
            meta[key] = _read_list(key, value_node, path, first_line)
        else:
            meta[key] = _scalar(key, value_node, path, first_line)
    if "id" not in meta or "title" not in meta:
        missing = "id" if "id" not in meta else "title"
        raise ContentError(f"front matter has no {missing!r}", path=path, line=first_line)
    return meta


def _key(node: yaml.Node, path: str, first_line: int) -> str:
    """A key's text; `? [a, b]: x` (a list or table as the key) is refused in words."""
    if not isinstance(node, yaml.ScalarNode):
        raise ContentError(
            "a key must be plain text (like title:), not a list or table",
            path=path,
            line=first_line + node.start_mark.line,
            col=node.start_mark.column + 1,
        )
    return node.value


def _scalar(key: str, node: yaml.Node, path: str, first_line: int) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise ContentError(
            f"{key!r} must be a single value", path=path, line=first_line + node.start_mark.line
        )
    return node.value.strip()


def _read_list(key: str, node: yaml.Node, path: str, first_line: int) -> tuple[Any, ...]:
    if isinstance(node, yaml.ScalarNode) and node.value.strip() in ("", "[]"):
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise ContentError(
            f"{key!r} must be a list of '- name: …' entries",
            path=path,
            line=first_line + node.start_mark.line,
        )
    allowed = _LIST_FIELDS[key]
    items: list[Author | Correction] = []
    for item in node.value:
        line = first_line + item.start_mark.line
        if isinstance(item, yaml.ScalarNode) and key == "authors":
            fields = {"name": item.value.strip()}  # "- 龙林智" is short for "- name: 龙林智"
        elif isinstance(item, yaml.MappingNode):
            fields = {}
            for k, v in item.value:
                name = _key(k, path, first_line)
                if name not in allowed:
                    raise ContentError(
                        f"unknown key {name!r} in {key}{_suggest(name, allowed)}",
                        path=path,
                        line=first_line + k.start_mark.line,
                    )
                fields[name] = _scalar(name, v, path, first_line)
        else:
            raise ContentError(
                f"each entry of {key!r} must be 'key: value' lines", path=path, line=line
            )
        try:
            if key == "authors":
                items.append(Author(**fields))
            else:
                raw_line = fields.pop("line", "0") or "0"
                if not raw_line.isdigit():
                    raise ContentError(
                        f"correction line must be a number, not {raw_line!r}", path=path, line=line
                    )
                items.append(Correction(line=int(raw_line), **fields))
        except (ModelError, TypeError) as exc:
            raise ContentError(f"{key}: {exc}", path=path, line=line) from None
    return tuple(items)


def _suggest(word: str, options: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- body -----------------------------------------------------------------------------


def _read_body(lines: list[str], path: str, first_line: int) -> list[Block]:
    """Blank lines separate blocks; a heading or figure line is a block of its own even
    when an editor forgets the blank line around it."""
    blocks: list[Block] = []
    chunk: list[str] = []
    start = 0

    def flush() -> None:
        if chunk:
            blocks.append(_read_block(chunk, path, start))
            chunk.clear()

    for offset, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            flush()
            continue
        if _HEADING.match(line) or line.startswith("!["):
            flush()
            blocks.append(_read_block([line], path, first_line + offset))
            continue
        if chunk and chunk[0].startswith(">") != line.startswith(">"):
            flush()
        if not chunk:
            start = first_line + offset
        chunk.append(line)
    flush()
    return blocks


def read_blocks(text: str, path: str, first_line: int = 1) -> list[Block]:
    """Blocks of a body-only file (a preface or an afterword)."""
    return _read_body(text.replace("\r\n", "\n").split("\n"), path, first_line)


def _read_block(chunk: list[str], path: str, line: int) -> Block:
    first = chunk[0]
    try:
        heading = _HEADING.match(first)
        if heading:
            return Heading(len(heading.group(1)), _plain(heading.group(2), path, line), line=line)
        if first.startswith("!["):
            return _read_figure(first, path, line)
        if first.startswith(">"):
            return Note(_plain(_join([c[1:].strip() for c in chunk]), path, line), line=line)
        return Paragraph(_runs(_join(chunk), path, line), line=line)
    except ModelError as exc:
        raise ContentError(str(exc), path=path, line=line) from None


def _join(parts: list[str]) -> str:
    """Join hard-wrapped lines: no space between CJK characters, one between Latin words."""
    text = parts[0]
    for part in parts[1:]:
        glue = "" if _CJK.match(text[-1:]) or _CJK.match(part[:1]) else " "
        text += glue + part
    return text


def _read_figure(line_text: str, path: str, line: int) -> Figure:
    caption, pos = _until(line_text, 2, "]", path, line)
    if not line_text.startswith("(", pos):
        raise ContentError(
            "a figure is ![caption](image) credit: '(' expected after ']'",
            path=path,
            line=line,
            col=pos + 1,
        )
    image, pos = _until(line_text, pos + 1, ")", path, line)
    second = None
    if line_text.startswith("(", pos):  # ![说明](左.jpg)(右.jpg): two photos side by side
        second, pos = _until(line_text, pos + 1, ")", path, line)
    credit = _plain(line_text[pos:].strip(), path, line)
    return Figure(
        caption=_plain(caption, path, line).strip(),
        credit=credit,
        image=_unescape(image),
        line=line,
        pair=second is not None,
        second_image=_unescape(second or ""),
    )


def _unescape(image: str) -> str:
    return re.sub(r"\\(.)", r"\1", image.strip())


def _until(text: str, pos: int, close: str, path: str, line: int) -> tuple[str, int]:
    """Raw text up to an unescaped `close`; returns it (escapes kept) and the next index."""
    i = pos
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == close:
            return text[pos:i], i + 1
        i += 1
    raise ContentError(f"'{close}' expected to close the figure", path=path, line=line, col=pos + 1)


def _plain(text: str, path: str, line: int) -> str:
    runs = _runs(text, path, line) if text else ()
    if any(r.strong for r in runs):
        raise ContentError(
            "'**' bold is only allowed in paragraphs (write \\* for a star)", path=path, line=line
        )
    return "".join(r.text for r in runs)


# A backslash escape (the next character, literally) or a ** that opens or closes bold.
_INLINE = re.compile(r"\\(.)|\*\*", re.DOTALL)


def _runs(text: str, path: str, line: int) -> tuple[Run, ...]:
    runs: list[Run] = []
    buf: list[str] = []
    strong = False
    opened_at = 0
    pos = 0
    for m in _INLINE.finditer(text):  # the text between marks is copied in one slice
        buf.append(text[pos : m.start()])
        pos = m.end()
        if m.group(1) is not None:
            buf.append(m.group(1))
            continue
        piece = "".join(buf)
        if piece:
            runs.append(Run(piece, strong))
        buf = []
        strong, opened_at = not strong, m.start()
    if strong:
        raise ContentError(
            "'**' opened here is never closed", path=path, line=line, col=opened_at + 1
        )
    buf.append(text[pos:])
    piece = "".join(buf)
    if piece:
        runs.append(Run(piece, strong))
    merged: list[Run] = []
    for run in runs:  # **a****b** or a**** b: merge what the reader split
        if merged and merged[-1].strong == run.strong:
            merged[-1] = Run(merged[-1].text + run.text, run.strong)
        else:
            merged.append(run)
    return tuple(merged)
