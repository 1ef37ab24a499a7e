"""Benchmark: a compendium with 20 phone photos (4032×3024, about 5 MB each).

    .venv/bin/python benchmarks/photos.py [--photos 20]

The seed compendium with a photo for each of its figures (and six more figures added to a
case without any), dropped in by the naming rule, as an editor would. The photos are made
with Pillow: soft shapes under per-pixel noise, saved at JPEG quality 95, so they are as
large and as hard to compress as real phone photos; one in four is stored sideways with
an EXIF orientation flag, and each carries GPS data.

Each build is a new `publisher build` process (as in benchmarks/build.py): wall time, the
peak resident memory of any process it started, the sizes of the PDF and the DOCX, and
the image stage's own time from the build report, cold and with the cache.
Targets (issue 10): DOCX < 15 MB, PDF < 20 MB, image stage < 10 s cold, near 0 cached.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import copy_project, measure  # noqa: E402  (the shared measuring helpers)

SIZE = (4032, 3024)
EXTRA_CASE = "001_a8e2ffcc3b22423d"  # a seed case without figures: six are added


def phone_photo(seed: int) -> Image.Image:
    width, height = SIZE
    rng = random.Random(seed)
    small = Image.new("RGB", (width // 16, height // 16), tuple(rng.randrange(256) for _ in "rgb"))
    draw = ImageDraw.Draw(small)
    for _ in range(60):
        x, y, r = rng.randrange(width // 16), rng.randrange(height // 16), rng.randrange(5, 60)
        draw.ellipse(
            (x - r, y - r, x + r, y + r),
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    base = small.filter(ImageFilter.GaussianBlur(3)).resize(SIZE, Image.Resampling.BICUBIC)
    noise = Image.merge("RGB", [Image.effect_noise(SIZE, s) for s in (28, 24, 30)])
    return Image.blend(base, noise, 0.3)


def exif(orientation: int) -> Image.Exif:
    data = Image.Exif()
    data[0x0112] = orientation
    data[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    return data


def add_photos(project: Path, count: int) -> int:
    """Photos for the seed's figures by the naming rule, adding figures to reach `count`."""
    content = project / "content"
    extra = content / "cases" / f"{EXTRA_CASE}.md"
    figures = {
        p.stem: len(re.findall(r"(?m)^!\[", p.read_text(encoding="utf-8")))
        for p in sorted((content / "cases").glob("*.md"))
    }
    missing = max(0, count - sum(figures.values()))
    extra.write_text(
        extra.read_text(encoding="utf-8")
        + "".join(f"\n![补充照片{i + 1}。]() 某某 摄\n" for i in range(missing)),
        encoding="utf-8",
    )
    figures[EXTRA_CASE] += missing
    made, total_bytes = 0, 0
    for case_id, n in figures.items():
        for number in range(1, n + 1):
            if made == count:
                break
            path = content / "images" / case_id / f"{number}.jpg"
            path.parent.mkdir(parents=True, exist_ok=True)
            phone_photo(made).save(path, "JPEG", quality=95, exif=exif(6 if made % 4 == 3 else 1))
            total_bytes += path.stat().st_size
            made += 1
    return total_bytes


def report(project: Path) -> dict:
    data = json.loads((project / "build" / "report.json").read_text(encoding="utf-8"))
    sizes = {Path(o["file"]).suffix: o["bytes"] for o in data["outputs"]}
    placed = sum(1 for f in data["figures"] if not f["missing"])
    return {
        "pages": data["pages"],
        "pdf_mb": sizes.get(".pdf", 0) / 1e6,
        "docx_mb": sizes.get(".docx", 0) / 1e6,
        "images_s": data["timings"].get("images"),
        "figures": placed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "photos"
        copy_project(project)
        source_mb = add_photos(project, args.photos) / 1e6
        print(
            f"{args.photos} photos {SIZE[0]}×{SIZE[1]}, {source_mb:.1f} MB in all "
            f"({source_mb / args.photos:.1f} MB each)"
        )
        rows = {
            "cold (pdf+docx)": {**measure("build", cwd=project), **report(project)},
            "cached images, text rebuilt (--force)": {
                **measure("build", "--force", cwd=project),
                **report(project),
            },
            "unchanged (skipped)": measure("build", cwd=project),
        }
    width = max(map(len, rows))
    for name, r in rows.items():
        line = f"{name:<{width}}  {r['seconds']:6.2f} s  {r['peak_mb']:5d} MB"
        if "pdf_mb" in r:
            line += (
                f"  image stage {r['images_s']:.2f} s  PDF {r['pdf_mb']:.1f} MB  "
                f"DOCX {r['docx_mb']:.1f} MB  {r['pages']} pages  "
                f"{r['figures']} figures with photos"
            )
        print(line)


if __name__ == "__main__":
    main()
