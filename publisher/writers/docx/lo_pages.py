"""Page numbers of a DOCX's TOC entries as LibreOffice lays it out (run by path with the
Python that has `uno`; standard library + uno only).

    /usr/bin/python3 lo_pages.py FILE.docx BOOKMARK...
    /usr/bin/python3 lo_pages.py --serve FOLDER

Starts a private headless soffice (own profile, own pipe), loads the file hidden,
updates its indexes, and prints JSON: for each bookmark the physical page it lands on,
and the updated index text (`title<TAB>page` lines, page as displayed). Always stops
soffice and removes the profile.

`--serve`: soffice is started at once and the file comes later: the script waits for
FOLDER/request.json (`{"path": …, "bookmarks": […]}`), writes the same JSON to
FOLDER/response.json, and ends. It also ends on FOLDER/cancel, or after an hour.

Either way, when the process that started it is gone (a killed build), a watchdog thread
kills soffice (every other process of the script's session), removes the profile and
FOLDER, and ends the script, so a killed build leaves no soffice and no folder behind.
Temporary folders are named `publisher-lo-PID-START-…` (the rule of
publisher/support/lifeline.py, which this script cannot import), so the next build can
tell one whose process is gone.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

_CLEANUP: list[str] = []  # folders to remove should the process that started this script be gone
# The process that started this script, as it said (read at start: a parent already gone
# would otherwise be taken for init, and the script would never notice).
_PARENT = int(os.environ.get("PUBLISHER_PARENT") or 0) or os.getppid()


def _connect(pipe, proc, deadline):
    import uno

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception as exc:  # NoConnectException until soffice listens
            if proc.poll() is not None:
                raise RuntimeError(f"soffice exited with code {proc.returncode}") from exc
            if time.monotonic() > deadline:
                raise RuntimeError("soffice did not start in time") from exc
            time.sleep(0.2)


def _prop(name, value):
    import uno  # noqa: F401  (installs the import hook that makes com.sun.star importable)
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def right_hand_openings(doc):
    """Work around LibreOffice 7.4's import of an odd-page section break with a different
    first page: it lays the opening page out in a right-only copy of the first-page style
    and follows that copy with the first-page style again, so the page after an opening
    had no running head. The copy is followed by the section's own style instead, as in
    Word. Returns how many page styles were changed (0 where LibreOffice gets it right)."""
    from com.sun.star.style.PageStyleLayout import RIGHT

    styles = doc.getStyleFamilies().getByName("PageStyles")
    changed = 0
    for name in styles.getElementNames():
        style = styles.getByName(name)
        first = style.FollowStyle
        if style.PageStyleLayout != RIGHT or first == name or not styles.hasByName(first):
            continue
        rest = styles.getByName(first).FollowStyle
        if rest not in (first, name) and styles.hasByName(rest):
            style.FollowStyle = rest
            changed += 1
    return changed


def measure(ctx, path, bookmarks):
    import uno

    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
    try:
        right_hand_openings(doc)  # the page after an opening has its running head
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.refresh()
        view = doc.getCurrentController().getViewCursor()
        marks = doc.getBookmarks()
        pages = {}
        for name in bookmarks:
            if marks.hasByName(name):
                view.gotoRange(marks.getByName(name).getAnchor().getStart(), False)
                pages[name] = view.getPage()
        index_text = []
        for i in range(indexes.getCount()):
            index_text.append(indexes.getByIndex(i).getAnchor().getString().splitlines())
        view.jumpToLastPage()
        return {"bookmarks": pages, "indexes": index_text, "page_count": view.getPage()}
    finally:
        doc.close(True)


def _temp_prefix():
    try:
        with open(f"/proc/{os.getpid()}/stat") as f:
            start = f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        start = "0"
    return f"publisher-lo-{os.getpid()}-{start}-"


def _watch_parent():
    """End this script, with its soffice and folders, as soon as its parent is gone."""

    def run():
        while os.getppid() == _PARENT:
            time.sleep(0.2)
        _abandon()

    threading.Thread(target=run, daemon=True).start()


def _abandon():
    members = _session_members()  # soffice and its launcher
    for pid in members:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    # A killed soffice may still be writing its profile for a moment: the folders go once
    # it is gone (bounded), and again if something came back into them meanwhile.
    deadline = time.monotonic() + 5
    while _session_members() and time.monotonic() < deadline:
        time.sleep(0.05)
    for _ in range(3):
        for folder in _CLEANUP:
            shutil.rmtree(folder, ignore_errors=True)
        if not any(os.path.exists(folder) for folder in _CLEANUP):
            break
        time.sleep(0.1)
    os._exit(1)


def _session_members():
    """The other processes of this script's session (it leads one: start_new_session)."""
    me = os.getpid()
    if os.getsid(0) != me:
        return []  # not our own session: never touch the caller's
    members = []
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError, ValueError):
            continue
        alive = fields[0] != "Z"  # a killed child not yet reaped is gone all the same
        if name.isdigit() and int(name) != me and int(fields[3]) == me and alive:
            members.append(int(name))
    return members


def with_soffice(task):
    """Run `task(ctx)` against a private headless soffice (own profile, own pipe, so
    parallel runs never share one); always stops soffice and removes the profile."""
    soffice = os.environ.get("PUBLISHER_SOFFICE") or shutil.which("soffice") or "soffice"
    profile = tempfile.mkdtemp(prefix=_temp_prefix())
    _CLEANUP.append(profile)
    pipe = "publisher_" + uuid.uuid4().hex
    proc = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ctx = _connect(pipe, proc, time.monotonic() + 90)
        result = task(ctx)
        with contextlib.suppress(Exception):  # the bridge dies with soffice: expected
            ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", ctx
            ).terminate()
        return result
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def serve(folder):
    parent = os.getppid()

    def task(ctx):
        request = os.path.join(folder, "request.json")
        deadline = time.monotonic() + 3600
        while not os.path.exists(request):
            gone = os.getppid() != parent or os.path.exists(os.path.join(folder, "cancel"))
            if gone or time.monotonic() > deadline:
                return None
            time.sleep(0.05)
        with open(request, encoding="utf-8") as f:
            asked = json.load(f)
        return measure(ctx, asked["path"], asked["bookmarks"])

    try:
        import uno  # noqa: F401 - before soffice starts: without it, answer at once

        result = with_soffice(task)
    except Exception as exc:  # told to the waiting writer, which then starts its own
        result = {"error": f"{type(exc).__name__}: {exc}"}
    if result is not None:
        partial = os.path.join(folder, "response.part")
        with open(partial, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False)
        os.replace(partial, os.path.join(folder, "response.json"))
    return 0


def main(argv):
    _watch_parent()
    if argv[1] == "--serve":
        _CLEANUP.append(argv[2])
        return serve(argv[2])
    path, bookmarks = argv[1], argv[2:]
    try:
        result = with_soffice(lambda ctx: measure(ctx, path, bookmarks))
    except Exception as exc:  # one line for the caller's message, not a traceback
        message = " ".join(str(exc).split()) or "no message"
        print(f"{type(exc).__name__}: {message}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
