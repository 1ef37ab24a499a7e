"""The image stage: every figure's photos found, checked, sized and processed once, before
typesetting, into a content-addressed cache that both writers embed from.

A processed file is named by the hash of the source bytes and of everything that shapes
the output (its pixel size, dpi, JPEG quality, this stage's version, Pillow's version), so
a rebuild finds it and does nothing, and a changed photo or theme makes a new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import PIL

from ..look.theme import Theme
from ..model import Compendium, Figure
from ..support.errors import ContentError
from ..support.fileio import FileRefused, atomic_write, contained
from . import naming
from .decode import ImageProblem, open_image, read_source, strict_decoding
from .files import image_file
from .layout import pair_gap_mm, printed_sizes, target_pixels
from .process import render, upright_size

STAGE_VERSION = "1"  # bump when the processing changes its output
CACHE_SUFFIXES = (".jpg", ".png")
INDEX = "index.json"


@dataclass(frozen=True, slots=True)
class PlacedImage:
    """One processed photo and where it goes: both writers embed `path`, at this size."""

    source: str  # the original, relative to content/
    path: Path  # the processed JPEG or PNG in the cache
    format: str  # "JPEG" or "PNG"
    pixels: tuple[int, int]
    width_mm: float
    height_mm: float


@dataclass(frozen=True, slots=True)
class FigureImages:
    """A figure's photos as placed, or why it has none."""

    case_id: str
    label: str  # 图 3-2
    images: tuple[PlacedImage, ...]  # left to right; empty when the figure lacks a photo
    origin: str  # "case file", "naming rule", or "" while missing
    wanted: str  # the file(s) the case file names or the naming rule expects
    gap_mm: float = 0.0

    @property
    def missing(self) -> bool:
        return not self.images

    @property
    def width_mm(self) -> float:
        """Printed width of the photos together: the caption is set no wider."""
        return round(
            sum(i.width_mm for i in self.images) + self.gap_mm * max(0, len(self.images) - 1), 2
        )


@dataclass(frozen=True)
class ResolvedImages:
    """The stage's result, handed to the writers in the pre-flight (`writers/preflight.py`)."""

    figures: dict[tuple[str, int], FigureImages]  # (case id, block index) ->
    cache_dir: Path
    warnings: tuple[str, ...] = ()
    processed: int = 0  # made this time
    reused: int = 0  # found in the cache
    seconds: float = 0.0

    def get(self, case_id: str, index: int) -> FigureImages | None:
        return self.figures.get((case_id, index))


@dataclass
class _Job:
    source: str
    path: Path
    sha256: str
    pixels: tuple[int, int]
    where: tuple[str, int, str]  # case file, line, figure label: for messages
    size: int = 0
    mtime_ns: int = 0


# C901 allowed here: one loop over every figure with the reasons a photo cannot be printed, each a
# one-line error.
def prepare_images(  # noqa: C901
    compendium: Compendium,
    theme: Theme,
    content_dir: Path,
    cache_dir: Path,
    *,
    files: dict[str, str] | None = None,
    missing_images: str = "placeholder",
    prune: bool = False,
) -> ResolvedImages:
    """Find, check and process every figure's photos; raise ContentError (image, case
    file and line) for the first one that cannot be printed."""
    start = time.perf_counter()
    files = files or {}
    content = content_dir.resolve()
    warnings: list[str] = []
    found: dict[tuple[str, int], tuple[str, tuple[str, ...], str]] = {}
    for case in compendium.cases:
        where_file = files.get(case.id, case.id)
        for index, nf in compendium.numbered_figures(case).items():
            fig = nf.figure
            for image in fig.images:
                if image and not (content / image).resolve().is_relative_to(content):
                    raise ContentError(
                        f"{nf.label}: image {image!r} is outside content/",
                        path=where_file,
                        line=fig.line,
                    )
            origin, sources, wanted = _locate(fig, content, case.id, nf.number, warnings)
            if not all(sources):
                if missing_images == "error":
                    raise ContentError(
                        f'{nf.label}: no image ({wanted} not found; missing_images = "error")',
                        path=where_file,
                        line=fig.line,
                    )
                sources = ()
            found[(case.id, index)] = (origin, sources, wanted)

    jobs: dict[tuple[str, int], list[_Job]] = {}
    known = _read_index(cache_dir)
    for case in compendium.cases:
        for index, nf in compendium.numbered_figures(case).items():
            _, sources, _ = found[(case.id, index)]
            where = (files.get(case.id, case.id), nf.figure.line, nf.label)
            jobs[(case.id, index)] = [_inspect(content, s, where, known) for s in sources]

    cache_dir.mkdir(parents=True, exist_ok=True)
    _write_index(cache_dir, jobs)
    todo: dict[Path, tuple[_Job, tuple[int, int]]] = {}
    placed: dict[tuple[str, int], list[tuple[_Job, tuple[float, float], Path]]] = {}
    for key, figure_jobs in jobs.items():
        if not figure_jobs:
            continue
        sizes = printed_sizes([j.pixels for j in figure_jobs], theme)
        placed[key] = []
        for job, (w_mm, h_mm) in zip(figure_jobs, sizes, strict=True):
            target = target_pixels(job.pixels, w_mm, theme)
            stem = _cache_stem(job.sha256, target, theme)
            out = _cached(cache_dir, stem)
            if out is None:
                todo.setdefault(cache_dir / stem, (job, target))
            placed[key].append((job, (w_mm, h_mm), out or cache_dir / stem))

    made = _process(todo, theme)
    figures: dict[tuple[str, int], FigureImages] = {}
    used: set[str] = set()
    for case in compendium.cases:
        for index, nf in compendium.numbered_figures(case).items():
            origin, _, wanted = found[(case.id, index)]
            images = []
            for job, (w_mm, h_mm), out in placed.get((case.id, index), ()):
                out = made.get(out, out)
                used.add(out.name)
                images.append(
                    PlacedImage(
                        job.source,
                        out,
                        "PNG" if out.suffix == ".png" else "JPEG",
                        _pixels_of(out),
                        w_mm,
                        h_mm,
                    )
                )
            figures[(case.id, index)] = FigureImages(
                case.id,
                nf.label,
                tuple(images),
                origin if images else "",
                wanted,
                pair_gap_mm(theme) if nf.figure.pair else 0.0,
            )
    if prune:
        for stale in cache_dir.iterdir():
            if stale.is_file() and stale.name not in used and stale.name != INDEX:
                stale.unlink(missing_ok=True)
    return ResolvedImages(
        figures,
        cache_dir,
        tuple(warnings),
        processed=len(made),
        reused=len(used) - len(made),
        seconds=time.perf_counter() - start,
    )


def _locate(
    fig: Figure, content: Path, case_id: str, number: int, warnings: list[str]
) -> tuple[str, tuple[str, ...], str]:
    """Where the figure's photos are: (origin, sources relative to content/ with "" for a
    missing one, what was looked for)."""
    if any(fig.images):
        sources = tuple(
            image if image and image_file(content, image) else "" for image in fig.images
        )
        return "case file", sources, " and ".join(i or "()" for i in fig.images)
    sources, notes = naming.find_by_name(content, case_id, number, fig.pair)
    warnings.extend(notes)
    return "naming rule", sources, naming.rule_text(case_id, number, fig.pair)


def _inspect(
    content: Path, source: str, where: tuple[str, int, str], known: dict[str, dict]
) -> _Job:
    """Hash and header of one source photo, checked before anything is decoded; taken
    from the index when the file's size and modification time are those recorded."""
    path = content / source
    try:
        stat = contained(path, source, (content,)).stat()
    except FileRefused as refused:
        raise _error(where, source, ImageProblem(refused.message)) from None
    seen = known.get(source)
    if (
        isinstance(seen, dict)
        and seen.get("size") == stat.st_size
        and seen.get("mtime_ns") == stat.st_mtime_ns
        and isinstance(seen.get("sha256"), str)
        and isinstance(seen.get("pixels"), list)
        and len(seen["pixels"]) == 2
    ):
        return _Job(
            source,
            path,
            seen["sha256"],
            tuple(seen["pixels"]),
            where,
            stat.st_size,
            stat.st_mtime_ns,
        )
    try:
        data = read_source(path)  # contained: checked above
        with open_image(data) as image:
            pixels = upright_size(image)
    except ImageProblem as problem:
        raise _error(where, source, problem) from None
    return _Job(
        source,
        path,
        hashlib.sha256(data).hexdigest(),
        pixels,
        where,
        stat.st_size,
        stat.st_mtime_ns,
    )


def _read_index(cache_dir: Path) -> dict[str, dict]:
    try:
        index = json.loads((cache_dir / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(index, dict) or index.get("version") != STAGE_VERSION:
        return {}
    files = index.get("files")
    return files if isinstance(files, dict) else {}


def _write_index(cache_dir: Path, jobs: dict[tuple[str, int], list[_Job]]) -> None:
    """Source path -> size, mtime, hash and upright pixels, so an unchanged photo is not
    read again (as git's index does); a changed size or time means a new hash."""
    files = {
        job.source: {
            "size": job.size,
            "mtime_ns": job.mtime_ns,
            "sha256": job.sha256,
            "pixels": list(job.pixels),
        }
        for figure_jobs in jobs.values()
        for job in figure_jobs
    }
    atomic_write(
        cache_dir / INDEX,
        json.dumps({"version": STAGE_VERSION, "files": files}, sort_keys=True, indent=0) + "\n",
    )


def _process(todo: dict[Path, tuple[_Job, tuple[int, int]]], theme: Theme) -> dict[Path, Path]:
    """Render the photos not in the cache, two at a time (Pillow releases the GIL while
    it decodes, resamples and encodes). Returns stem path -> written file."""
    if not todo:
        return {}
    workers = max(1, min(len(todo), os.cpu_count() or 1, 4))
    with strict_decoding(), ThreadPoolExecutor(max_workers=workers) as pool:
        results = {
            stem: pool.submit(_render_one, job, target, theme)
            for stem, (job, target) in todo.items()
        }
        made: dict[Path, Path] = {}
        for stem, future in results.items():
            rendered = future.result()  # raises the first ContentError, in order
            out = stem.with_suffix(".png" if rendered.format == "PNG" else ".jpg")
            atomic_write(out, rendered.data)
            made[stem] = out
    return made


def _render_one(job: _Job, target: tuple[int, int], theme: Theme):
    try:
        with open_image(read_source(job.path)) as image:  # contained: checked by _inspect
            return render(
                image, target, dpi=theme.images.max_dpi, quality=theme.images.jpeg_quality
            )
    except ImageProblem as problem:
        raise _error(job.where, job.source, problem) from None
    except MemoryError:
        raise _error(
            job.where, job.source, ImageProblem("is too large to process in memory")
        ) from None


def _error(where: tuple[str, int, str], source: str, problem: ImageProblem) -> ContentError:
    path, line, label = where
    return ContentError(f"{label}: image {source} {problem}", path=path, line=line)


def _cache_stem(sha256: str, target: tuple[int, int], theme: Theme) -> str:
    settings = (
        f"{STAGE_VERSION}|{PIL.__version__}|{sha256}|{target[0]}x{target[1]}|"
        f"{theme.images.max_dpi}|{theme.images.jpeg_quality}"
    )
    return hashlib.sha256(settings.encode()).hexdigest()[:40]


def _cached(cache_dir: Path, stem: str) -> Path | None:
    """The processed file, if it is there and whole (a file cut short by a crash or a full
    disk is made again, never embedded)."""
    for suffix in CACHE_SUFFIXES:
        path = cache_dir / (stem + suffix)
        if path.is_file():
            if _whole(path):
                return path
            path.unlink(missing_ok=True)
    return None


def _whole(path: Path) -> bool:
    """A JPEG ends with its end-of-image marker, a PNG with its IEND chunk."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 12))
        tail = f.read()
    return tail.endswith(b"\xff\xd9") if path.suffix == ".jpg" else tail[-8:-4] == b"IEND"


def _pixels_of(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size
