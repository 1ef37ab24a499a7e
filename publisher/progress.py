"""Stage-by-stage progress: a live line per stage on a terminal, plain lines in CI logs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


class Progress:
    """Times named stages; `quiet` prints nothing, `verbose` also prints details."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False,
                 tty: bool | None = None, echo: Callable[..., None] = click.echo) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.echo = echo
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.tty and not self.quiet:
            self.echo(click.style(f"… {name}", dim=True), nl=False, err=True)
        start = time.perf_counter()
        ok = False
        try:
            yield
            ok = True
        finally:
            seconds = time.perf_counter() - start
            self.timings[name] = self.timings.get(name, 0.0) + seconds
            if not self.quiet:
                if self.tty:
                    mark = click.style("✓", fg="green") if ok else click.style("✗", fg="red")
                    self.echo(f"\r{mark} {name:<10} {seconds:6.2f} s", err=True)
                else:
                    self.echo(f"{name}: {seconds:.2f} s{'' if ok else ' (failed)'}", err=True)

    def info(self, message: str) -> None:
        if not self.quiet:
            self.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self.echo(message, err=True)
