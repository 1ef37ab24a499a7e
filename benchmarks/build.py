"""Benchmark: `publisher build` end to end, wall time and peak memory, as an editor runs it.

    .venv/bin/python benchmarks/build.py                # seed compendium: cold, then unchanged
    .venv/bin/python benchmarks/build.py --cases 100    # also a synthetic compendium of 100 cases
    .venv/bin/python benchmarks/build.py --no-seed --cases 300
    .venv/bin/python benchmarks/build.py --no-seed --no-jobs --cases 100 --cases 1000

For each synthetic compendium: cold, unchanged, one case edited (PDF and DOCX, then PDF
only), and a cold PDF with one and with two jobs (the speed-up from 1 to 2 jobs).

Each build runs `publisher build` in a new process on a copy of the project, so the figures
include imports, font loading and the LibreOffice pass for the DOCX table of contents.
Memory: the largest resident size of any process of the build, and the largest sum over
all of them at one time (proportional set sizes: pages the forked workers share count
once), sampled every 0.1 s to 1 s over the whole process tree (workers, the DOCX process and
LibreOffice included). Synthetic cases are the seed cases
repeated under new ids, so they are real text with real figures.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLISHER = Path(sys.executable).parent / "publisher"

# Runs one command and reports its wall time and its memory: the largest resident size of
# any process of the build, and the largest sum over all of them (proportional set sizes,
# so pages the forked workers share count once). The process tree is sampled every 0.1-1 s:
# the layout workers, the DOCX process and LibreOffice are children of the forkserver,
# which the build does not wait for, so the kernel's ru_maxrss of children misses them.
MEASURE = r"""
import os, resource, subprocess, sys, time

def tree(root):
    children = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(pid))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found

def kib(pid, name, field):
    try:
        with open(f"/proc/{pid}/{name}") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

import tempfile
log = tempfile.TemporaryFile()  # not a pipe: a long build's output would fill it and stall
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=log, stderr=subprocess.STDOUT)
largest = total = 0
while process.poll() is None:
    pids = tree(process.pid)
    largest = max([largest] + [kib(p, "status", "VmHWM:") for p in pids])
    total = max(total, sum(kib(p, "smaps_rollup", "Pss:") for p in pids))
    try:  # returns when the build ends: no sleep in its time; sampled less often as it
        # goes on (memory changes slowly in a long build, and sampling costs the build CPU)
        process.wait(timeout=min(1.0, 0.1 + (time.perf_counter() - start) / 20))
    except subprocess.TimeoutExpired:
        pass
wall = time.perf_counter() - start
# The build's own process, also when it ended between two samples.
own = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
largest, total = max(largest, own), max(total, own)
print(process.returncode, round(wall, 3), largest, total)
log.seek(0)
sys.stderr.write(log.read()[-2000:].decode("utf-8", "replace") if process.returncode else "")
"""


def measure(*args: str, cwd: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(PUBLISHER), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    code, wall, largest, total = out.stdout.split()
    if code != "0":
        raise SystemExit(f"build failed:\n{out.stderr}")
    return {
        "seconds": float(wall),
        "peak_mb": round(int(largest) / 1024),
        "total_mb": round(int(total) / 1024),
    }


def copy_project(target: Path) -> None:
    for sub in ("content", "styles"):
        shutil.copytree(ROOT / sub, target / sub)
    (target / "build").mkdir()


def synthesize(project: Path, n: int) -> None:
    """n cases from the seed case files, each with its own id, title and opening words."""
    cases = project / "content" / "cases"
    seeds = [p.read_text(encoding="utf-8") for p in sorted(cases.glob("*.md"))]
    for path in cases.glob("*.md"):
        path.unlink()
    ids = []
    for i in range(n):
        seed = seeds[i % len(seeds)]
        case_id = f"case-{i + 1:04d}"
        text = re.sub(r"(?m)^id: .*$", f"id: {case_id}", seed, count=1)
        text = re.sub(r"(?m)^title: (.*)$", rf"title: \1（{i + 1}）", text, count=1)
        body = text.index("\n---\n", 4) + 5
        text = text[:body] + f"\n第{i + 1}例。" + text[body:]
        (cases / f"{case_id}.md").write_text(text, encoding="utf-8")
        ids.append(case_id)
    settings = project / "content" / "compendium.toml"
    head = settings.read_text(encoding="utf-8").split("[[parts]]")[0]
    parts = "".join(
        f'\n[[parts]]\ntitle = "第{p + 1}编"\ncases = {json.dumps(ids[p::10])}\n'
        for p in range(min(10, n))
    )
    settings.write_text(head + parts, encoding="utf-8")
    shutil.rmtree(project / "content" / "sources")  # nothing to import


def pages(project: Path) -> int | None:
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    return report["pages"]


def clean(project: Path) -> None:
    """Cold: no build folder (no outputs, no laid-out pieces, no processed photos)."""
    shutil.rmtree(project / "build", ignore_errors=True)
    (project / "build").mkdir()


def edit_one_case(project: Path, n: int) -> None:
    """An editor's change to the case in the middle of the book: one more sentence."""
    path = sorted((project / "content" / "cases").glob("*.md"))[n // 2]
    text = path.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5
    path.write_text(text[:body] + "\n编辑加了一句话。\n" + text[body:], encoding="utf-8")


def pieces(project: Path) -> str:
    report = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    found = report.get("pdf_pieces") or {}
    return f"{found['laid_out']} laid out, {found['cached']} cached" if found else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        type=int,
        action="append",
        default=[],
        help="also build a synthetic compendium of N cases (repeatable)",
    )
    parser.add_argument("--no-seed", action="store_true", help="only the synthetic compendiums")
    parser.add_argument(
        "--no-jobs", action="store_true", help="skip the cold -j 1 / -j 2 comparison"
    )
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed"
        copy_project(seed)
        if not args.no_seed:
            results["seed, cold (pdf+docx)"] = {**measure("build", cwd=seed), "pages": pages(seed)}
            results["seed, unchanged rebuild"] = measure("build", cwd=seed)
            clean(seed)
            results["seed, cold, pdf only"] = measure("build", "--format", "pdf", cwd=seed)
        for n in args.cases:
            big = Path(tmp) / f"synthetic-{n}"
            copy_project(big)
            synthesize(big, n)
            name = f"{n} cases"
            results[f"{name}, cold (pdf+docx)"] = {**measure("build", cwd=big), "pages": pages(big)}
            results[f"{name}, unchanged rebuild"] = measure("build", cwd=big)
            edit_one_case(big, n)
            results[f"{name}, one case edited (pdf+docx)"] = {
                **measure("build", cwd=big),
                "pieces": pieces(big),
            }
            edit_one_case(big, n)
            results[f"{name}, one case edited, pdf only"] = {
                **measure("build", "--format", "pdf", cwd=big),
                "pieces": pieces(big),
            }
            if args.no_jobs:
                continue
            for jobs in (1, 2):
                clean(big)
                results[f"{name}, cold, pdf only, -j {jobs}"] = measure(
                    "build", "--format", "pdf", "-j", str(jobs), cwd=big
                )
            one, two = (results[f"{name}, cold, pdf only, -j {j}"]["seconds"] for j in (1, 2))
            print(f"{name}: speed-up from 1 to 2 jobs (PDF only, cold): {one / two:.2f}×")
    sizes = sorted(set(args.cases))
    if len(sizes) > 1:  # time ~ cases**k: k = 1 is linear
        small, large = (
            results[f"{n} cases, cold (pdf+docx)"]["seconds"] for n in (sizes[0], sizes[-1])
        )
        k = math.log(large / small) / math.log(sizes[-1] / sizes[0])
        print(f"scaling exponent, cold PDF+DOCX, {sizes[0]} → {sizes[-1]} cases: {k:.2f}")
    width = max(map(len, results))
    for name, r in results.items():
        extra = f"  {r['pages']} pages" if r.get("pages") else ""
        extra += f"  ({r['pieces']})" if r.get("pieces") else ""
        memory = f"{r['peak_mb']:5d} MB largest process, {r['total_mb']:5d} MB in all"
        print(f"{name:<{width}}  {r['seconds']:7.2f} s  {memory}{extra}")


if __name__ == "__main__":
    main()
