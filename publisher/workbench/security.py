"""The workbench's guards: who may ask (loopback, or the access token beyond it), from
where (the Host the server answers to), and that every change is a POST carrying the
page's CSRF token.

Bound to loopback, only requests naming a loopback host are answered (a web page cannot
reach the server through a DNS name it controls). Bound to any other address, every
request needs the token: given once in the URL (`?token=…`), then kept in a cookie.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_COOKIE = "publisher_token"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware: the token (when one is needed), the Host, the method."""

    def __init__(self, app: ASGIApp, *, token: str | None, loopback_only: bool) -> None:
        self.app = app
        self.token = token
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = (request.url.hostname or "").lower()
        if self.loopback_only and not is_loopback(host):
            await PlainTextResponse("拒绝：未知的主机名", status_code=403)(scope, receive, send)
            return
        if self.token is not None:
            given = request.query_params.get("token")
            if given is not None and same(given, self.token):
                # Keep it in a cookie and drop it from the address bar.
                query = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                url = URL(scope=scope).replace_query_params(**dict(query))
                response = RedirectResponse(str(url), status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                await response(scope, receive, send)
                return
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if not same(cookie, self.token):
                await PlainTextResponse(
                    "拒绝：需要访问令牌。请使用 publisher serve 启动时打印的完整网址。",
                    status_code=403,
                )(scope, receive, send)
                return
        await self.app(scope, receive, send)


def check_csrf(request: Request, form_token: str | None, expected: str) -> bool:
    """A changing request carries the page's CSRF token (form field or header)."""
    given = form_token or request.headers.get(CSRF_HEADER, "")
    return bool(given) and same(given, expected)
