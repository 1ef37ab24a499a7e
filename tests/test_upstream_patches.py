"""The changes in patches/upstream/ (to send to pydyf and python-docx, so that the local
patches in publisher/patches/ can go): each applies to the installed library as it is,
gives the same output, and removes the repeated work the local patch works around."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, require_tool

UPSTREAM = ROOT / "patches" / "upstream"


def _patched_copy(package: str, diff: str, tmp_path: Path) -> Path:
    """The installed `package` copied under tmp_path with `diff` applied; the folder to
    put first on sys.path."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    shutil.copytree(Path(spec.origin).parent, tmp_path / package)
    done = subprocess.run(
        [require_tool("patch"), "-p1", "--forward", "-i", str(UPSTREAM / diff)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp_path


def _run(code: str, path: Path | None) -> dict:
    prefix = f"import sys; sys.path.insert(0, {str(path)!r})\n" if path else ""
    done = subprocess.run(
        [sys.executable, "-c", prefix + code], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


PYDYF = r"""
import hashlib, io, json, pydyf
pdf = pydyf.PDF()
reads = []
for n in range(40):
    page = pydyf.Dictionary({"Type": "/Page", "MediaBox": [0, 0, 10, 10]})
    pdf.add_page(page)
    reads.append(pdf.page_references)
out = io.BytesIO()
pdf.write(out)
print(json.dumps({
    "where": pydyf.__file__,
    "refs": [r.decode() for r in pdf.page_references],
    "kept": pdf.page_references is pdf.page_references,
    "pdf": hashlib.sha256(out.getvalue()).hexdigest(),
}))
"""


def test_pydyf_keeps_its_page_references(tmp_path):
    plain = _run(PYDYF, None)
    patched = _run(PYDYF, _patched_copy("pydyf", "pydyf-page-references.diff", tmp_path))
    assert patched["where"].startswith(str(tmp_path))
    assert patched["refs"] == plain["refs"] and patched["pdf"] == plain["pdf"]
    assert patched["kept"] and not plain["kept"]  # one tuple, not a new one per read


PYTHON_DOCX = r"""
import hashlib, io, json
import docx, docx.opc.package, docx.parts.image
from PIL import Image
walks = {"n": 0}
iter_parts = docx.opc.package.OpcPackage.iter_parts
def counted(self):
    walks["n"] += 1
    return iter_parts(self)
docx.opc.package.OpcPackage.iter_parts = counted
hashes = {"n": 0}
sha1 = docx.parts.image.hashlib.sha1
class Counting:
    def sha1(self, data):
        hashes["n"] += 1
        return sha1(data)
docx.parts.image.hashlib = Counting()
picture = io.BytesIO()
Image.new("RGB", (8, 8), (200, 30, 30)).save(picture, "PNG")
document = docx.Document()
when = __import__("datetime").datetime(2026, 1, 1)
document.core_properties.created = document.core_properties.modified = when
for n in range(12):
    section = document.add_section() if n else document.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = f"head {n}"
    document.add_paragraph(f"section {n}")
    picture.seek(0)
    document.add_picture(picture)
walks_before_save = walks["n"]
out = io.BytesIO()
document.save(out)
# Its parts, names and bytes: the zip's own entry times are the clock's at the save.
parts = __import__("zipfile").ZipFile(out)
print(json.dumps({
    "where": docx.__file__,
    "walks": walks_before_save,
    "hashes": hashes["n"],
    "docx": hashlib.sha256(
        repr([(i.filename, parts.read(i)) for i in parts.infolist()]).encode()
    ).hexdigest(),
}))
"""


def test_python_docx_names_parts_and_hashes_images_once(tmp_path):
    plain = _run(PYTHON_DOCX, None)
    diff = "python-docx-partname-and-sha1.diff"
    patched = _run(PYTHON_DOCX, _patched_copy("docx", diff, tmp_path))
    assert patched["where"].startswith(str(tmp_path))
    assert patched["docx"] == plain["docx"]  # the same parts, byte for byte, in the same order
    assert plain["walks"] >= 12 and patched["walks"] == 1  # one walk, not one per header
    assert plain["hashes"] >= 11 and patched["hashes"] == 1  # one picture part, hashed once
