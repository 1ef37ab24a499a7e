"""The HTML edition: the compendium as a static site in build/html/ (`--format html`).

Pages from the page renderer the workbench uses (`publisher.screen`), for any web server
or straight from the file system: no CDN, no web fonts, no analytics, nothing fetched.

    index.html            title facts, preface, contents by parts
    cases/<case id>.html  one page a case, at an address that outlives reordering
    afterword.html        the afterword
    search.html           search in Chinese (assets/search.js over search/index.js)
    assets/               site.css (from the style table), site.js, search.js
    images/               each photo at a phone's and a wide screen's width

The writer returns every file's bytes; the build hands them to `SiteOutput.write_into`,
which builds the new site beside the old one and swaps it in (a half-written site never
stands in place of a good one), linking each file whose bytes did not change from the old
site, so an edit to one case rewrites only the pages that show it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..look.theme import Theme
from ..model import Compendium
from ..screen.edition import Edition, TocCase, edition
from ..screen.render import render_stylesheet, render_template
from ..screen.search import search_data, search_script
from ..support.options import NO_RESOURCES, WriterOptions, WriterResources
from .preflight import Preflight

FOLDER = "html"  # build/html/
MANIFEST = ".publisher-site.json"  # every file's hash: what the build's state records
# Faces readers' systems name otherwise, tried after the theme's (no web font is fetched).
WEB_FALLBACKS: dict[str, tuple[str, ...]] = {
    "body": ("Noto Serif SC", "Source Han Serif SC", "Source Han Serif", "Songti SC", "SimSun"),
    "heading": ("Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei"),
    "caption": ("Noto Serif SC", "Source Han Serif SC", "KaiTi", "STKaiti", "Songti SC"),
}


@dataclass(frozen=True)
class SiteOutput:
    """The site's files by path; `data` is its manifest (the build records its hash)."""

    files: dict[str, bytes]
    data: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    written: list[str] = field(default_factory=list)  # what the last write_into rewrote

    def write_into(self, folder: Path) -> None:
        """Make `folder` hold exactly these files: built beside it, then swapped in."""
        staging = folder.with_name(f".{folder.name}.new")
        retired = folder.with_name(f".{folder.name}.old")
        if retired.exists() and not folder.exists():  # stopped between the two renames
            os.replace(retired, folder)
        for leftover in (staging, retired):  # from a build that was stopped
            if leftover.exists():
                shutil.rmtree(leftover)
        self.written.clear()
        for name, data in sorted(self.files.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            old = folder / name
            if _same_bytes(old, data):
                try:
                    os.link(old, target)  # the same file: unchanged bytes, time and inode
                    continue
                except OSError:
                    pass
            target.write_bytes(data)
            self.written.append(name)
        if folder.exists():
            os.replace(folder, retired)
        os.replace(staging, folder)
        shutil.rmtree(retired, ignore_errors=True)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def site_matches(folder: Path, manifest: bytes) -> bool:
    """Whether `folder` still holds the site `manifest` lists (nothing deleted or edited)."""
    try:
        listed = json.loads(manifest)
    except ValueError:
        return False
    return all(
        _digest_of(folder / name) == digest for name, digest in listed.get("files", {}).items()
    )


def _digest_of(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def write_site(
    compendium: Compendium,
    theme: Theme,
    options: WriterOptions,
    pre: Preflight,
    *,
    resources: WriterResources = NO_RESOURCES,
) -> SiteOutput:
    """The writer interface's HTML writer: every file of the site, by path."""
    book = edition(compendium, theme, options, pre.images, cache_dir=resources.cache_dir)
    out: dict[str, bytes] = {}
    page = _pager(book)
    out["index.html"] = page(
        "",
        compendium.title,
        render_template(theme, options.styles_dir, "screen/home.html.j2", **_facts(book)),
    )
    afterword = TocCase("afterword", 0, compendium.afterword_title, "afterword.html")
    for index, case in enumerate(book.cases):
        before, after = book.neighbours(index)
        if after is None and compendium.afterword:
            after = afterword
        article = Markup(book.article(case.id, "../"))
        out[case.href] = page(
            "../", case.title, article, current=case.id, before=before, after=after
        )
    if compendium.afterword:
        main = render_template(
            theme, options.styles_dir, "screen/afterword.html.j2", book=compendium
        )
        last = book.cases[-1] if book.cases else None
        out["afterword.html"] = page(
            "", compendium.afterword_title, main, current="afterword", before=last
        )
    out["search.html"] = page(
        "",
        f"搜索 · {compendium.title}",
        render_template(theme, options.styles_dir, "screen/search.html.j2"),
        search=True,
    )
    out["assets/site.css"] = _text(
        render_stylesheet(
            theme,
            options.styles_dir,
            "screen/site.css.j2",
            table=pre.styles,
            fallbacks=WEB_FALLBACKS,
        )
    )
    out["assets/site.js"] = _text(render_template(theme, options.styles_dir, "screen/site.js.j2"))
    out["assets/search.js"] = _text(
        render_template(theme, options.styles_dir, "screen/search.js.j2")
    )
    # The search page links a case from the site's root.
    data = search_data(compendium, {c.id: c.href for c in book.cases})
    out["search/index.js"] = search_script(data).encode()
    for photo in book.photos.values():
        for name, path in photo.files.items():
            out[f"images/{name}"] = path.read_bytes()
    listing = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(out.items())}
    manifest = (json.dumps({"files": listing}, indent=1) + "\n").encode()
    out[MANIFEST] = manifest
    pages = sum(1 for name in out if name.endswith(".html"))
    return SiteOutput(out, manifest, pages, tuple(book.images.warnings))


def _facts(book: Edition) -> dict:
    return {"book": book.compendium, "date": book.date, "toc": book.parts}


def _pager(book: Edition):
    """The page maker: the table of contents rendered once for each depth of page (300
    titles on each of 300 pages through the Chinese finish was most of the build), then
    the current page marked in it."""
    theme, styles = book.theme, book.options.styles_dir
    tocs = {
        root: render_template(theme, styles, "screen/toc.html.j2", root=root, **_facts(book))
        for root in ("", "../")
    }

    def page(root: str, title: str, main: str, current: str = "", **context) -> bytes:
        context = {"before": None, "after": None, "search": False, **context}
        toc = tocs[root]
        if current:
            target = "afterword.html" if current == "afterword" else f"cases/{current}.html"
            href = f'href="{root}{target}"'
            toc = toc.replace(href + ">", href + ' aria-current="page">', 1)
        html = render_template(
            theme,
            styles,
            "screen/site.html.j2",
            root=root,
            title=title,
            main=Markup(main),
            toc_html=Markup(toc),
            **_facts(book),
            **context,
        )
        return _text(html)

    return page


def _text(text: str) -> bytes:
    return (text.rstrip("\n") + "\n").encode()
