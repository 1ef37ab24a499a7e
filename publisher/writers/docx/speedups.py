"""Version-guarded fixes for python-docx steps that grow faster than the document.

Composing a book of N cases with python-docx was quadratic (benchmarks/NOTES.md):

- every `add_paragraph` looks for the body's final `w:sectPr` by scanning the body from its
  first child (`insert_element_before`), so N paragraphs cost O(N²);
- every new header or footer part is named by walking every part of the package
  (`OpcPackage.next_partname`), so a section per case costs O(sections²);
- every picture inserted hashes every image part already in the package again
  (`ImagePart.sha1` is recomputed on each look-up).

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
    from docx.oxml.document import CT_Body
    from docx.parts.image import ImagePart

    version = ".".join(getattr(docx, "__version__", "0").split(".")[:2])
    if version not in TESTED_PYTHON_DOCX:
        return f"python-docx {docx.__version__} is not a tested release"
    if not all(callable(getattr(CT_Body, name, None)) for name in ("_insert_p", "_insert_tbl")):
        return "python-docx's CT_Body no longer has _insert_p/_insert_tbl"
    if not callable(getattr(OpcPackage, "next_partname", None)):
        return "python-docx's OpcPackage.next_partname is gone"
    if not isinstance(getattr(ImagePart, "sha1", None), property):
        return "python-docx's ImagePart.sha1 is no longer a property"
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


def install() -> bool:
    """Apply the fixes once per process; False when this python-docx is not a tested one."""
    global _installed, _SECT_PR
    with _lock:
        if _installed:
            return True
        if patch_state() != "ok":
            return False
        from docx.opc.package import OpcPackage
        from docx.oxml.document import CT_Body
        from docx.oxml.ns import qn
        from docx.parts.image import ImagePart

        _SECT_PR = qn("w:sectPr")
        CT_Body._insert_p = _insert_before_final_sectpr
        CT_Body._insert_tbl = _insert_before_final_sectpr
        OpcPackage.next_partname = _next_partname
        ImagePart.sha1 = property(_image_sha1)
        _installed = True
        return True


_SECT_PR = ""
