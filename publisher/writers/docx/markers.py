"""Case markers: a hidden bookmark around each case's part of the DOCX.

`publisher absorb` finds a case's paragraphs in an edited DOCX by this bookmark, so moving
or retitling cases in Word does not confuse it. The name carries two short hashes: of the
case id (which case) and of the case's content when the file was built (so absorb can
tell that a case file changed since, and refuse to undo that change). Word limits names
to 40 characters, letters, digits and '_'; a leading '_' hides it from the editor.
"""

from __future__ import annotations

import hashlib
import json
import re

from ...model import Case
from . import oxml

PREFIX = "_Case_"
_NAME = re.compile(rf"^{PREFIX}([0-9a-f]{{10}})_([0-9a-f]{{10}})$")


def _short(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def content_hash(case: Case) -> str:
    from ..json import case_to_dict

    return _short(json.dumps(case_to_dict(case), ensure_ascii=False, sort_keys=True))


def id_hash(case_id: str) -> str:
    return _short(case_id)


def case_marker(case: Case) -> str:
    """The bookmark name of a case: _Case_<id hash>_<content hash> (27 characters)."""
    return f"{PREFIX}{id_hash(case.id)}_{content_hash(case)}"


def parse_marker(name: str) -> tuple[str, str] | None:
    """(id hash, content hash) of a case marker's name, None for any other bookmark."""
    found = _NAME.match(name or "")
    return (found.group(1), found.group(2)) if found else None


def wrap(elements, bid: int, name: str) -> None:
    """Put bookmark `name` around `elements` (a case's paragraphs, in body order)."""
    if len(elements) == 0:
        return
    start, end = oxml.bookmark(bid, name)
    elements[0].addprevious(start)
    elements[-1].addnext(end)
