"""python-docx: the steps that grow faster than the document made linear, and the
template's font table and theme read as XML parts.

Composing a book of N cases with python-docx was quadratic (benchmarks/NOTES.md):

- every `add_paragraph` looks for the body's final `w:sectPr` by scanning the body from its
  first child (`insert_element_before`), so N paragraphs cost O(N²);
- every new header or footer part is named by walking every part of the package
  (`OpcPackage.next_partname`), so a section per case costs O(sections²);
- every picture inserted hashes every image part already in the package again
  (`ImagePart.sha1` is recomputed on each look-up);
- every relationship added (a header, footer or picture per section) scans all of the
  part's relationships twice (`Relationships.get_or_add`, `_next_rId`);
- every picture's shape id is found by reading every id of the document
  (`StoryPart.next_id`, an XPath `//@id`), once per picture or placeholder.

`linear_steps()` replaces these six, while the DOCX writer composes a document, with
equivalents that give the same results in constant time per call. It applies only to the
tested python-docx releases (`guard.PYTHON_DOCX`) and only while the internals look as
expected; otherwise python-docx runs unpatched (correct, only slower) and `patch_state()`
says why. Upstream: the part naming and image hashing, as python-docx itself would do them,
in `patches/upstream/python-docx-partname-and-sha1.diff`.

`xml_parts()` registers the font table and theme content types with python-docx's part
factory (as XmlPart), so that the composer edits their elements, not their bytes; unlike
the fixes, the composer cannot do without it, so a changed factory fails loudly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from ..support.errors import EnvironmentProblem
from . import guard


def patch_state() -> str:
    """'ok', or why the fixes do not apply to this python-docx."""
    return guard.state(guard.PYTHON_DOCX, _shape)


def _shape() -> str | None:
    from docx.opc.package import OpcPackage
    from docx.opc.rel import Relationships
    from docx.oxml.document import CT_Body
    from docx.parts.image import ImagePart
    from docx.parts.story import StoryPart

    if not all(callable(CT_Body.__dict__.get(name)) for name in ("_insert_p", "_insert_tbl")):
        return "CT_Body no longer has _insert_p/_insert_tbl"
    if not callable(OpcPackage.__dict__.get("next_partname")):
        return "OpcPackage.next_partname is gone"
    if not isinstance(ImagePart.__dict__.get("sha1"), property):
        return "ImagePart.sha1 is no longer a property"
    if not isinstance(StoryPart.__dict__.get("next_id"), property):
        return "StoryPart.next_id is no longer a property"
    if not callable(Relationships.__dict__.get("get_or_add")) or not callable(
        getattr(Relationships, "add_relationship", None)
    ):
        return "Relationships.get_or_add/add_relationship are gone"
    return None


def _insert_before_final_sectpr(body, element):
    """CT_Body children: block items, then at most one w:sectPr, always last."""
    last = next(body.iterchildren(reversed=True), None)  # O(1); len(body) walks them all
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(element)
    else:
        body.append(element)
    return element


def _next_partname(package, template: str):
    from docx.opc.packuri import PackURI

    state = package.__dict__.get("_partnames")
    if state is None:  # once per package; later names are added as they are handed out
        state = package.__dict__["_partnames"] = ({p.partname for p in package.iter_parts()}, {})
    taken, next_free = state
    n = next_free.get(template, 1)
    while template % n in taken:
        n += 1
    name = PackURI(template % n)
    taken.add(name)
    next_free[template] = n + 1
    return name


def _image_sha1(part) -> str:
    cached = part.__dict__.get("_sha1")
    if cached is None:
        cached = part.__dict__["_sha1"] = hashlib.sha1(part.blob).hexdigest()
    return cached


def _get_or_add_relationship(rels, reltype: str, target_part):
    """The first internal relationship of `reltype` to `target_part`, else a new one."""
    count, index = rels.__dict__.get("_index", (-1, {}))
    if count != len(rels):  # built once, rebuilt if the collection changed behind our back
        index = {}
        for rel in rels.values():
            if not rel.is_external:
                index.setdefault((rel.reltype, id(rel.target_part)), rel)
    rel = index.get((reltype, id(target_part)))
    if rel is None:
        rel = rels.add_relationship(reltype, target_part, _next_rid(rels))
        index[(reltype, id(target_part))] = rel
    rels.__dict__["_index"] = (len(rels), index)
    return rel


def _next_rid(rels) -> str:
    """The first free rIdN, as python-docx picks it, from a remembered dense prefix."""
    dense, count = rels.__dict__.get("_dense", (0, 0))
    if len(rels) < count:  # a relationship was dropped: there may be a gap below
        dense = 0
    while f"rId{dense + 1}" in rels:
        dense += 1
    rels.__dict__["_dense"] = (dense, len(rels))
    return f"rId{dense + 1}"


def _next_shape_id(part) -> int:
    """One more than the largest shape id: read from the XML once, then counted on.
    python-docx asks only when it inserts a picture, which then holds this id."""
    last = part.__dict__.get("_last_shape_id")
    if last is None:
        last = max((int(i) for i in part.element.xpath("//@id") if i.isdigit()), default=0)
    part.__dict__["_last_shape_id"] = last + 1
    return last + 1


@contextmanager
def linear_steps() -> Iterator[bool]:
    """While active, the six steps are linear; yields False when this python-docx is not
    a tested one (it then runs as released)."""
    if patch_state() != "ok":
        yield False
        return
    global _SECT_PR
    from docx.opc.package import OpcPackage
    from docx.opc.rel import Relationships
    from docx.oxml.document import CT_Body
    from docx.oxml.ns import qn
    from docx.parts.image import ImagePart
    from docx.parts.story import StoryPart

    _SECT_PR = qn("w:sectPr")
    with ExitStack() as patches:
        patches.enter_context(
            guard.swapped(
                CT_Body,
                _insert_p=_insert_before_final_sectpr,
                _insert_tbl=_insert_before_final_sectpr,
            )
        )
        patches.enter_context(guard.swapped(OpcPackage, next_partname=_next_partname))
        patches.enter_context(guard.swapped(ImagePart, sha1=property(_image_sha1)))
        patches.enter_context(guard.swapped(Relationships, get_or_add=_get_or_add_relationship))
        patches.enter_context(guard.swapped(StoryPart, next_id=property(_next_shape_id)))
        yield True


@contextmanager
def xml_parts() -> Iterator[None]:
    """While active, python-docx opens the font table and theme parts as XmlPart."""
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.part import PartFactory, XmlPart

    table = getattr(PartFactory, "part_type_for", None)
    if not isinstance(table, dict):
        raise EnvironmentProblem(
            f"python-docx {guard.PYTHON_DOCX.installed()}: PartFactory.part_type_for is no "
            f"longer a dict; install the tested python-docx ({guard.PYTHON_DOCX.spec}): "
            "pip install -c requirements.lock -e . (./run does this)"
        )
    kinds = (CONTENT_TYPE.WML_FONT_TABLE, CONTENT_TYPE.OFC_THEME)
    with guard.LOCK:
        if not _XML_PARTS:  # the first writer in: register what python-docx lacks
            _XML_PARTS.append([kind for kind in kinds if kind not in table])
            table.update(dict.fromkeys(_XML_PARTS[0], XmlPart))
        _XML_PARTS.append([])
    try:
        yield
    finally:
        with guard.LOCK:
            _XML_PARTS.pop()
            if len(_XML_PARTS) == 1:  # the last writer out
                for kind in _XML_PARTS.pop():
                    table.pop(kind, None)


# While a writer is in `xml_parts`: what it registered, then one entry per writer in.
_XML_PARTS: list[list[str]] = []
_SECT_PR = ""
