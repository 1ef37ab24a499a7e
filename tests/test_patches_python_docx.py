"""The python-docx fixes give the same DOCX, byte for byte, and leave nothing quadratic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.patches.guard import UNPATCHED

ROOT = Path(__file__).resolve().parent.parent

# Builds the tests' sample compendium (three parts, figures, sections) in a fresh process,
# with or without the fixes, and prints the DOCX's SHA-256 and the calls that scan.
CHILD = r"""
import hashlib, sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from publisher.patches import python_docx
import docx.opc.rel, docx.oxml.xmlchemy
scans = {{"n": 0}}
original = docx.opc.rel.Relationships._get_matching
def counted(self, *args, **kwargs):
    scans["n"] += 1
    return original(self, *args, **kwargs)
docx.opc.rel.Relationships._get_matching = counted
from publisher.testing import books
from publisher.support.options import WriterOptions
from publisher.look.theme import load_theme
from publisher.writers.docx import write_docx
from publisher.writers.preflight import run_preflight
root = Path({root!r})
book = books.sample_compendium()
options = WriterOptions(content_dir=root / "content", styles_dir=root / "styles",
                        date="2026-11-01", docx_toc_pages=False)
theme = load_theme(root / "styles" / "theme.toml")
out = write_docx(book, theme, options, run_preflight(book, theme, options))
print(hashlib.sha256(out.data).hexdigest(), scans["n"], python_docx.patch_state().replace(' ', '_'))
"""


def _build(patched: bool) -> list[str]:
    code = CHILD.format(tests=str(ROOT / "tests"), root=str(ROOT))
    env = {k: v for k, v in os.environ.items() if k != UNPATCHED}
    if not patched:
        env[UNPATCHED] = "1"  # the guard leaves python-docx as released
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.split()


@pytest.mark.slow
def test_same_docx_with_and_without_the_fixes():
    digest, scans, state = _build(True)
    plain_digest, plain_scans, _ = _build(False)
    assert state == "ok"
    assert digest == plain_digest
    assert int(plain_scans) > 0 and int(scans) == 0  # no linear relationship scans left
