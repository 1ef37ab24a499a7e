"""Benchmark: the workbench (`publisher serve`) as an editor uses it.

    .venv/bin/python benchmarks/serve.py                    # seed (6 cases) and 100 cases
    .venv/bin/python benchmarks/serve.py --cases 100 --cases 300 --saves 40
    .venv/bin/python benchmarks/serve.py --no-seed --cases 300 --pages 5 \
        --edits 50,100,200,300 --edit-gap 0.5              # memory with proofs and builds

Case files are saved as editors' programs save them: written beside and renamed over.

For each book (the seed, and synthetic books of the seed cases repeated, as
benchmarks/build.py makes them):
- start: from starting `publisher serve` to the first page of the book served;
- save → update: from a case file written on disk to the event naming that case reaching
  an open page's event stream and the case's HTML fetched again (what a browser then puts
  in place: rendering in the browser is not counted), p50 and p95 over `--saves` saves;
- memory: the server's resident size idle after start, and after `--edits` edits (50,100,
  200,300: does it level off?), each read once the proofs and the build the edits started
  are done (with `--pages`; a build under way holds the book's pages in memory for a time);
- with `--pages N`: after a first `publisher build --format pdf`, from a case file saved to
  that case's printed pages served with the edit (its proof, or the rebuilt PDF's pages,
  whichever comes first), their images included, N times, and how many were the proof's;
  then the wait for the full build that follows. Also the first save after the start
  (the layout's workers started then, or warm already).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import copy_project, synthesize  # noqa: E402  (the shared book makers)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def save(path: Path, text: str) -> None:
    """A case file saved as editors' programs save it: written beside, then renamed over
    (a reader never sees it half written)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Events:
    """An open page's event stream: the time each `case` event arrives."""

    def __init__(self, port: int) -> None:
        self.arrived: dict[str, list[float]] = {}
        self.lock = threading.Condition()
        self.connection = http.client.HTTPConnection("127.0.0.1", port)  # waits as long as need be
        self.connection.request("GET", "/events")
        self.response = self.connection.getresponse()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                event = json.loads(line[5:])
                if event.get("kind") == "pages":  # a saved case's proof is there
                    with self.lock:
                        key = f"pages:{event.get('case')}"
                        self.arrived.setdefault(key, []).append(time.perf_counter())
                        self.lock.notify_all()
                if event.get("kind") == "build" and event.get("step") == "end":
                    with self.lock:
                        self.arrived.setdefault("build-end", []).append(time.perf_counter())
                        self.lock.notify_all()
                if event.get("kind") in ("case", "book"):
                    with self.lock:
                        key = event.get("case", "*")
                        self.arrived.setdefault(key, []).append(time.perf_counter())
                        self.lock.notify_all()
        except (OSError, ValueError, AttributeError, http.client.HTTPException):  # closed
            pass

    def wait(self, case_id: str, after: float, timeout: float = 30) -> float:
        deadline = time.perf_counter() + timeout
        with self.lock:
            while True:
                keys = (case_id,) if case_id.startswith(("build-end", "pages:")) else (case_id, "*")
                times = [t for k in keys for t in self.arrived.get(k, []) if t > after]
                if times:
                    return min(times)
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"no update for {case_id}")
                self.lock.wait(left)

    def close(self) -> None:
        self.connection.close()


def printed_pages_follow(
    base: str, events: Events, case_id: str, written: float
) -> tuple[float, bool]:
    """Seconds from the save at `written` to the case's printed pages served with it, and
    whether they were its proof's (not the book's, built again after it)."""
    seen, wait = written, True
    while True:  # a proof of an earlier save is marked stale: the next one follows
        assert time.perf_counter() - written < 600, "the pages did not follow the edit"
        if wait:
            try:
                seen = events.wait(f"pages:{case_id}", seen, timeout=120)
            except TimeoutError:  # no proof: the build's pages
                seen = events.wait("build-end", written, timeout=600)
        fragment = urllib.request.urlopen(f"{base}/case/{case_id}/pages", timeout=60).read()
        wait = b"stale" in fragment
        if not wait and all_served(base, fragment):
            break  # else the book was built again meanwhile: its pages replace the proof's
    took = time.perf_counter() - written
    events.wait("build-end", written, timeout=600)  # the book follows
    return took, b'data-source="proof"' in fragment


def all_served(base: str, fragment: bytes) -> bool:
    """Whether every page image the fragment shows is served."""
    for src in re.findall(rb'src="(/pages/[^"]+)"', fragment):
        try:
            urllib.request.urlopen(base + src.decode(), timeout=60).read()
        except urllib.error.HTTPError:
            return False
    return True


def wait_ready(server: subprocess.Popen, base: str, log: Path) -> None:
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            return
        except OSError:
            if server.poll() is not None:
                raise SystemExit(log.read_text(encoding="utf-8")) from None
            time.sleep(0.02)


def measure(
    project: Path, saves: int, pages: int = 0, edits: tuple[int, ...] = (100,), edit_gap=0.05
) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    log = open(project / "serve.log", "w")  # noqa: SIM115 (closed below; a pipe could fill)
    server = subprocess.Popen(
        [sys.executable, "-m", "publisher.cli", "-C", str(project), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_ready(server, base, project / "serve.log")
        started = time.perf_counter() - start
        events = Events(port)
        cases = sorted((project / "content" / "cases").glob("*.md"))
        path = cases[len(cases) // 2]
        case_id = path.stem
        original = path.read_text(encoding="utf-8")
        body = original.index("\n---\n", 4) + 5
        time.sleep(1.0)
        idle = rss_mb(server.pid)
        first_pages = ""
        if pages:  # the first save after the start (the layout's workers warm by then?)
            time.sleep(2.0)  # an editor opening the case
            written = time.perf_counter()
            save(path, original[:body] + "\n启动后第一次。\n" + original[body:])
            took, from_proof = printed_pages_follow(base, events, case_id, written)
            first_pages = f"{took:.1f} s" + (" (proof)" if from_proof else " (the book's)")
        latencies = []
        memory: dict[int, float] = {}
        for n in range(max(saves, *edits)):
            text = original[:body] + f"\n编辑第{n}次加的一句话。\n" + original[body:]
            written = time.perf_counter()
            save(path, text)
            if n < saves:
                events.wait(case_id, written)
                urllib.request.urlopen(f"{base}/case/{case_id}/fragment", timeout=30).read()
                latencies.append(time.perf_counter() - written)
                time.sleep(0.15)  # saves as an editor makes them, not a burst
            else:
                time.sleep(edit_gap)
            if n + 1 in edits:  # what stays once the work the edits started is done
                if pages:  # their proofs, and the build after them
                    events.wait("build-end", written, timeout=1200)
                time.sleep(1.5)
                memory[n + 1] = rss_mb(server.pid)
        printed: list[float] = []
        proofs = 0
        for n in range(pages):
            text = original[:body] + f"\n打印页第{n}次。\n" + original[body:]
            written = time.perf_counter()
            save(path, text)
            took, from_proof = printed_pages_follow(base, events, case_id, written)
            printed.append(took)
            proofs += from_proof
        events.close()
        save(path, original)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=600)  # a build under way finishes first
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    latencies.sort()
    printed.sort()
    return {
        "pages_s": [round(t, 1) for t in printed],
        "pages_from_proof": proofs,
        "first_pages": first_pages,
        "start_s": round(started, 2),
        "p50_ms": round(statistics.median(latencies) * 1000),
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000),
        "idle_mb": round(idle),
        "after_edits_mb": {n: round(mb) for n, mb in sorted(memory.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, action="append", help="synthetic book sizes")
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--saves", type=int, default=30, help="saves timed per book")
    parser.add_argument("--pages", type=int, default=0, help="saves timed to printed pages")
    parser.add_argument(
        "--edits",
        default="100",
        help="after how many edits the server's memory is read (50,100,200,300)",
    )
    parser.add_argument(
        "--edit-gap", type=float, default=0.05, help="seconds between the untimed edits"
    )
    args = parser.parse_args()
    edits = tuple(sorted(int(n) for n in args.edits.split(",")))
    sizes = args.cases or [100]
    books: list[tuple[str, int | None]] = [] if args.no_seed else [("seed", None)]
    books += [(f"{n} cases", n) for n in sizes]
    print(f"{'book':<10} {'start':>7} {'p50':>7} {'p95':>7} {'idle':>7}  after edits")
    for name, n in books:
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder)
            copy_project(project)
            if n is not None:
                synthesize(project, n)
            if args.pages:
                subprocess.run(
                    [sys.executable, "-m", "publisher.cli", "-C", str(project), "build"]
                    + ["--format", "pdf", "-q"],
                    check=True,
                )
            result = measure(project, args.saves, args.pages, edits, args.edit_gap)
        after = ", ".join(f"{k}: {mb} MB" for k, mb in result["after_edits_mb"].items())
        print(
            f"{name:<10} {result['start_s']:>6.2f}s {result['p50_ms']:>5}ms "
            f"{result['p95_ms']:>5}ms {result['idle_mb']:>5}MB  {after}"
            + (
                f"  printed pages after a save: {result['pages_s']} s "
                f"({result['pages_from_proof']} of {args.pages} the case's proof); "
                f"the first save after the start: {result['first_pages']}"
                if args.pages
                else ""
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
