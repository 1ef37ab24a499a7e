"""WeasyPrint, loaded with a one-line error when its system libraries are missing, and the
sandboxed URL fetcher every document of the PDF writer is made with (pieces, cover): files
under the project's content/ and styles/ folders, nothing else.

The bottom of the PDF writer: imported by `pieces`, `cover` and the package, importing
none of them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ...support.errors import EnvironmentProblem

__all__ = ["FetchRefused", "ProjectFetcher", "load_weasyprint"]


class FetchRefused(ValueError):
    """A URL the typesetter may not fetch (network, or a file outside the project)."""


def load_weasyprint():
    """The `weasyprint` module, or an EnvironmentProblem saying what to install."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango/HarfBuzz libraries missing
        raise EnvironmentProblem(
            f"WeasyPrint cannot start ({exc}); install it with its system libraries: "
            "sudo apt-get install libpango-1.0-0 libharfbuzz-subset0"
        ) from None
    return weasyprint


def _fetcher_class():
    weasyprint = load_weasyprint()

    class _ProjectFetcher(weasyprint.URLFetcher):
        """Serves files under the allowed folders and nothing else: no network, no
        file:// elsewhere, no `..` escape (paths are resolved, symlinks included)."""

        def __init__(self, roots: tuple[Path, ...]) -> None:
            super().__init__(allowed_protocols=("file",))
            self.roots = tuple(r.resolve() for r in roots)
            self.refused: list[str] = []

        def path_for(self, url: str) -> Path:
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise FetchRefused(f"not fetched (only project files are): {url}")
            raw = url2pathname(unquote(parts.path))
            if ".." in Path(raw).parts:
                raise FetchRefused(f"not fetched ('..' in path): {url}")
            path = Path(raw).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise FetchRefused(f"not fetched (outside content/ and styles/): {url}")
            if not path.is_file():
                raise FetchRefused(f"not fetched (no such file): {url}")
            return path

        def fetch(self, url, headers=None):
            try:
                path = self.path_for(url)
            except FetchRefused:
                self.refused.append(url)
                raise
            return weasyprint.urls.URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={}
            )

    return _ProjectFetcher


def ProjectFetcher(*roots: Path):
    """A WeasyPrint URL fetcher limited to files under `roots`."""
    return _fetcher_class()(tuple(roots))
