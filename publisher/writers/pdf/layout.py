"""The pieces laid out in book order: from the cache, in this process, or in worker
processes forked from a server that has imported WeasyPrint once (`support.workers`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...look.fonts import FontStacks
from ...support.fileio import atomic_write
from .pieces import PieceJob, PieceResult, lay_out_piece, piece_key, warm_up

__all__ = ["Layout", "font_identity", "PIECES_PER_WORKER", "WORKER_PRELOAD"]


def font_identity(fonts: FontStacks) -> tuple[str, ...]:
    """The installed font files a piece may be set in, with their siblings (the bold faces
    sit beside the regular ones): path, size and time."""
    folders = sorted(
        {
            str(Path(face.file).parent)
            for role in ("body", "heading", "caption")
            for face in getattr(fonts, role)
        }
    )
    found = []
    for folder in folders:
        for path in sorted(Path(folder).iterdir()):
            try:
                stat = path.stat()
            except OSError:
                continue
            found.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return tuple(found)


# What the workers' server imports before it forks them (`support.workers`): the layout of
# a piece and WeasyPrint, so that every worker starts with both loaded.
WORKER_PRELOAD = ("publisher.writers.pdf.pieces", "weasyprint")

PIECES_PER_WORKER = 40  # then the worker process is replaced


class Layout:
    """Lays out pieces, in book order: from the cache, in this process (one job), or in
    worker processes forked from a server that has imported WeasyPrint once (even for one
    piece: the build's own process then never holds WeasyPrint's memory)."""

    def __init__(
        self, jobs: int, cache_dir: Path | None, fonts: tuple[str, ...], *, prune: bool = True
    ) -> None:
        self.jobs = max(1, jobs)
        self.prune = prune  # the cache keeps only this book's pieces (not for one piece)
        self.cache_dir = cache_dir
        self.fonts = fonts
        self.pool: Any = None
        self.load = 0  # pieces given to the current workers
        self.stats = {"laid_out": 0, "cached": 0}
        self.used: set[str] = set()
        self.glyphs: dict[str, tuple[dict[int, float], dict[int, str]]] = {}  # per face

    def __enter__(self) -> Layout:
        if self.jobs > 1:  # the workers start (importing WeasyPrint, loading the fonts)
            pool = self._pool()  # while this process renders the book's HTML
            for _ in range(self.jobs):
                pool.submit(warm_up)
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()
        if exc_type is None and self.prune and self.cache_dir and self.cache_dir.is_dir():
            for path in self.cache_dir.iterdir():  # pieces of a book that is no more
                if path.stem not in self.used and path.suffix in (".pdf", ".json"):
                    path.unlink(missing_ok=True)

    def _pool(self):
        if self.pool is None:
            from ...support import workers

            self.pool = workers.pool(self.jobs, preload=WORKER_PRELOAD)
        return self.pool

    def run(
        self,
        jobs: list[PieceJob],
        report: Callable[[int], None],
        take: Callable[[int, PieceResult], None],
    ) -> list[PieceResult]:
        """Lay out (or read from the cache) every piece; `take` gets each result in book
        order as soon as it is there."""
        keys = [piece_key(job, self.fonts) for job in jobs] if self.cache_dir else []
        self.used.update(keys)
        # Pieces not in the cache go to the workers first: they are laid out while this
        # process reads the cached ones. (A cached piece found damaged joins them later.)
        todo = [i for i in range(len(jobs)) if not keys or not self._in_cache(keys[i])]
        futures: dict[int, Any] = {}
        results = []
        for i, job in enumerate(jobs):
            if self.jobs > 1 and todo and not futures:
                self._submit(jobs, todo, futures)
            result = None if i in futures or i in todo or not keys else self._cached(keys[i])
            if result is None:
                if i not in futures and i not in todo and self.jobs > 1:  # damaged in the cache
                    futures[i] = self._pool().submit(lay_out_piece, job)
                    self.load += 1
                result = self._result(futures.pop(i)) if i in futures else lay_out_piece(job)
                self.stats["laid_out"] += 1
                if keys:
                    self._store(keys[i], result)
            else:
                self.stats["cached"] += 1
            for base, (widths, text) in result.fonts.items():  # folded into the book's
                union = self.glyphs.setdefault(base, ({}, {}))  # (not kept per piece:
                union[0].update(widths)  # type: ignore[arg-type]  # it adds up at 300 cases)
                union[1].update(text)  # type: ignore[arg-type]
            result.fonts = {}
            take(i, result)
            result.data = b""  # copied into the book
            results.append(result)
            report(result.pages)
        return results

    def _submit(self, jobs: list[PieceJob], todo: list[int], futures: dict[int, Any]) -> None:
        """The next pieces of `todo` to the workers, as many as they take before they are
        replaced by fresh ones: what WeasyPrint keeps between documents does not pile up,
        so memory stays flat however long the book. Called when every earlier result is
        in: the old workers are idle."""
        if self.pool is not None and self.load >= self.jobs * PIECES_PER_WORKER:
            self.pool.shutdown()
            self.pool, self.load = None, 0
        room = self.jobs * PIECES_PER_WORKER - self.load
        batch, todo[:] = todo[:room], todo[room:]
        futures.update({k: self._pool().submit(lay_out_piece, jobs[k]) for k in batch})
        self.load += len(batch)

    @staticmethod
    def _result(future: Any) -> PieceResult:
        from ...support import workers

        return workers.result(future, "a PDF layout worker process")

    def _in_cache(self, key: str) -> bool:
        assert self.cache_dir is not None
        return (self.cache_dir / f"{key}.pdf").is_file()

    def _cached(self, key: str) -> PieceResult | None:
        assert self.cache_dir is not None
        try:
            data = (self.cache_dir / f"{key}.pdf").read_bytes()
            facts = (self.cache_dir / f"{key}.json").read_text(encoding="utf-8")
            return PieceResult.from_facts(data, facts)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def _store(self, key: str, result: PieceResult) -> None:
        assert self.cache_dir is not None
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(self.cache_dir / f"{key}.json", result.facts())
        atomic_write(self.cache_dir / f"{key}.pdf", result.data)
