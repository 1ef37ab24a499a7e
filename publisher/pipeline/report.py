"""The build report, build/report.md and build/report.json: what an editor checks after a build."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..imaging.files import image_file
from ..support.errors import Diagnostic
from ..support.fileio import atomic_write
from .project import Loaded

if TYPE_CHECKING:
    from ..imaging import ResolvedImages
    from ..writers.docx import DocxOutput
    from ..writers.pdf import PdfOutput


@dataclass
class BuildFacts:
    """What the build tells the report beside the project and the files it wrote."""

    date: str
    date_source: str
    docx_toc_skipped: str = ""  # why the build did not run the LibreOffice TOC pass
    kept: list[dict[str, str]] = field(default_factory=list)  # editors' files kept aside
    images: ResolvedImages | None = None  # the pre-flight's (none for a JSON-only build)
    pdf: PdfOutput | None = None
    docx: DocxOutput | None = None
    print_shop: dict[str, Any] | None = None  # writers/pdf/print_shop's facts


@dataclass(frozen=True)
class Report:
    title: str
    version: str
    date: str
    date_source: str
    outputs: list[dict[str, Any]]
    pages: int | None
    cases: list[dict[str, Any]]
    missing_images: list[dict[str, str]]
    figures: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    kept: list[dict[str, str]]  # editors' files kept aside: <id>.md.new, build/edited/
    warnings: list[str]
    timings: dict[str, float]
    docx_toc_pages: bool | None
    docx_toc_skipped: str = ""  # why the build did not run the LibreOffice TOC pass
    pdf_pieces: dict[str, int] | None = None  # PDF pieces laid out / taken from the cache
    print_shop: dict[str, Any] | None = None  # the print PDF and cover (writers/pdf/print_shop)

    @classmethod
    def collect(
        cls,
        loaded: Loaded,
        files: dict[str, bytes],
        facts: BuildFacts,
        warnings: list[Diagnostic],
        timings: dict[str, float],
        version: str,
    ) -> Report:
        compendium = loaded.compendium
        pdf, docx = facts.pdf, facts.docx
        case_pages = pdf.case_pages if pdf is not None else {}
        body_start = pdf.body_start if pdf is not None else None  # the file page printed as 1
        cases, missing, corrections = [], [], []
        figure_list = _figures(loaded, facts.images)
        for case in compendium.cases:
            figures = compendium.numbered_figures(case).values()
            lacking = [nf for nf in figures if figure_list[(case.id, nf.label)]["missing"]]
            cases.append(
                {
                    "number": compendium.case_number(case),
                    "id": case.id,
                    "title": case.title,
                    "file": loaded.files.get(case.id, ""),
                    "pdf_page": case_pages.get(case.id),
                    "printed_page": (
                        case_pages[case.id] - body_start + 1
                        if body_start and case.id in case_pages
                        else None
                    ),
                    "figures": len(figures),
                    "figures_without_image": len(lacking),
                    "script": case.script,
                    "opencc": case.opencc,
                }
            )
            missing += [
                {
                    "figure": nf.label,
                    "case": case.id,
                    "caption": nf.figure.caption,
                    "image": nf.figure.image,
                }
                for nf in lacking
            ]
            corrections += [
                {
                    "case": case.id,
                    "file": loaded.files.get(case.id, ""),
                    "source_line": c.line,
                    "original": c.original,
                    "corrected": c.corrected,
                    "reason": c.reason,
                }
                for c in case.corrections
            ]
        return cls(
            title=compendium.title,
            version=version,
            date=facts.date,
            date_source=facts.date_source,
            outputs=[
                {"file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                for name, data in files.items()
            ],
            pages=pdf.pages if pdf is not None else None,
            cases=cases,
            missing_images=missing,
            figures=list(figure_list.values()),
            corrections=corrections,
            kept=list(facts.kept),
            warnings=[str(d) for d in warnings],
            timings={k: round(v, 3) for k, v in timings.items()},
            docx_toc_pages=(docx.toc_pages is not None) if docx is not None else None,
            docx_toc_skipped=facts.docx_toc_skipped,
            pdf_pieces=(
                {"laid_out": pdf.pieces_laid_out, "cached": pdf.pieces_cached}
                if pdf is not None
                else None
            ),
            print_shop=facts.print_shop,
        )

    def docx_toc_summary(self) -> str:
        """Where the DOCX's TOC page numbers come from, in a line."""
        if self.docx_toc_pages:
            return "page numbers filled in by LibreOffice"
        why = (
            f"not filled in: {self.docx_toc_skipped}"
            if self.docx_toc_skipped
            else "no page numbers (LibreOffice not available)"
        )
        return f"{why}; Word fills them when the file is opened, `publisher docx-refresh` now"

    def markdown(self) -> str:
        lines = [
            f"# Build report: {self.title}",
            "",
            f"- publisher {self.version}; date {self.date or '—'} (from {self.date_source})",
        ]
        if self.pages is not None:
            pieces = ""
            if self.pdf_pieces:
                laid, cached = self.pdf_pieces["laid_out"], self.pdf_pieces["cached"]
                pieces = f" ({laid} of {laid + cached} pieces laid out, the rest from the cache)"
            lines.append(f"- PDF: {self.pages} pages{pieces}")
        if self.docx_toc_pages is not None:
            lines.append("- DOCX table of contents: " + self.docx_toc_summary())
        for o in self.outputs:
            lines.append(f"- `{o['file']}`: {o['bytes']:,} bytes")
        lines += [
            "",
            "## Cases",
            "",
            "| # | case | title | page (printed / in the file) | figures | without image"
            " | original script |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in self.cases:
            page = f"{c['printed_page']} / {c['pdf_page']}" if c["pdf_page"] else "—"
            script = "Simplified"
            if c["script"] == "traditional":
                script = f"Traditional, OpenCC {c['opencc']}" if c["opencc"] else "Traditional"
            lines.append(
                f"| {c['number']} | `{c['file'] or c['id']}` | {_cell(c['title'])} | "
                f"{page} | {c['figures']} | {c['figures_without_image']} | {script} |"
            )
        lines += ["", f"## Figures ({len(self.figures)})", ""]
        if self.figures:
            lines += [
                "| figure | caption | image | from | printed (mm) | pixels |",
                "|---|---|---|---|---|---|",
            ]
            lines += [
                f"| {f['figure']} | {_cell(f['caption'])} | "
                + (
                    f"missing: put it at `{_cell(f['wanted'])}`"
                    if f["missing"]
                    else " + ".join(f"`{_cell(i)}`" for i in f["images"])
                )
                + f" | {f['origin'] or '—'} | {f['printed_mm'] or '—'} | "
                f"{', '.join(f['pixels']) or '—'} |"
                for f in self.figures
            ]
        else:
            lines.append("None.")
        lines += ["", f"## Figures still without an image ({len(self.missing_images)})", ""]
        lines += [
            f"- {m['figure']} ({m['case']}): {_cell(m['caption'])}"
            + (f" — `{m['image']}` not found" if m["image"] else "")
            for m in self.missing_images
        ] or ["None."]
        lines += ["", f"## Corrections of source text ({len(self.corrections)})", ""]
        if self.corrections:
            lines += [
                "| case | source line | original | corrected | reason |",
                "|---|---|---|---|---|",
            ]
            lines += [
                f"| `{c['case']}` | {c['source_line'] or '—'} | {_cell(c['original'])} | "
                f"{_cell(c['corrected'])} | {_cell(c['reason'])} |"
                for c in self.corrections
            ]
        else:
            lines.append("None.")
        if self.kept:
            lines += ["", f"## Editors' files to look at ({len(self.kept)})", ""]
            lines += [f"- `{k['file']}`: {k['what']}" for k in self.kept]
        if self.print_shop:
            lines += ["", *_print_shop_lines(self.print_shop)]
        lines += ["", f"## Warnings ({len(self.warnings)})", ""]
        lines += [f"- {_cell(w)}" for w in self.warnings] or ["None."]
        lines += ["", "## Timings", ""]
        lines += [f"- {stage}: {seconds:.2f} s" for stage, seconds in self.timings.items()]
        return "\n".join(lines) + "\n"


def _figures(
    loaded: Loaded, images: ResolvedImages | None
) -> dict[tuple[str, str], dict[str, Any]]:
    """Every figure, with where its photo came from (the case file or the naming rule)
    and how it is printed, or what file it still waits for."""
    compendium = loaded.compendium
    listed: dict[tuple[str, str], dict[str, Any]] = {}
    for case in compendium.cases:
        for index, nf in compendium.numbered_figures(case).items():
            placed = images.get(case.id, index) if images is not None else None
            if placed is None:  # no image stage ran (a JSON-only build): files as named
                found = [i for i in nf.figure.images if image_file(loaded.content_dir, i)]
                missing = len(found) < len(nf.figure.images)
                entry = {
                    "images": found,
                    "origin": "" if missing else "case file",
                    "wanted": " and ".join(i or "()" for i in nf.figure.images),
                    "printed_mm": "",
                    "pixels": [],
                }
            else:
                missing = placed.missing
                entry = {
                    "images": [i.source for i in placed.images],
                    "origin": placed.origin,
                    "wanted": placed.wanted,
                    "printed_mm": ""
                    if missing
                    else f"{placed.width_mm:g}×{placed.images[0].height_mm:g}",
                    "pixels": [f"{i.pixels[0]}×{i.pixels[1]} {i.format}" for i in placed.images],
                }
            listed[(case.id, nf.label)] = {
                "figure": nf.label,
                "case": case.id,
                "caption": nf.figure.caption,
                "missing": missing,
                **entry,
            }
    return listed


def _print_shop_lines(p: dict[str, Any]) -> list[str]:
    """What a print shop's pre-flight looks at, and what to send it."""
    from ..writers.pdf.print_ready import MIN_PRINT_DPI

    block, cover = p["files"]
    trim = " × ".join(f"{v:g}" for v in p["trim_mm"])
    sheet = " × ".join(f"{v:g}" for v in p["cover_mm"])
    lines = [
        "## For the print shop",
        "",
        f"- `{block}`: the book block, {p['pages']} pages, trim {trim} mm, "
        f"{p['bleed_mm']:g} mm bleed, crop marks, PDF/X-4 (output intent {p['output_intent']})",
        f"- `{cover}`: the cover, {sheet} mm at trim (back, spine, front), spine "
        f"{p['spine_mm']:g} mm ({p['pages']} pages at {p['paper_thickness_mm']:g} mm a leaf)",
        f"- fonts: {'all embedded' if p['fonts_embedded'] else 'NOT all embedded (see warnings)'}",
        "",
        f"Photos at their printed size ({MIN_PRINT_DPI} dpi or more for print):",
        "",
    ]
    if not p["photos"]:
        return [*lines, "None."]
    lines += ["| figure | file | dpi |", "|---|---|---|"]
    lines += [
        f"| {ph['figure']} | `{_cell(ph['file'])}` | {ph['dpi']}"
        + (" (low)" if ph["dpi"] < MIN_PRINT_DPI else "")
        + " |"
        for ph in p["photos"]
    ]
    return lines


def _cell(text: str) -> str:
    """Article text in a Markdown table cell: literal, never markup."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("`", "\\`")
    )


def write_reports(out: Path, report: Report) -> None:
    atomic_write(
        out / "report.json", json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n"
    )
    atomic_write(out / "report.md", report.markdown())
