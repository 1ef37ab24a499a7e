"""Benchmark: the screen editions (`--format html`, `--format epub`): time, size, and search.

    .venv/bin/python benchmarks/screen.py                 # the seed
    .venv/bin/python benchmarks/screen.py --cases 300     # also a synthetic book of 300 cases

For each book: a cold build of the HTML edition and of the EPUB (each in a new process, as
an editor runs it), the site's size (files, bytes, the search data) and the EPUB's, an edit
to one case (the HTML edition again: seconds, files rewritten), and search in chromium: the
time of the query 集体经济 over the whole book, from file://. Synthetic cases are the seed
cases repeated under new ids (benchmarks/build.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import clean, copy_project, edit_one_case, measure, synthesize  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def rewritten(site: Path, before: dict[str, int]) -> int:
    """Files whose inode changed (written anew) since `before`."""
    return sum(1 for p in site.rglob("*") if p.is_file() and before.get(str(p)) != p.stat().st_ino)


def search_ms(site: Path, query: str) -> float | None:
    """Milliseconds chromium takes from typing a query to the results shown."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).is_file():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((site / "search.html").as_uri())
        page.wait_for_load_state()
        took = page.evaluate(
            """q => { const box = document.getElementById('search-q');
                 const t = performance.now(); box.value = q;
                 document.querySelector('.search-form').requestSubmit();
                 return performance.now() - t; }""",
            query,
        )
        browser.close()
        return round(took, 1)


def run(project: Path) -> dict:
    clean(project)
    html = measure("build", "--format", "html", "-q", cwd=project)
    site = project / "build" / "html"
    files, size = folder_size(site)
    index = (site / "search" / "index.js").stat().st_size
    inodes = {str(p): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    cases = len(list((project / "content" / "cases").glob("*.md")))
    edit_one_case(project, cases)
    edit = measure("build", "--format", "html", "-q", cwd=project)
    epub = measure("build", "--format", "epub", "-q", cwd=project)
    (book,) = (project / "build").glob("*.epub")
    return {
        "cases": cases,
        "html_cold_s": html["seconds"],
        "html_peak_mb": html["peak_mb"],
        "site_files": files,
        "site_mb": round(size / 2**20, 2),
        "search_data_kb": round(index / 1024),
        "html_after_edit_s": edit["seconds"],
        "files_rewritten": rewritten(site, inodes),
        "epub_s": epub["seconds"],
        "epub_mb": round(book.stat().st_size / 2**20, 2),
        "search_ms": search_ms(site, "集体经济"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, action="append", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        books = [("seed", 0), *((f"{n} cases", n) for n in args.cases)]
        for name, n in books:
            project = Path(tmp) / name.replace(" ", "-")
            copy_project(project)
            if n:
                synthesize(project, n)
            print(name, json.dumps(run(project), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
