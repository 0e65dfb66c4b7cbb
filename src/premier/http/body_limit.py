"""Request bodies are refused past a size limit before they are read.

A declared `Content-Length` over the limit is answered 413 at once, without calling the
application; a streamed (chunked) body is counted as it arrives and reading stops at the
limit. Without this, the whole body of any size is read into memory and parsed before any
endpoint could look at its length.
"""

import json
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from premier.errors import error_body


class BodyTooLarge(Exception):
    """Raised from `receive` once a streamed body passes the limit."""


def _too_large_response(limit: int, message: str | None = None) -> tuple[Message, Message]:
    body = json.dumps(
        error_body("body_too_large", message or f"the request body is larger than {limit} bytes")
    ).encode()
    start: Message = {
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class BodyLimit:
    """`limits` pairs a path prefix with its limit (and optionally the message that refuses
    a larger body); the first match wins, else `default`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        default: int,
        limits: Sequence[tuple[str, int] | tuple[str, int, str]] = (),
    ) -> None:
        self.app = app
        self.default = default
        self.limits = tuple(limits)

    def limit_for(self, path: str) -> int:
        return self._rule_for(path)[0]

    def _rule_for(self, path: str) -> tuple[int, str | None]:
        for prefix, limit, *message in self.limits:
            if path.startswith(prefix):
                return limit, message[0] if message else None
        return self.default, None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, refusal = self._rule_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            for message in _too_large_response(limit, refusal):
                await send(message)
            return
        await _Guarded(limit, receive, send, refusal).run(self.app, scope)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class _Guarded:
    """One request whose body is counted; past the limit its answer becomes the 413."""

    def __init__(
        self, limit: int, receive: Receive, send: Send, refusal: str | None = None
    ) -> None:
        self.limit = limit
        self.refusal = refusal
        self.inner_receive = receive
        self.inner_send = send
        self.received = 0
        self.exceeded = False
        self.started = False

    async def receive(self) -> Message:
        if self.exceeded:
            raise BodyTooLarge
        message = await self.inner_receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                raise BodyTooLarge
        return message

    async def send(self, message: Message) -> None:
        if self.exceeded:
            await self._refuse()  # whatever the app made of the failed read, the answer is 413
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self.inner_send(message)

    async def _refuse(self) -> None:
        if self.started:
            return
        self.started = True
        for message in _too_large_response(self.limit, self.refusal):
            await self.inner_send(message)

    async def run(self, app: ASGIApp, scope: Scope) -> None:
        try:
            await app(scope, self.receive, self.send)
        except BodyTooLarge:
            await self._refuse()
            return
        except Exception:
            if not self.exceeded:
                raise
        if self.exceeded:
            await self._refuse()
