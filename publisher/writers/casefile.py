"""Write a `Case` as an editable case file (the format is described in readers/casefile.py)."""

from __future__ import annotations

import yaml

from ..model import CASE_METADATA, Block, Case, Figure, Heading, Note, Paragraph, Run
from ..readers.casefile import STAMP_KEY, import_digest
from .json import correction_to_dict

HEADER = """\
# 案例内容文件 (case file). Edit freely, then run: publisher build
# Front matter: metadata of the case. Body below the second '---':
#   # 标题 / ## 二级标题 / ### 三级标题     section headings
#   **一是……。**正文                        paragraph with a bold lead-in
#   ![图片说明](images/图片.jpg) 某某 摄    figure (leave () empty if there is no image)
#   ![图为……（左）……（右）](a.jpg)(b.jpg)   two photos side by side
#   > 注文                                  note
# Record every change of the source's wording under 'corrections' (original, corrected,
# reason): the build report lists them. Once you edit this file, the build keeps your
# edits: a changed raw article is imported beside it as <id>.md.new.
"""


def write_case_file(case: Case, *, stamp: bool = False) -> str:
    """The case as case-file text; `read_case_file` gives the same Case back. `stamp`
    (the importer's files) adds the hash that later tells an untouched file from an
    edited one."""
    meta = {name: getattr(case, name) for name in CASE_METADATA}
    meta["authors"] = [_author(a.name, a.role, a.note) for a in case.authors]
    meta["corrections"] = [correction_to_dict(c) for c in case.corrections]
    front = yaml.safe_dump(
        meta, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False
    )
    body = "\n\n".join(write_block(b) for b in case.blocks)
    text = f"---\n{HEADER}{front}---\n\n{body}\n" if body else f"---\n{HEADER}{front}---\n"
    if stamp:
        head, rest = text.split("\n---\n", 1)
        text = f"{head}\n{STAMP_KEY}: {import_digest(text)}\n---\n{rest}"
    return text


def _author(name: str, role: str, note: str) -> dict[str, str]:
    entry = {"name": name}
    if role:
        entry["role"] = role
    if note:
        entry["note"] = note
    return entry


def write_block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + _escape(block.text)
    if isinstance(block, Figure):
        images = "".join(
            "(" + image.replace("\\", "\\\\").replace(")", "\\)") + ")" for image in block.images
        )
        caption = _escape(block.caption).replace("]", "\\]")
        credit = " " + _escape(block.credit.strip()) if block.credit.strip() else ""
        return f"![{caption}]{images}{credit}"
    if isinstance(block, Note):
        return "> " + _escape(block.text)
    if isinstance(block, Paragraph):
        return _escape_line_start("".join(_run(r) for r in block.runs))
    raise TypeError(f"not a block: {block!r}")


def _run(run: Run) -> str:
    text = _escape(run.text)
    return f"**{text}**" if run.strong else text


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*")


def _escape_line_start(line: str) -> str:
    """A paragraph must not read back as a heading, figure or note."""
    return "\\" + line if line[:1] in ("#", ">", "!") else line
