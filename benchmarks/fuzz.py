"""The long fuzz run: many broken inputs of every kind the project reads, each in a
worker process with a time limit, counting crashes and hangs.

    .venv/bin/python benchmarks/fuzz.py --inputs 100000 [--timeout 20] [--seed 1]

The inputs and the property are tests/fuzzing.py's (the CI tests run a bounded share of
them): each input must give a result or a one-line PublisherError. A crash is any other
exception, a message of several lines, an imported case file that does not read back,
or the worker dying (a segfault, the memory limit); a hang is an input still running
after `--timeout` seconds (the worker is killed and a new one started). Each crash or
hang is saved to `--out` (default build/fuzz/) as the input and a line saying what
happened, to become a regression test with its minimal input.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzing import KINDS, check, mutate, seeds  # noqa: E402

# How often each kind is drawn: the cheap ones more (a web page costs ~50 ms).
WEIGHTS = {"casefile": 5, "settings": 3, "txt": 4, "md": 3, "html": 1, "docx": 3}
MEMORY_LIMIT = 3 << 30  # a worker past 3 GB counts as a crash (issue 22: /dev/zero)


def _worker(conn) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    while True:
        job = conn.recv()
        if job is None:
            return
        kind, data = job
        try:
            conn.send(("ok", check(kind, data)))
        except BaseException as exc:  # noqa: BLE001 - every escape is what is counted
            conn.send(("crash", "".join(traceback.format_exception_only(exc)).strip()[-2000:]))


class Worker:
    def __init__(self) -> None:
        self.conn, child = mp.Pipe()
        self.process = mp.get_context("fork").Process(target=_worker, args=(child,), daemon=True)
        self.process.start()
        for kind, inputs in seeds().items():  # imports done before any input is timed
            self.run(kind, inputs[0], 300)

    def run(self, kind: str, data: bytes, timeout: float) -> tuple[str, str]:
        self.conn.send((kind, data))
        if not self.conn.poll(timeout):
            return "hang", f"no answer after {timeout:.0f} s"
        try:
            return self.conn.recv()
        except EOFError:
            self.process.join(5)
            return "crash", f"the worker died (exit code {self.process.exitcode})"

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds an input may take")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "fuzz")
    args = parser.parse_args()
    # stop early on SIGTERM too (a background job ignores Ctrl-C's SIGINT), with the summary
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    rng = random.Random(args.seed)
    pool = seeds()
    kinds = [k for k in KINDS for _ in range(WEIGHTS[k])]
    outcomes: Counter[tuple[str, str]] = Counter()
    slowest: dict[str, float] = {}
    found: list[str] = []
    retried = 0
    worker = Worker()
    start = time.perf_counter()
    try:
        for n in range(1, args.inputs + 1):
            kind = rng.choice(kinds)
            data = mutate(rng.choice(pool[kind]), rng, kind)
            began = time.perf_counter()
            outcome, detail = worker.run(kind, data, args.timeout)
            if outcome == "hang":  # a hang must happen again, in a fresh worker, to count
                worker.stop()
                worker = Worker()
                outcome, detail = worker.run(kind, data, args.timeout)
                retried += 1
            slowest[kind] = max(slowest.get(kind, 0.0), time.perf_counter() - began)
            if outcome == "ok":
                outcomes[(kind, detail)] += 1
            else:
                outcomes[(kind, outcome)] += 1
                args.out.mkdir(parents=True, exist_ok=True)
                name = f"{outcome}-{n:06d}.{kind}"
                (args.out / name).write_bytes(data)
                (args.out / f"{name}.txt").write_text(detail + "\n", encoding="utf-8")
                found.append(f"{name}: {detail.splitlines()[-1][:160]}")
                print(f"input {n} ({kind}): {outcome}: {detail.splitlines()[-1][:160]}", flush=True)
                worker.stop()
                worker = Worker()
            if n % 1000 == 0:
                print(f"{n:,} inputs, {time.perf_counter() - start:.0f} s", flush=True)
    except KeyboardInterrupt:  # Ctrl-C (or SIGINT): stop early, report what was tried
        print("stopped early", flush=True)
    finally:
        worker.stop()
    elapsed = time.perf_counter() - start
    total = sum(outcomes.values())
    crashes = sum(c for (_, o), c in outcomes.items() if o == "crash")
    hangs = sum(c for (_, o), c in outcomes.items() if o == "hang")
    print(
        f"\ninputs tried: {total:,} in {elapsed:.0f} s; crashes: {crashes}; hangs: {hangs}"
        f" (time limit {args.timeout:.0f} s an input, seed {args.seed}; {retried} slow"
        " inputs tried again in a fresh worker)"
    )
    for kind in KINDS:
        row = {o: outcomes[(kind, o)] for o in ("ok", "refused", "crash", "hang")}
        print(
            f"  {kind:9} read {row['ok']:>6,}  refused in one line {row['refused']:>6,}"
            f"  crashes {row['crash']}  hangs {row['hang']}  slowest {slowest.get(kind, 0):.2f} s"
        )
    for line in found:
        print("  " + line)


if __name__ == "__main__":
    main()
