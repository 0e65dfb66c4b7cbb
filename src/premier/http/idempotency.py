"""`Idempotency-Key`: a create request sent twice creates one thing.

A clerk double-clicks "Confirm", or a phone loses the answer and the page sends the booking
again: the web UI sends the same `Idempotency-Key` header with every copy of one submission,
and this middleware makes the copies one request.

- The first copy claims the key (a row unique on the user and the key) before it runs. A
  copy arriving while it runs is answered 409 with `Retry-After`; a copy arriving after it
  succeeded gets the stored answer again, marked `Idempotent-Replayed: true`.
- A key reused for a different request (another path or body) is refused with 422.
- A request that fails (4xx, 5xx or an exception) releases its key, so the corrected
  request may be sent again under it. A successful answer whose sending failed (the client
  hung up while it arrived) is stored all the same: the thing was created, and the retry gets
  the stored answer instead of creating another. It is stored once the application has
  finished, never while it runs: its own database session may still hold SQLite's one write
  lock until the answer is out.
- Keys belong to the signed-in user who sent them; anonymous requests, sign-in and token
  routes (whose answers hold tokens that must not be stored) and webhooks (de-duplicated by
  their providers' event ids) are passed through untouched, as are multipart uploads, which
  are not buffered.
- A claim whose request never answered (the process died) is taken over after
  `STALE_AFTER`; answers are kept for `KEEP_FOR`. A request killed after its transaction
  committed but before its answer was stored may therefore run again once the claim is stale.
"""

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from premier.db import Database, core_table
from premier.errors import error_body
from premier.http.caller import bearer_user_id
from premier.http.models import IdempotentRequest
from premier.kit.time import utcnow

log = structlog.get_logger(__name__)

HEADER = b"idempotency-key"
STALE_AFTER = timedelta(seconds=60)
KEEP_FOR = timedelta(hours=24)
PRUNE_EVERY = timedelta(hours=1)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
TABLE = core_table(IdempotentRequest)


@dataclass
class _Answer:
    """What the inner application sent, kept as it goes out."""

    status: int = 0
    content_type: str | None = None
    chunks: list[bytes] = field(default_factory=list)
    complete: bool = False  # the application handed over its last byte

    def succeeded(self) -> bool:
        return 200 <= self.status < 300


class Idempotency:
    """Pure ASGI middleware; `skip` lists path prefixes it never handles."""

    def __init__(self, app: ASGIApp, *, skip: Sequence[str] = ()) -> None:
        self.app = app
        self.skip = tuple(skip)
        self._next_prune = utcnow()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, HEADER) if self._applies(scope) else None
        if key is None:
            await self.app(scope, receive, send)
            return
        if not _KEY.match(key):
            await _respond(
                send,
                400,
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
            return
        user_id = await bearer_user_id(scope)
        if user_id is None:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        fingerprint = _fingerprint(scope, body)
        database: Database = scope["app"].state.database
        await self._prune(database)
        claim = await _claim(database, user_id, key, fingerprint, scope["path"])
        if not isinstance(claim, int):
            await claim(send)
            return
        await self._run(scope, receive, send, body, database, claim)

    def _applies(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "POST":
            return False
        path: str = scope["path"]
        if not path.startswith("/api/") or path.startswith(self.skip):
            return False
        content_type = _header(scope, b"content-type") or ""
        return not content_type.startswith("multipart/")

    async def _run(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        body: bytes,
        database: Database,
        claim: int,
    ) -> None:
        answer = _Answer()
        sent_body = False

        async def replay_body() -> Message:
            nonlocal sent_body
            if sent_body:
                return await receive()
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.status = message["status"]
                answer.content_type = (
                    dict(message.get("headers", [])).get(b"content-type", b"").decode("latin-1")
                    or None
                )
            elif message["type"] == "http.response.body":
                answer.chunks.append(message.get("body", b""))
                answer.complete = not message.get("more_body")
            await send(message)

        try:
            await self.app(scope, replay_body, keep)
        finally:
            if answer.succeeded() and answer.complete:
                await _answered(database, claim, answer)
            else:
                await _release(database, claim)

    async def _prune(self, database: Database) -> None:
        """Now and then, forget answers old enough that no client retries them."""
        now = utcnow()
        if now < self._next_prune:
            return
        self._next_prune = now + PRUNE_EVERY
        async with database.writing() as session:
            await session.execute(delete(TABLE).where(TABLE.c.created_at < now - KEEP_FOR))
            await session.commit()


class _Stored:
    """A response to send instead of running the request."""

    def __init__(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.status, self.body, self.content_type = status, body, content_type
        self.headers = headers

    async def __call__(self, send: Send) -> None:
        headers = [
            (b"content-type", self.content_type.encode("latin-1")),
            (b"content-length", str(len(self.body)).encode()),
        ]
        headers += [(k.replace("_", "-").encode(), v.encode()) for k, v in self.headers.items()]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def _refusal(status: int, code: str, message: str, **headers: str) -> _Stored:
    body = json.dumps(error_body(code, message)).encode()
    return _Stored(status, body, "application/json", **headers)


async def _respond(send: Send, status: int, code: str, message: str) -> None:
    await _refusal(status, code, message)(send)


async def _claim(
    database: Database, user_id: int, key: str, fingerprint: str, path: str
) -> int | _Stored:
    """The claimed row's id, or what to answer instead of running the request."""
    try:
        async with database.writing() as session:
            claimed = await session.scalar(
                insert(TABLE)
                .values(
                    user_id=user_id,
                    key=key,
                    fingerprint=fingerprint,
                    path=path,
                    status="pending",
                    created_at=utcnow(),
                )
                .returning(TABLE.c.id)
            )
            await session.commit()
            return int(claimed or 0)
    except IntegrityError:
        pass
    async with database.writing() as session:
        row = (
            await session.execute(
                select(TABLE).where(TABLE.c.user_id == user_id, TABLE.c.key == key)
            )
        ).one_or_none()
        if row is None:  # released between the two statements: the caller may retry
            return _in_progress()
        if row.fingerprint != fingerprint:
            return _refusal(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was already used for a different request; "
                "send a new key with a new request",
            )
        if row.status == "done":
            return _Stored(
                row.response_status,
                row.response_body or b"",
                row.response_type or "application/json",
                idempotent_replayed="true",
            )
        taken = await session.execute(
            update(TABLE)
            .where(
                TABLE.c.id == row.id,
                TABLE.c.status == "pending",
                TABLE.c.created_at < utcnow() - STALE_AFTER,
            )
            .values(created_at=utcnow())
        )
        await session.commit()
        return int(row.id) if _rowcount(taken) == 1 else _in_progress()


def _in_progress() -> _Stored:
    return _refusal(
        409,
        "idempotent_request_in_progress",
        "The same request is still being processed; try again in a moment",
        retry_after="1",
    )


async def _answered(database: Database, claim: int, answer: _Answer) -> None:
    async with database.writing() as session:
        await session.execute(
            update(TABLE)
            .where(TABLE.c.id == claim)
            .values(
                status="done",
                response_status=answer.status,
                response_type=answer.content_type,
                response_body=b"".join(answer.chunks),
                answered_at=utcnow(),
            )
        )
        await session.commit()


async def _release(database: Database, claim: int) -> None:
    try:
        async with database.writing() as session:
            await session.execute(delete(TABLE).where(TABLE.c.id == claim))
            await session.commit()
    except Exception:
        # The claim then goes stale and is taken over; the request's own error matters more.
        log.warning("idempotency_release_failed", exc_info=True)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode()):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
