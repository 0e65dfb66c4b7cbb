"""The local backend's signed links: `GET /api/v1/uploads/files/{token}`.

The token is the whole authorization (premier.storage.local), so the route is public in the
access table. Answers carry a strong ETag (keys never change content) and a conditional
GET that matches it is answered 304. Files are sent as attachments unless they are images,
and never in a context that could run script.
"""

import hashlib

from fastapi import Request, Response
from fastapi.responses import FileResponse

from premier.auth.access import access
from premier.http.routing import Router
from premier.kit.errors import NotFound
from premier.storage.local import SERVE_PREFIX, LocalStorage
from premier.storage.protocol import IMMUTABLE

router = Router(prefix=SERVE_PREFIX.rstrip("/"), tags=["uploads"])

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


@router.get("/{token}", include_in_schema=False, response_model=None)
@access("upload_file", "read")
async def serve_signed_file(token: str, request: Request) -> Response:
    storage = getattr(request.app.state, "storage", None)
    gone = NotFound("this link has expired or the file no longer exists")
    if not isinstance(storage, LocalStorage):
        raise gone
    payload = storage.read_token(token)
    if payload is None:
        raise gone
    key: str = payload["k"]
    try:
        path = storage.path_of(key)
    except ValueError:
        raise gone from None
    if not path.is_file():
        raise gone
    private = "e" in payload
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-store" if private else IMMUTABLE,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    media_type = str(payload.get("t") or "application/octet-stream")
    disposition = "inline" if media_type in INLINE_TYPES else "attachment"
    name = payload.get("n")
    return FileResponse(
        path,
        media_type=media_type,
        headers=headers,
        filename=str(name) if name else None,
        content_disposition_type=disposition,
    )


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}
