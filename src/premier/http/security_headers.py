"""Security headers on every response: the API's, the web UI's and the error pages'.

The web UI loads only its own scripts and styles (no inline script), so its policy allows
nothing else; the live feed's WebSocket is the same origin under ws:/wss:. The interactive
API docs (`/docs`, `/redoc`) are the exception: their pages come from FastAPI with an inline
script and load Swagger UI / ReDoc from a CDN, so they get a relaxed policy of their own.
They are off in production unless `PREMIER_API_DOCS` turns them on.
"""

import re
from functools import lru_cache

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DOCS_CDN = "https://cdn.jsdelivr.net"
_HOST = re.compile(rb"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")


@lru_cache(maxsize=64)  # a server is reached under a handful of host names
def app_policy(host: str | None, images: tuple[str, ...] = ()) -> str:
    """`images`: the origins photos come from besides this server (a bucket, a CDN)."""
    live = f" ws://{host} wss://{host}" if host else ""
    image_origins = "".join(f" {origin}" for origin in images)
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data: blob:{image_origins}; "
        f"font-src 'self'; connect-src 'self'{live}; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {DOCS_CDN}; "
    f"style-src 'self' 'unsafe-inline' {DOCS_CDN}; img-src 'self' data: https:; "
    f"font-src 'self' data: {DOCS_CDN}; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
DOCS_PAGES = ("/docs", "/redoc")


class SecurityHeaders:
    """Adds the headers unless the response set its own (it knows better)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        https_base_url: bool,
        hsts_seconds: int,
        image_origins: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.image_origins = image_origins
        self.https_base_url = https_base_url
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains".encode() if hsts_seconds else b""

    def headers_for(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        path: str = scope.get("path", "")
        if path in DOCS_PAGES or path.startswith("/docs/"):
            policy = DOCS_POLICY
        else:
            policy = app_policy(_host(scope), self.image_origins)
        headers = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            # Password reset and unsubscribe links carry their token in the query string.
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if self.hsts and (self.https_base_url or scope.get("scheme") == "https"):
            headers.append((b"strict-transport-security", self.hsts))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((name, value) for name, value in extra if name not in present),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _host(scope: Scope) -> str | None:
    """The Host the browser used, if it is a plain host[:port] (it goes into a header)."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            return value.decode("ascii") if _HOST.match(value) else None
    return None
