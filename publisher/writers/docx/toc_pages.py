"""The LibreOffice pass: real page numbers for the DOCX's table of contents.

LibreOffice (over UNO, in a subprocess run by the Python that has `uno`) lays the file out,
updates its TOC and reports each entry's page as displayed; the writer then writes those
numbers into the TOC field's cached result. Any failure (no LibreOffice, no uno, a crash,
a timeout, entries that do not match) gives no numbers and a warning, never an exception.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ...support import lifeline
from .document import TocEntry

SCRIPT = Path(__file__).with_name("lo_pages.py")
UNO_PYTHONS = (
    "/usr/bin/python3",
    "/usr/lib/libreoffice/program/python",
    "/Applications/LibreOffice.app/Contents/Resources/python",
)
TIMEOUT = 180  # seconds for start, load, layout and shutdown


@dataclass(frozen=True, slots=True)
class TocPages:
    pages: dict[str, str] | None  # bookmark → page as displayed ("3", "ii")
    warnings: tuple[str, ...] = ()


def _uno_candidates() -> list[str]:
    """The Python interpreters that may have LibreOffice's `uno`, that exist here."""
    configured = os.environ.get("PUBLISHER_UNO_PYTHON")
    return [p for p in ((configured,) if configured else UNO_PYTHONS) if Path(p).is_file()]


def find_uno_python() -> str | None:
    """A Python interpreter that can `import uno` (LibreOffice's own or the system's)."""
    for candidate in _uno_candidates():
        try:
            done = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return candidate
    return None


def _with_parent() -> dict[str, str]:
    """The environment for a LibreOffice script, naming this process as its parent: a
    script whose parent is gone before it looks (a build killed at once) ends at once."""
    return {**os.environ, "PUBLISHER_PARENT": str(os.getpid())}


def run_uno_script(python: str, script: Path, *args: str) -> bytes:
    """Run one of the LibreOffice scripts beside this module; its standard output. Raises
    RuntimeError (its last lines of errors) when it fails or outlives TIMEOUT."""
    # A session of its own, so a timeout kills soffice with the script.
    proc = subprocess.Popen(
        [python, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=_with_parent(),
    )
    _register(proc.pid)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _stop_session(proc.pid)
        proc.communicate()
        raise RuntimeError(f"LibreOffice did not finish within {TIMEOUT} s") from None
    _stop_session(proc.pid)  # what outlived the script (a soffice it could not stop)
    if proc.returncode != 0:
        raise RuntimeError(f"LibreOffice failed ({proc.returncode}): {_last_line(err)}")
    return out


def _last_line(err: bytes) -> str:
    """What a script's errors come to: their last line (a traceback's is the exception,
    the lines above it are the script's insides)."""
    lines = [line.strip() for line in err.decode("utf-8", "replace").splitlines()]
    return next((line for line in reversed(lines) if line), "no message")


def _run(python: str, docx_path: Path, bookmarks: Sequence[str]) -> dict:
    return json.loads(run_uno_script(python, SCRIPT, str(docx_path), *bookmarks).decode())


@contextmanager
def warm_office() -> Iterator[Path | None]:
    """A LibreOffice started now for a pass that comes later (`lo_pages.py --serve`): its
    start (about 1.5 s) overlaps the build's checks and the DOCX's composition. Yields the
    folder through which the DOCX writer, in another process, hands it the file
    (`page_numbers(office=…)`); None when there is no LibreOffice. Stopped on leaving."""
    # The first candidate, untried (trying costs 0.1 s): without uno it answers with an
    # error before starting soffice, and the writer then tries the others itself.
    python = next(iter(_uno_candidates()), None)
    if python is None or (
        shutil.which("soffice") is None and not os.environ.get("PUBLISHER_SOFFICE")
    ):
        yield None
        return
    with tempfile.TemporaryDirectory(prefix=lifeline.temp_prefix("lo")) as folder:
        proc = subprocess.Popen(
            [python, str(SCRIPT), "--serve", folder],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a kill takes soffice with it
            env=_with_parent(),
        )
        _register(proc.pid)
        (Path(folder) / "server.pid").write_text(str(proc.pid), encoding="utf-8")
        try:
            yield Path(folder)
        finally:
            (Path(folder) / "cancel").touch()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=30)
            _stop_session(proc.pid)  # also a soffice that outlived the script
            proc.wait()


def _register(leader: int) -> None:
    """The script's session in the build's record of helpers: should the script outlive
    a killed build, the next build stops it (support/lifeline)."""
    record = lifeline.current_record()
    if record is not None:
        lifeline.register(record, lifeline.identity(), leader, "session")


def _stop_session(leader: int) -> None:
    """Kill what is left of the session a script was started in (its soffice: the
    script's own kill reaches soffice's launcher, not the office process it started)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(leader, signal.SIGKILL)


def _ask(office: Path, docx_path: Path, bookmarks: Sequence[str]) -> dict:
    """The pass by the warm LibreOffice in `office`; RuntimeError when it cannot answer."""
    request = {"path": str(docx_path), "bookmarks": list(bookmarks)}
    partial = office / "request.part"
    partial.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, office / "request.json")
    pid = int((office / "server.pid").read_text(encoding="utf-8"))
    answer = office / "response.json"
    deadline = time.monotonic() + TIMEOUT
    while not answer.is_file():
        if not _running(pid):
            raise RuntimeError("the LibreOffice started for this build stopped")
        if time.monotonic() > deadline:
            raise RuntimeError(f"LibreOffice did not finish within {TIMEOUT} s")
        time.sleep(0.05)
    result = json.loads(answer.read_text(encoding="utf-8"))
    if "error" in result:
        raise RuntimeError(str(result["error"]))
    return result


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return not Path("/proc/self").exists()  # no /proc here: trust the timeout
    return state != "Z"


def _bare(text: str) -> str:
    return "".join(text.split())


def match_index(entries: Sequence[TocEntry], lines: Sequence[str]) -> dict[str, str] | None:
    """Bookmark → page from LibreOffice's updated index lines (`title<TAB>page`), when they
    list exactly our entries in our order; None when they do not."""
    rows = [line.rsplit("\t", 1) for line in lines if line.strip()]
    if len(rows) != len(entries):
        return None
    pages = {}
    for entry, row in zip(entries, rows, strict=True):
        # A title set on two lines is listed with a space where it breaks.
        if len(row) != 2 or _bare(row[0]) != _bare(entry.text) or not row[1].strip():
            return None
        pages[entry.bookmark] = row[1].strip()
    return pages


def page_numbers(data: bytes, entries: Sequence[TocEntry], office: Path | None = None) -> TocPages:
    """Lay out the DOCX `data` with LibreOffice; the displayed page of every TOC entry.
    `office`: a LibreOffice already starting for this build (`warm_office`); when it
    cannot answer, one is started here as without it."""
    if not entries:
        return TocPages({})
    if office is not None:
        path = office / "compendium.docx"
        try:
            path.write_bytes(data)
            return _pages_from(_ask(office, path, [e.bookmark for e in entries]), entries)
        except (OSError, RuntimeError, ValueError):
            pass  # a LibreOffice of our own, below
    if shutil.which("soffice") is None and not os.environ.get("PUBLISHER_SOFFICE"):
        return TocPages(
            None,
            (
                "LibreOffice (soffice) is not installed: the DOCX table of "
                "contents has no page numbers; Word fills them in on opening",
            ),
        )
    python = find_uno_python()
    if python is None:
        return TocPages(
            None,
            (
                "no Python with LibreOffice's uno module: the DOCX table of "
                "contents has no page numbers",
            ),
        )
    with tempfile.TemporaryDirectory(prefix=lifeline.temp_prefix("docx")) as tmp:
        path = Path(tmp) / "compendium.docx"
        path.write_bytes(data)
        try:
            result = _run(python, path, [e.bookmark for e in entries])
        except (OSError, RuntimeError, ValueError) as exc:
            return TocPages(None, (f"DOCX table of contents left without page numbers: {exc}",))
    return _pages_from(result, entries)


def _pages_from(result: dict, entries: Sequence[TocEntry]) -> TocPages:
    for lines in result.get("indexes", []):
        pages = match_index(entries, lines)
        if pages is not None:
            return TocPages(pages)
    return TocPages(
        None,
        (
            "LibreOffice's table of contents did not match the cases; the "
            "DOCX table of contents has no page numbers",
        ),
    )
