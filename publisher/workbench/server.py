"""`publisher serve`: start the workbench on uvicorn, print its address, stop on Ctrl+C."""

from __future__ import annotations

import contextlib
import errno
import socket
import threading
import webbrowser
from collections.abc import Callable

import uvicorn

from ..pipeline.project import Project
from ..support.errors import EnvironmentProblem
from .app import create_app
from .security import is_loopback, new_secret
from .state import Workbench


def address(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def serve(
    project: Project,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    live_pages: bool = True,
    echo: Callable[[str], None] = print,
) -> None:
    """Run until Ctrl+C. Beyond loopback every request needs the printed token."""
    loopback = is_loopback(host)
    token = None if loopback else new_secret()
    _check_port(host, port)
    bench = Workbench(project)
    bench.reload()  # the first page needs no wait
    web = create_app(bench, token=token, loopback_only=loopback, live_pages=live_pages)
    url = address(host, port, token)
    config = uvicorn.Config(
        web.app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    echo(f"编辑工作台 (workbench): {url}")
    if not loopback:
        echo(
            "other computers on the network: use this computer's address instead of "
            "127.0.0.1, with the token; anyone with the token can change the case files"
        )
    echo("Ctrl+C to stop")
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl+C it handled
        server.run()
    echo("stopped")


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise EnvironmentProblem(
                    f"port {port} is in use (another publisher serve?): choose another with --port"
                ) from None
            raise EnvironmentProblem(f"cannot listen on {host}:{port}: {exc.strerror}") from None
