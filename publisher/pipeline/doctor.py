"""`publisher doctor`: is everything a build needs here? Each problem says what to install."""

from __future__ import annotations

import ctypes.util
import importlib.metadata
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "warning", "missing"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


def _package(name: str, dist: str) -> Check:
    try:
        return Check(name, "ok", importlib.metadata.version(dist))
    except importlib.metadata.PackageNotFoundError:
        return Check(name, "missing", "not installed", "./run build (or: pip install -e .)")


def run_checks(project=None) -> list[Check]:
    checks = [
        Check(
            "python",
            "ok" if sys.version_info >= (3, 11) else "missing",
            sys.version.split()[0],
            "install Python 3.11 or newer",
        )
    ]
    checks += [
        _package(n, d)
        for n, d in (
            ("weasyprint", "weasyprint"),
            ("jinja2", "jinja2"),
            ("python-docx", "python-docx"),
            ("opencc", "opencc"),
        )
    ]
    try:
        from weasyprint.text.ffi import pango

        version = pango.pango_version()
        checks.append(
            Check(
                "pango",
                "ok" if version >= 14400 else "missing",
                f"{version // 10000}.{version // 100 % 100}.{version % 100}",
                "sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0",
            )
        )
    except Exception as exc:  # OSError when the library is absent
        checks.append(
            Check(
                "pango",
                "missing",
                str(exc).splitlines()[0],
                "sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0",
            )
        )
    checks.append(_justification_check())
    checks += _patch_checks()
    subset = ctypes.util.find_library("harfbuzz-subset")
    checks.append(
        Check(
            "harfbuzz-subset",
            "ok" if subset else "warning",
            subset or "not found: PDF font subsetting is ~20x slower",
            "sudo apt-get install -y libharfbuzz-subset0",
        )
    )
    checks += _font_checks(project)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    checks.append(
        Check(
            "libreoffice",
            "ok" if soffice else "warning",
            soffice or "not found: DOCX table of contents gets no page numbers",
            "sudo apt-get install -y libreoffice-writer-nogui python3-uno",
        )
    )
    if soffice:
        uno = subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True)
        checks.append(
            Check(
                "python3-uno",
                "ok" if uno.returncode == 0 else "warning",
                "importable by /usr/bin/python3"
                if uno.returncode == 0
                else "not importable: no DOCX TOC page numbers",
                "sudo apt-get install -y python3-uno",
            )
        )
    return checks


def _justification_check() -> Check:
    """Can the flush-justification hook install in this WeasyPrint?"""
    try:
        from ..writers.pdf.justify import TESTED_WEASYPRINT, hook_state
    except ImportError as exc:  # pragma: no cover
        return Check("justification", "missing", str(exc), "./run build")
    state = hook_state()
    if state.ok:
        return Check(
            "justification",
            "ok",
            f"flush Chinese lines (hook installs in WeasyPrint {state.weasyprint})",
        )
    return Check(
        "justification",
        "missing",
        f"hook cannot install in WeasyPrint {state.weasyprint or '?'}: {state.detail}; "
        "builds stop unless the theme sets [typography] ragged_lines = true",
        f"pip install -c requirements.lock -e . (tested: weasyprint{TESTED_WEASYPRINT})",
    )


def _patch_checks() -> list[Check]:
    """Every patch to a dependency (`publisher.patches`): applied, or why not. A speed-up
    that is not applied is a warning (the output is the same, only slower)."""
    from ..patches import PATCHES

    checks = []
    for patch in PATCHES:
        state = patch.state()
        version = patch.tested.installed() or "?"
        if state == "ok":
            detail = f"applied ({patch.tested.distribution} {version}): {patch.fixes}"
            checks.append(Check(f"patch: {patch.name}", "ok", detail))
        else:
            checks.append(
                Check(
                    f"patch: {patch.name}",
                    "warning" if patch.speedup else "missing",
                    f"not applied: {state}",
                    f"pip install -c requirements.lock -e . (tested: "
                    f"{patch.tested.distribution}{patch.tested.spec})",
                )
            )
    return checks


def _font_checks(project) -> list[Check]:
    from ..look.theme import Theme
    from ..support.errors import PublisherError

    try:
        from ..look.fonts import check_coverage, resolve_family
    except ImportError as exc:  # the fonts module needs fontconfig bindings
        return [Check("fonts", "missing", str(exc), "./run build")]
    theme = Theme()
    loaded = None
    if project is not None:
        try:
            from .project import load_project

            loaded = load_project(project)
            theme = loaded.theme
        except PublisherError as exc:
            return [Check("content", "missing", str(exc), "publisher lint")]
    checks = _face_checks(theme, resolve_family)
    fonts_ok = all(c.status == "ok" for c in checks)
    checks += docx_font_checks(theme)
    if loaded is not None and fonts_ok:
        try:
            check_coverage(loaded.compendium, loaded.theme, loaded.files)
            cases = len(loaded.compendium.cases)
            checks.append(
                Check("coverage", "ok", f"the fonts cover every character of {cases} cases")
            )
        except PublisherError as exc:
            checks.append(
                Check(
                    "coverage",
                    "missing",
                    str(exc),
                    "replace the character in the case file, or add a font "
                    "that has it to styles/theme.toml",
                )
            )
    return checks


def _face_checks(theme, resolve_family) -> list[Check]:
    """The face each role of the theme gets here (body, headings, captions, titles,
    folios): the first installed one of its list; a fallback face is a substitution
    (a warning, with how to get a free face of the right kind, e.g. FandolFang for 仿宋)."""
    from ..look.fonts import FREE_FACES, font_stacks
    from ..support.errors import PublisherError

    try:
        stacks = font_stacks(theme)
    except PublisherError:
        stacks = None
    checks = []
    for role in ("body", "heading", "caption", "title", "folio"):
        families = getattr(theme.fonts, role)
        if not families and role in ("title", "folio"):
            continue  # the heading's and the body's faces
        if stacks is None:
            try:
                checks.append(Check(f"font ({role})", "ok", str(resolve_family(families))))
            except PublisherError as exc:
                checks.append(
                    Check(
                        f"font ({role})",
                        "missing",
                        exc.message,
                        "sudo apt-get install -y fonts-noto-cjk fonts-lxgw-wenkai",
                    )
                )
            continue
        face = stacks.faces(role)[0]
        note = next((n for n in stacks.substitutions if n.startswith(f"{role}:")), "")
        if note:
            hint = next((h for kind, h in FREE_FACES.items() if kind in note), "")
            checks.append(
                Check(f"font ({role})", "warning", f"{face} in place of {families[0]}", hint)
            )
        else:
            checks.append(Check(f"font ({role})", "ok", str(face)))
    return checks


def docx_font_checks(theme) -> list[Check]:
    """What the DOCX's font names (theme `[docx]`, e.g. SimSun) become here: LibreOffice
    asks fontconfig for them with the text's language (zh-CN). A Simplified Chinese face
    is fine, whichever it is; anything else would show wrong glyphs or boxes."""
    tool = shutil.which("fc-match")
    if tool is None:
        return [
            Check(
                "docx fonts",
                "warning",
                "fc-match not found: cannot tell how LibreOffice shows the DOCX fonts here",
                "sudo apt-get install fontconfig",
            )
        ]
    checks = []
    d = theme.docx
    for role, name in (
        ("body", d.body_font),
        ("heading", d.heading_font),
        ("caption", d.caption_font),
        ("title", d.title_font),
        ("folio", d.folio_font),
    ):
        if not name:
            continue  # the heading's and the body's
        out = subprocess.run(
            [tool, "-f", "%{family}\t%{lang}", f"{name}:lang=zh-cn"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        family, _, langs = out.partition("\t")
        family = family.split(",")[0].strip()
        if "zh-cn" in langs.split("|"):
            same = family.casefold() == name.casefold()
            detail = (
                f"{name}: installed"
                if same
                else f"{name}: not installed here; LibreOffice shows it as {family} "
                "(Simplified Chinese); Word and WPS on Chinese Windows have it"
            )
            checks.append(Check(f"docx {role}", "ok", detail))
        else:
            checks.append(
                Check(
                    f"docx {role}",
                    "warning",
                    f"{name}: LibreOffice here would use {family or 'nothing'}, "
                    "which has no Simplified Chinese",
                    "sudo apt-get install -y fonts-noto-cjk",
                )
            )
    return checks
