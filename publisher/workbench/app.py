"""The workbench's web application (Starlette): pages rendered on the server, a few
fragments the page script fetches for live updates, and the POSTs that change files, each
a call into `publisher.api`. No rule of the book lives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import json
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import jinja2
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import api
from ..readers import SOURCE_SUFFIXES
from ..screen.render import Mark, render_case, render_css
from ..support.errors import Diagnostic, PublisherError
from . import printed
from .builds import Builds, output
from .live import Broadcaster, watch
from .order import STEPS, moved
from .security import CSRF_FIELD, Guard, check_csrf, new_secret
from .state import CaseStatus, Workbench
from .uploads import MAX_FILES, MAX_UPLOAD, save_uploads, too_large

HERE = Path(__file__).resolve().parent
WARM_UP_AFTER = 1.0  # seconds after the start: the first pages are served first


class App:
    """The routes over one project's workbench."""

    def __init__(
        self,
        bench: Workbench,
        *,
        token: str | None,
        loopback_only: bool,
        live_pages: bool = True,
    ) -> None:
        self.bench = bench
        self.project = bench.project
        self.events = Broadcaster()
        self.csrf = new_secret()
        self.token = token
        self.stop = asyncio.Event()
        self.builds = Builds(bench, self.events, live_pages=live_pages)
        self.uploads = tempfile.TemporaryDirectory(prefix="publisher-serve-")
        self.pending_absorb: dict[str, Path] = {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / "templates")),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        routes = [
            Route("/", self.book),
            Route("/book/fragment", self.book_fragment),
            Route("/case/{case_id}", self.case),
            Route("/case/{case_id}/fragment", self.case_fragment),
            Route("/case/{case_id}/pages", self.pages_fragment),
            Route("/pages/{key}/{index:int}.png", self.page_image),
            Route("/edit/{name}", self.edit, methods=["GET", "POST"]),
            Route("/import", self.import_page, methods=["GET", "POST"]),
            Route("/absorb", self.absorb_page, methods=["GET", "POST"]),
            Route("/absorb/apply", self.absorb_apply, methods=["POST"]),
            Route("/reorder", self.reorder, methods=["POST"]),
            Route("/move", self.move, methods=["POST"]),
            Route("/build", self.build, methods=["POST"]),
            Route("/download/{kind}", self.download),
            Route("/screen.css", self.screen_css),
            Route("/media/{name}", self.media),
            Route("/events", self.stream),
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        ]
        self.app = Starlette(
            routes=routes,
            exception_handlers={Exception: self.failed},
            middleware=[Middleware(Guard, token=token, loopback_only=loopback_only)],
            lifespan=self.lifespan,
        )

    # --- lifecycle ----------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, _app) -> AsyncIterator[None]:
        if self.bench.snapshot.version == 0:
            await asyncio.to_thread(self.bench.reload)
        watcher = asyncio.create_task(
            watch(self.bench, self.events, self.stop, self.builds.schedule_pages)
        )
        warming = asyncio.get_running_loop().call_later(WARM_UP_AFTER, self.builds.warm_up)
        try:
            yield
        finally:
            self.stop.set()
            warming.cancel()
            await self.builds.stop()
            for queue in list(self.events.queues):
                with contextlib.suppress(asyncio.QueueFull):
                    queue.put_nowait("")  # ends each open event stream
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(watcher, 2)
            self.uploads.cleanup()

    # --- rendering ----------------------------------------------------------------

    def page(self, template: str, request: Request, code: int = 200, **context) -> HTMLResponse:
        snap = self.bench.snapshot
        html = self.env.get_template(template).render(
            csrf=self.csrf,
            snap=snap,
            title=snap.loaded.compendium.title if snap.loaded else "案例汇编",
            path=request.url.path,
            **context,
        )
        return HTMLResponse(html, status_code=code)

    def marks(self, status: CaseStatus) -> list[Mark]:
        out = [Mark(d.line, d.severity, d.message, _where(d)) for d in status.findings]
        for d in status.guesses:
            out.append(Mark(_guess_line(status, d), "guess", d.message, _where(d)))
        return out

    def article(self, status: CaseStatus) -> str:
        snap = self.bench.snapshot
        assert snap.loaded is not None
        return render_case(
            snap.loaded,
            status.case.id,
            marks=self.marks(status),
            images=snap.images,
            image_url=lambda path: f"/media/{path.name}",
            styles_dir=self.project.styles,
        )

    def case_context(self, case_id: str) -> dict | None:
        snap = self.bench.snapshot
        status = snap.cases.get(case_id)
        if status is None or snap.loaded is None:
            return None
        return {
            "status": status,
            "article": Markup(self.article(status)),  # escaped by the renderer
            "number": snap.loaded.compendium.case_number(status.case),
        }

    # --- pages --------------------------------------------------------------------

    async def book(self, request: Request) -> Response:
        return self.page("book.html.j2", request, **self.book_context())

    async def book_fragment(self, request: Request) -> Response:
        return self.page("book_body.html.j2", request, **self.book_context())

    def book_context(self) -> dict:
        snap = self.bench.snapshot
        groups = api.book_order(snap.loaded) if snap.loaded else []
        outputs = {kind: output(self.project, kind) for kind in ("pdf", "docx", "report")}
        return {"groups": groups, "outputs": outputs, "build": self.builds.state}

    async def case(self, request: Request) -> Response:
        context = self.case_context(request.path_params["case_id"])
        if context is None:
            return self.not_found(request)
        return self.page("case.html.j2", request, **context)

    async def case_fragment(self, request: Request) -> Response:
        context = self.case_context(request.path_params["case_id"])
        if context is None:
            return PlainTextResponse("", status_code=404)
        return self.page("case_body.html.j2", request, **context)

    async def pages_fragment(self, request: Request) -> Response:
        snap = self.bench.snapshot
        status = snap.cases.get(request.path_params["case_id"])
        if status is None:
            return PlainTextResponse("", status_code=404)
        found = printed.printed_case(self.project, status.case.id, self.project.root / status.file)
        return self.page("pages.html.j2", request, printed=found, status=status)

    async def page_image(self, request: Request) -> Response:
        key, index = request.path_params["key"], request.path_params["index"]
        book = printed.pdf_by_key(self.project, key)
        if book is not None and 1 <= index <= book.pages:
            image = await asyncio.to_thread(printed.page_image, self.project, book, index)
            if image is not None:
                return FileResponse(image, media_type="image/png")
        return PlainTextResponse("没有这一页", status_code=404)

    def not_found(self, request: Request) -> Response:
        return self.page(
            "message.html.j2",
            request,
            code=404,
            heading="找不到",
            lines=["没有这个案例（可能已被删除或改名）。"],
        )

    async def media(self, request: Request) -> Response:
        """A processed photo of the image stage's cache, and only one the book uses."""
        snap = self.bench.snapshot
        name = request.path_params["name"]
        path = snap.image_files().get(name)
        if path is None or not path.is_file():
            return PlainTextResponse("没有这张图片", status_code=404)
        return FileResponse(path)

    async def screen_css(self, request: Request) -> Response:
        snap = self.bench.snapshot
        if snap.loaded is None:
            return Response("", media_type="text/css")
        try:
            css = render_css(snap.loaded, styles_dir=self.project.styles)
        except PublisherError as exc:
            css = f"/* {str(exc).replace('*/', '')} */"
        return Response(css, media_type="text/css", headers={"Cache-Control": "no-store"})

    # --- edit ---------------------------------------------------------------------

    async def edit(self, request: Request) -> Response:
        name = request.path_params["name"]
        try:
            path = api.case_file(self.project, name)
        except PublisherError as exc:
            return self.refuse(request, str(exc), 404)
        if not path.is_file():
            return self.not_found(request)
        if request.method == "GET":
            data = path.read_bytes()
            return self.edit_page(request, name, data.decode("utf-8", "replace"), api.digest(data))
        form = await request.form(max_part_size=MAX_UPLOAD)
        if not check_csrf(request, _field(form, CSRF_FIELD), self.csrf):
            return self.refuse(request, "请求缺少有效的 CSRF 令牌，未保存。", 403)
        text = _field(form, "text") or ""
        expected = _field(form, "expected") or ""
        try:
            check = await asyncio.to_thread(
                api.save_case_file,
                self.project,
                path,
                text,
                expected=expected,
                ids=self.bench.snapshot.loaded.files if self.bench.snapshot.loaded else None,
            )
        except api.SaveConflict as conflict:
            diff = _diff(
                conflict.on_disk,
                text.replace("\r\n", "\n"),
                f"{name}（磁盘上的）",
                f"{name}（您的）",
            )
            return self.edit_page(
                request,
                name,
                text,
                expected,
                code=409,
                error=str(conflict),
                conflict=diff,
                on_disk=conflict.on_disk,
            )
        except PublisherError as exc:
            return self.edit_page(request, name, text, expected, code=422, error=str(exc))
        data = path.read_bytes()
        if check.case is not None:
            # The saved file is shown at once, whatever the watcher's timing.
            case_id = await asyncio.to_thread(self._after_save, path)
            self.builds.schedule_pages((case_id,) if case_id else ())
        return self.edit_page(
            request,
            name,
            data.decode("utf-8", "replace"),
            api.digest(data),
            saved=True,
            findings=check.findings,
        )

    def _after_save(self, path: Path) -> str | None:
        """The saved case shown; its id, or None when the whole book was loaded again."""
        case_id = self.bench.case_changed(path)
        if case_id is None:
            self.bench.reload()
            self.events.send("book", version=self.bench.snapshot.version)
        else:
            self.events.send("case", case=case_id, version=self.bench.snapshot.version)
        return case_id

    def edit_page(
        self,
        request: Request,
        name: str,
        text: str,
        expected: str,
        *,
        code: int = 200,
        error: str = "",
        conflict: str = "",
        on_disk: str = "",
        saved: bool = False,
        findings: tuple[Diagnostic, ...] = (),
    ) -> Response:
        shown = self.project.display(self.project.cases / name)
        case_id = next(
            (s.case.id for s in self.bench.snapshot.cases.values() if s.file == shown), None
        )
        return self.page(
            "edit.html.j2",
            request,
            code=code,
            name=name,
            shown=shown,
            case_id=case_id,
            text=text,
            expected=expected,
            error=error,
            conflict=conflict,
            on_disk=on_disk,
            saved=saved,
            findings=findings,
        )

    # --- import and absorb --------------------------------------------------------

    async def import_page(self, request: Request) -> Response:
        if request.method == "GET":
            return self.page("import.html.j2", request, messages=[], error="", cases=[])
        if too_large(request, MAX_FILES):
            return self.refuse(request, "上传的文件太大，未导入。", 413)
        form = await request.form(max_files=MAX_FILES, max_part_size=MAX_UPLOAD)
        if not check_csrf(request, _field(form, CSRF_FIELD), self.csrf):
            return self.refuse(request, "请求缺少有效的 CSRF 令牌，未导入。", 403)
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not files:
            return self.page(
                "import.html.j2", request, code=400, messages=[], error="没有选择文件。", cases=[]
            )
        try:
            saved = await save_uploads(Path(self.uploads.name), files, SOURCE_SUFFIXES)
            outcome = await asyncio.to_thread(
                api.import_files, self.project, tuple(saved), force=False
            )
        except PublisherError as exc:
            lines = [str(d) for d in exc.diagnostics] + [str(exc)]
            return self.page(
                "import.html.j2", request, code=422, messages=lines, error=str(exc), cases=[]
            )
        await asyncio.to_thread(self.bench.reload)
        self.events.send("book", version=self.bench.snapshot.version)
        ids = [c.id for c in outcome.cases if c.id in self.bench.snapshot.cases]
        if len(ids) == 1:
            return RedirectResponse(f"/case/{ids[0]}", status_code=303)
        return self.page(
            "import.html.j2",
            request,
            messages=outcome.messages,
            error="",
            cases=[self.bench.snapshot.cases[i] for i in ids],
        )

    async def absorb_page(self, request: Request) -> Response:
        if request.method == "GET":
            return self.page("absorb.html.j2", request, result=None, error="", ticket="", diffs=[])
        if too_large(request, 1):
            return self.refuse(request, "上传的文件太大。", 413)
        form = await request.form(max_files=1, max_part_size=MAX_UPLOAD)
        if not check_csrf(request, _field(form, CSRF_FIELD), self.csrf):
            return self.refuse(request, "请求缺少有效的 CSRF 令牌。", 403)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return self.page(
                "absorb.html.j2",
                request,
                code=400,
                result=None,
                error="没有选择文件。",
                ticket="",
                diffs=[],
            )
        try:
            (path,) = await save_uploads(Path(self.uploads.name), [upload], (".docx",))
            result = await asyncio.to_thread(api.absorb, self.project, path, dry_run=True)
        except PublisherError as exc:
            return self._absorb_refused(request, exc)
        ticket = new_secret()
        self.pending_absorb[ticket] = path
        diffs = [
            (name, _diff(old, new, f"a/{name}", f"b/{name}"))
            for name, (old, new) in result.texts.items()
        ]
        return self.page(
            "absorb.html.j2", request, result=result, error="", ticket=ticket, diffs=diffs
        )

    def _absorb_refused(self, request: Request, exc: PublisherError) -> Response:
        """The absorb page with absorb's own one-line refusal, and nothing to apply."""
        return self.page(
            "absorb.html.j2", request, code=422, result=None, error=str(exc), ticket="", diffs=[]
        )

    async def absorb_apply(self, request: Request) -> Response:
        form = await request.form()
        if not check_csrf(request, _field(form, CSRF_FIELD), self.csrf):
            return self.refuse(request, "请求缺少有效的 CSRF 令牌。", 403)
        path = self.pending_absorb.pop(_field(form, "ticket") or "", None)
        if path is None:
            return self.refuse(request, "这份 DOCX 已经处理过或已过期：请重新拖入。", 410)
        try:
            result = await asyncio.to_thread(api.absorb, self.project, path, dry_run=False)
        except PublisherError as exc:
            return self._absorb_refused(request, exc)
        await asyncio.to_thread(self.bench.reload)
        self.events.send("book", version=self.bench.snapshot.version)
        return self.page("absorbed.html.j2", request, result=result)

    # --- the book's order, builds, downloads --------------------------------------

    async def reorder(self, request: Request) -> Response:
        form = await request.form()
        if not check_csrf(request, _field(form, CSRF_FIELD), self.csrf):
            return JSONResponse({"error": "缺少有效的 CSRF 令牌"}, status_code=403)
        try:
            raw = json.loads(_field(form, "order") or "[]")
            groups = [api.Group(str(t), tuple(str(i) for i in ids)) for t, ids in raw]
        except (ValueError, TypeError):
            return JSONResponse({"error": "顺序数据无效"}, status_code=400)
        return await self._write_order(request, groups, _field(form, "expected") or "")

    async def move(self, request: Request) -> Response:
        """One case a step up or down (the buttons beside it: touch, keyboard, no script)."""
        form = await request.form()
        if not check_csrf(request, _field(form, CSRF_FIELD), self.csrf):
            return self.refuse(request, "请求缺少有效的 CSRF 令牌，未移动。", 403)
        case_id = _field(form, "case") or ""
        loaded = self.bench.snapshot.loaded
        step = STEPS.get(_field(form, "step") or "")
        groups = moved(api.book_order(loaded), case_id, step) if loaded and step else None
        if groups is None:
            return self.refuse(request, "这个案例无法再往这个方向移动。", 409)
        return await self._write_order(request, groups, _field(form, "expected") or "", case_id)

    async def _write_order(
        self, request: Request, groups: list[api.Group], expected: str, case_id: str = ""
    ) -> Response:
        """The book's order written (`api.reorder` checks it); JSON to the page's script,
        else back to the book page at the moved case."""
        wants_json = "application/json" in request.headers.get("accept", "")
        try:
            await asyncio.to_thread(api.reorder, self.project, groups, expected=expected)
        except PublisherError as exc:
            if wants_json:
                return JSONResponse({"error": str(exc)}, status_code=409)
            return self.refuse(request, str(exc), 409)
        await asyncio.to_thread(self.bench.reload)
        self.events.send("book", version=self.bench.snapshot.version)
        if wants_json:
            return JSONResponse({"ok": True})
        return RedirectResponse(f"/#case-{case_id}" if case_id else "/", status_code=303)

    async def build(self, request: Request) -> Response:
        form = await request.form()
        if not check_csrf(request, _field(form, CSRF_FIELD), self.csrf):
            return self.refuse(request, "请求缺少有效的 CSRF 令牌。", 403)
        self.builds.start()
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"ok": True})
        return RedirectResponse("/", status_code=303)

    async def download(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        path = output(self.project, kind) if kind in ("pdf", "docx", "report") else None
        if path is None:
            return self.refuse(request, "还没有这个文件：请先构建。", 404)
        return FileResponse(path, filename=path.name)

    # --- events -------------------------------------------------------------------

    async def stream(self, request: Request) -> Response:
        queue = self.events.subscribe()

        async def messages() -> AsyncIterator[str]:
            try:
                # The version now: a page drawn from an older one (a change between its
                # rendering and this connection) fetches itself again.
                hello = {"kind": "hello", "version": self.bench.snapshot.version}
                yield f"retry: 1000\ndata: {json.dumps(hello)}\n\n"
                while not self.stop.is_set():
                    try:
                        message = await asyncio.wait_for(queue.get(), 15)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    if not message:
                        break
                    yield f"data: {message}\n\n"
            finally:
                self.events.unsubscribe(queue)

        return StreamingResponse(
            messages(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def failed(self, request: Request, exc: Exception) -> Response:
        """Never a traceback in the browser: one line, and the files are as they were."""
        if isinstance(exc, PublisherError):
            return self.refuse(request, str(exc), 422)
        return PlainTextResponse(
            f"内部错误：{type(exc).__name__}: {exc}。这是 publisher 的缺陷，不是您的内容的问题；"
            "文件没有被改动。",
            status_code=500,
        )

    def refuse(self, request: Request, message: str, status: int) -> Response:
        return self.page("message.html.j2", request, code=status, heading="未完成", lines=[message])


def _field(form, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


def _where(d: Diagnostic) -> str:
    return f"{d.path}:{d.line}" if d.line else d.path


def _guess_line(status: CaseStatus, d: Diagnostic) -> int:
    """A guess names its source's line; in the case file it stands at the block whose
    text it quotes (“…”), else at the title block."""
    quoted = re.findall(r"“([^”]{2,})”", d.message)
    for block in status.case.blocks:
        text = getattr(block, "text", "") or getattr(block, "caption", "")
        if any(q in text for q in quoted):
            return block.line
    return 0


def _diff(old: str, new: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=before,
            tofile=after,
        )
    )


def create_app(
    bench: Workbench, *, token: str | None, loopback_only: bool, live_pages: bool = True
) -> App:
    return App(bench, token=token, loopback_only=loopback_only, live_pages=live_pages)
