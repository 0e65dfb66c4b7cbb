"""The built web UI's files, served the way a phone on a slow network needs them.

The build names every script and stylesheet after its content (`index-CQ_7HoC0.js`), so a
name never points at other bytes: those are cached for a year, `immutable`, and the browser
never asks again. The build also writes each one compressed beside it (`.br`, `.gz`, see
web/vite.config.ts); the smallest one the browser accepts is sent as it is, with no work
per request. `index.html` names the current files, so it is never cached without asking.
"""

import mimetypes
import re
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# What the build writes under assets/: a name, a dash, the content hash, an extension.
_ASSET = re.compile(r"^[A-Za-z0-9_.-]+-[A-Za-z0-9_-]{6,}\.[a-z0-9]+$")
# Preferred first: brotli is smaller than gzip for scripts and styles.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


class HashedAssets:
    """ASGI app for `/assets/*` (mounted there)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.response_for(scope)
        await response(scope, receive, send)

    def response_for(self, scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            return PlainTextResponse("Method Not Allowed", 405, headers={"Allow": "GET, HEAD"})
        name = str(scope["path"]).rpartition("/")[2]
        path = self.directory / name
        if not _ASSET.match(name) or not path.is_file():
            return PlainTextResponse("Not Found", 404)
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
        accepted = _accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        for encoding, suffix in ENCODINGS:
            compressed = path.with_name(name + suffix)
            if encoding in accepted and compressed.is_file():
                headers["Content-Encoding"] = encoding
                return FileResponse(compressed, media_type=media_type, headers=headers)
        return FileResponse(path, media_type=media_type, headers=headers)


def _accepted_encodings(header: str) -> set[str]:
    """Codings the client accepts (q=0 means refused)."""
    accepted = set()
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(coding.strip().lower())
    return accepted


def index_response(index: Path) -> FileResponse:
    """The page that names the current assets: the browser asks again each time."""
    return FileResponse(index, headers={"Cache-Control": REVALIDATE})
