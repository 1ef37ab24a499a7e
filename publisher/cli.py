"""The `publisher` command: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from . import __version__
from .support.errors import PublisherError
from .support.fileio import environment_problem


def _debug() -> bool:
    return os.environ.get("PUBLISHER_DEBUG", "") not in ("", "0")


def _shown(exc: OSError) -> str:
    """The path an OSError names, relative to the working folder when it is inside it."""
    if exc.filename is None:
        return ""
    path = Path(os.fsdecode(exc.filename))
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


class _Group(click.Group):
    """Turns a PublisherError into `file:line: error: message` and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PublisherError as exc:
            for d in exc.diagnostics:
                click.echo(str(d), err=True)
            click.echo(str(exc) if exc.path else f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (
            click.exceptions.Exit,
            click.ClickException,
            click.Abort,
            SystemExit,
            KeyboardInterrupt,
        ):
            raise
        except ModuleNotFoundError as exc:  # an installation older than the code
            if _debug() or (exc.name or "").startswith("publisher"):
                raise
            click.echo(
                f"error: the Python package {exc.name!r} that publisher needs is not "
                "installed (the code was updated since the last set-up?): run ./run setup, "
                "or pip install -e . in the project's environment",
                err=True,
            )
            sys.exit(2)
        except OSError as exc:  # a full disk, a read-only folder: the environment's fault
            problem = environment_problem(exc, _shown(exc))
            if problem is None or _debug():
                raise
            click.echo(str(problem), err=True)
            sys.exit(problem.exit_code)
        except Exception as exc:  # a bug, not the user's fault: one line, no traceback
            if _debug():
                raise
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in publisher, not in your content. Your previous "
                "outputs are untouched. For the traceback, run it again as "
                "publisher --debug … (or with PUBLISHER_DEBUG=1).",
                err=True,
            )
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="publisher")
@click.option(
    "-C",
    "--project",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Project folder (default: here or above).",
)
@click.option(
    "--debug",
    is_flag=True,
    help="Show the traceback of an internal error (also PUBLISHER_DEBUG=1).",
)
@click.pass_context
def main(ctx: click.Context, root: Path, debug: bool) -> None:
    """Typeset collected Chinese articles into a case-study compendium (PDF and DOCX)."""
    if debug:
        os.environ["PUBLISHER_DEBUG"] = "1"
    ctx.obj = root


def _project(ctx: click.Context):
    from .pipeline.project import find_project

    return find_project(ctx.obj)


@main.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="Print the cases; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite case files that already exist.")
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], as_json: bool, force: bool) -> None:
    """Import raw collected articles: one editable case file per case in content/cases/."""
    from .pipeline.importing import import_files

    # --json needs no project; a project's import is api.import_files (the workbench's too)
    import_files(ctx.obj, files, as_json=as_json, force=force, echo=click.echo)


@main.command("model")
@click.option("--json", "as_json", is_flag=True, default=True, help="Print as JSON (default).")
@click.pass_context
def model_command(ctx: click.Context, as_json: bool) -> None:
    """Print the compendium's content model as JSON."""
    from . import api
    from .writers.json import compendium_to_dict, dumps

    loaded = api.load(_project(ctx))
    for d in loaded.diagnostics:
        click.echo(str(d), err=True)
    click.echo(dumps(compendium_to_dict(loaded.compendium)), nl=False)


@main.command("lint")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def lint_command(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check case files (default: all of content/cases/) or raw articles for problems."""
    from . import api
    from .pipeline.lint import lint_files

    if files:
        project = None
        with contextlib.suppress(PublisherError):
            project = _project(ctx)
        diagnostics = lint_files(files, project.display if project else str)
    else:
        diagnostics = api.lint(_project(ctx))
    for d in diagnostics:
        click.echo(str(d))
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    click.echo(f"{errors} errors, {warnings} warnings", err=True)
    sys.exit(1 if errors else 0)


@main.command("build")
@click.option(
    "--format",
    "formats",
    default="pdf,docx",
    show_default=True,
    help="Comma-separated outputs: pdf, docx, json, html (a site in build/html/), epub.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: build/).",
)
@click.option("--force", is_flag=True, help="Build even if nothing changed.")
@click.option(
    "--print",
    "print_shop",
    is_flag=True,
    help="Also the print shop's PDF (bleed, crop marks, PDF/X-4) and the cover.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Writers run at once (default: one per core; 1 runs them in turn).",
)
@click.option(
    "--no-wait",
    is_flag=True,
    help="When another build of the project is running, say so and stop (exit 2).",
)
@click.pass_context
def build_command(
    ctx: click.Context,
    formats: str,
    out_dir: Path | None,
    force: bool,
    print_shop: bool,
    quiet: bool,
    verbose: bool,
    jobs: int | None,
    no_wait: bool,
) -> None:
    """Build the compendium (PDF and DOCX) into build/, with build/report.md."""
    from . import api
    from .pipeline.build import FORMATS
    from .support.progress import Progress

    wanted = tuple(dict.fromkeys(f.strip() for f in formats.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise click.UsageError(
            f"unknown format {unknown[0] if unknown else formats!r}: "
            f"choose from {', '.join(FORMATS)}"
        )
    progress = Progress(quiet=quiet, verbose=verbose)
    result = api.build(
        _project(ctx),
        wanted,
        out_dir=out_dir,
        progress=progress,
        force=force,
        jobs=jobs,
        wait=not no_wait,
        print_shop=print_shop,
    )
    if not quiet:
        for path in result.outputs:
            click.echo(f"{'up to date' if result.up_to_date else 'wrote'}: {path}")
        if result.report is not None:
            click.echo(f"report: {path.parent / 'report.md'}")


@main.command("absorb")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the changes as diffs; write nothing.")
@click.pass_context
def absorb_command(ctx: click.Context, file: Path, dry_run: bool) -> None:
    """Bring edits made in the DOCX (Word, WPS, LibreOffice) back into the case files."""
    import difflib

    from . import api

    result = api.absorb(_project(ctx), file, dry_run=dry_run)
    for d in result.warnings:
        click.echo(str(d), err=True)
    for name, (old, new) in result.texts.items():
        if dry_run:
            click.echo(
                "".join(
                    difflib.unified_diff(
                        old.splitlines(keepends=True),
                        new.splitlines(keepends=True),
                        fromfile=f"a/{name}",
                        tofile=f"b/{name}",
                    )
                ),
                nl=False,
            )
        else:
            click.echo(f"updated {name}:")
            for change in result.changes[name]:
                click.echo(f"  {change}")
    for picture in result.pictures:
        click.echo(f"{'would save' if dry_run else 'saved'} {picture}")
    if not result.texts and result.warnings:
        click.echo("no case file changes (see the warnings above)")
    elif not result.texts:
        click.echo("nothing to absorb: the case files already say what the DOCX says")
    elif dry_run:
        click.echo(
            f"dry run: {len(result.texts)} case file(s) would change; nothing written", err=True
        )
    else:
        click.echo("next: check the changes (git diff content/), build, and commit")


@main.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any but loopback needs the access token printed.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the workbench in a browser.")
@click.option(
    "--no-live-pages",
    is_flag=True,
    help="Do not rebuild the PDF after saves (printed pages follow the next build).",
)
@click.pass_context
def serve_command(
    ctx: click.Context, port: int, host: str, open_browser: bool, no_live_pages: bool
) -> None:
    """The editors' workbench in the browser: the book, live previews, edit, import."""
    from .workbench.server import serve

    serve(
        _project(ctx),
        host=host,
        port=port,
        open_browser=open_browser,
        live_pages=not no_live_pages,
        echo=click.echo,
    )


@main.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="案例汇编", help="The compendium's title.")
@click.option(
    "--theme",
    type=click.Choice(["book", "gongwen", "book-16k"]),
    default="book",
    help="The look: book (A4), gongwen (公文, GB/T 9704), book-16k (16开 for print).",
)
def init_command(folder: Path, title: str, theme: str) -> None:
    """Start a new, empty compendium project in FOLDER."""
    from .pipeline.scaffold import init_project

    for path in init_project(folder, title, theme):
        click.echo(f"created {path}")
    click.echo(
        f"next: put articles in {folder / 'content' / 'sources'}, then run "
        f"'publisher -C {folder} build'"
    )


@main.command("docx-refresh")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def docx_refresh_command(file: Path) -> None:
    """Update the TOC, page numbers and figure numbers of an edited DOCX, in the file."""
    from .writers.docx.refresh import refresh_docx

    backup = refresh_docx(file)
    click.echo(f"refreshed: {file} (the file as it was: {backup})")


@main.command("doctor")
@click.pass_context
def doctor_command(ctx: click.Context) -> None:
    """Check Python packages, Pango, HarfBuzz, fonts and their coverage, LibreOffice."""
    from .pipeline.doctor import run_checks

    try:
        project = _project(ctx)
    except PublisherError:
        project = None
    checks = run_checks(project)
    marks = {"ok": "ok", "warning": "warning", "missing": "MISSING"}
    for c in checks:
        click.echo(f"{marks[c.status]:>8}  {c.name:<16} {c.detail}")
        if c.status != "ok" and c.fix:
            click.echo(f"{'':>8}  {'':<16} fix: {c.fix}")
    sys.exit(2 if any(c.status == "missing" for c in checks) else 0)


if __name__ == "__main__":
    main()
