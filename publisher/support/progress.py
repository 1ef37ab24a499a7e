"""Stage-by-stage progress: a live line per stage on a terminal, plain lines in CI logs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


class Progress:
    """Times named stages; `quiet` prints nothing, `verbose` also prints details."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        tty: bool | None = None,
        echo: Callable[..., None] = click.echo,
    ) -> None:
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

    def counter(self, what: str, unit: str, total: int | None = None) -> Counter:
        """A callable that shows `what: unit n of about total, about s left`."""
        return Counter(self, what, unit, total)


class Counter:
    """A count towards an expected total with the time left: a live line on a terminal,
    a plain line at every tenth of the way in CI logs. Callable with the count so far."""

    def __init__(self, progress: Progress, what: str, unit: str, total: int | None) -> None:
        self.progress, self.what, self.unit, self.total = progress, what, unit, total
        self.start = time.perf_counter()
        self.shown = 0  # the last count printed as a plain line
        self.quiet_seconds = 5.0

    def line(self, done: int) -> str:
        text = f"{self.what}: {self.unit} {done}"
        if self.total:
            text += f" of about {self.total}"
            elapsed = time.perf_counter() - self.start
            if 0 < done < self.total and elapsed > 1:
                left = elapsed / done * (self.total - done)
                text += f", about {left:.0f} s left"
        return text

    def __call__(self, done: int) -> None:
        p = self.progress
        if p.quiet:
            return
        if p.tty:
            p.echo(
                "\r" + click.style(f"… {self.line(done)}", dim=True) + "\x1b[K", nl=False, err=True
            )
        elif time.perf_counter() - self.start < self.quiet_seconds:
            return  # a short build needs no progress lines in the log
        elif self._due(done):
            self.shown = done
            p.echo(self.line(done), err=True)

    def _due(self, done: int) -> bool:
        """A log line every tenth of the total; with no estimate, every 100."""
        if self.total:
            return done * 10 // self.total > self.shown * 10 // self.total
        return done >= self.shown + 100
