"""Version-guarded fixes for python-docx steps that grow faster than the document.

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

`install()` replaces these three with equivalents that give the same results in constant
time per call. It applies only to the tested python-docx releases and only while the
internals look as expected; otherwise python-docx runs unpatched (correct, only slower)
and `patch_state()` says why.
"""

from __future__ import annotations

import hashlib
import threading

# The python-docx releases these fixes are checked against (pyproject.toml pins the range).
TESTED_PYTHON_DOCX = ("1.1", "1.2")

_lock = threading.Lock()
_installed = False


def patch_state() -> str:
    """'ok', or why the fixes do not apply to this python-docx."""
    import docx
    from docx.opc.package import OpcPackage
    from docx.opc.rel import Relationships
    from docx.oxml.document import CT_Body
    from docx.parts.image import ImagePart
    from docx.parts.story import StoryPart

    version = ".".join(getattr(docx, "__version__", "0").split(".")[:2])
    if version not in TESTED_PYTHON_DOCX:
        return f"python-docx {docx.__version__} is not a tested release"
    if not all(callable(getattr(CT_Body, name, None)) for name in ("_insert_p", "_insert_tbl")):
        return "python-docx's CT_Body no longer has _insert_p/_insert_tbl"
    if not callable(getattr(OpcPackage, "next_partname", None)):
        return "python-docx's OpcPackage.next_partname is gone"
    if not isinstance(getattr(ImagePart, "sha1", None), property):
        return "python-docx's ImagePart.sha1 is no longer a property"
    if not isinstance(getattr(StoryPart, "next_id", None), property):
        return "python-docx's StoryPart.next_id is no longer a property"
    if not callable(getattr(Relationships, "get_or_add", None)) or not callable(
        getattr(Relationships, "add_relationship", None)
    ):
        return "python-docx's Relationships.get_or_add/add_relationship are gone"
    return "ok"


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


def install() -> bool:
    """Apply the fixes once per process; False when this python-docx is not a tested one."""
    global _installed, _SECT_PR
    with _lock:
        if _installed:
            return True
        if patch_state() != "ok":
            return False
        from docx.opc.package import OpcPackage
        from docx.opc.rel import Relationships
        from docx.oxml.document import CT_Body
        from docx.oxml.ns import qn
        from docx.parts.image import ImagePart
        from docx.parts.story import StoryPart

        _SECT_PR = qn("w:sectPr")
        _patch(CT_Body, "_insert_p", _insert_before_final_sectpr)
        _patch(CT_Body, "_insert_tbl", _insert_before_final_sectpr)
        _patch(OpcPackage, "next_partname", _next_partname)
        _patch(ImagePart, "sha1", property(_image_sha1))
        _patch(Relationships, "get_or_add", _get_or_add_relationship)
        _patch(StoryPart, "next_id", property(_next_shape_id))
        _installed = True
        return True


def _patch(owner: type, name: str, replacement: object) -> None:
    """Replace a python-docx method or property: deliberate (the version is checked by
    patch_state), so by setattr, which its typed signatures do not forbid."""
    setattr(owner, name, replacement)


_SECT_PR = ""
