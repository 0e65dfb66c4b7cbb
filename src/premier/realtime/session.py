"""Serving one WebSocket: authenticate, then read client frames until the socket ends.

Reading happens here, writing in the connection's writer task. The socket is closed when
the client goes quiet for the idle timeout, when its token expires, when it misbehaves,
when it falls behind, or when the server shuts down.
"""

import asyncio
import contextlib
import random
import time
from typing import Any

import structlog
from pydantic import ValidationError
from starlette.websockets import WebSocket, WebSocketState

from premier.auth import access
from premier.auth.actor import Actor
from premier.auth.service import actor_from_token
from premier.auth.tokens import decode_token
from premier.config import Settings
from premier.db import Database
from premier.kit.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from premier.realtime import protocol as p
from premier.realtime.backplanes.base import Head
from premier.realtime.connection import Connection
from premier.realtime.hub import Hub
from premier.realtime.service import authorize_channel
from premier.users.models import User

log = structlog.get_logger(__name__)


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


async def serve_socket(
    websocket: WebSocket,
    *,
    hub: Hub,
    database: Database,
    settings: Settings,
    user_id: int | None,
) -> None:
    await websocket.accept()
    try:
        actor, expires_at, token = await _authenticate(
            websocket, database=database, settings=settings, user_id=user_id
        )
    except Refused as refused:
        await _close_quietly(websocket, refused.code, refused.reason)
        return
    if hub.closing:  # came in while the server stops: try again elsewhere
        await _close_quietly(websocket, p.CLOSE_GOING_AWAY, "server shutting down")
        return
    connection = Connection(websocket, actor, queue_limit=settings.realtime_send_queue)
    session = _Session(connection, hub=hub, database=database, settings=settings,
                       expires_at=expires_at, token=token)  # fmt: skip
    connection.recheck = session.recheck_soon
    hub.register(connection)
    try:
        await session.run()
    finally:
        hub.unregister(connection)
        await connection.stop()


async def _authenticate(
    websocket: WebSocket, *, database: Database, settings: Settings, user_id: int | None
) -> tuple[Actor, float, str]:
    token = websocket.query_params.get("token")
    if not token:
        token = await _first_message_token(websocket)
    try:
        claims = decode_token(settings=settings, token=token, kind="access")
    except NotAuthenticated as exc:
        raise Refused(p.CLOSE_UNAUTHENTICATED, exc.code) from exc
    if user_id is not None and str(claims["sub"]) != str(user_id):
        raise Refused(p.CLOSE_FORBIDDEN, "token does not belong to this user")
    try:
        actor = await actor_from_token(
            database=database, settings=settings, token=token,
            cache=getattr(websocket.app.state, "actor_cache", None),
        )  # fmt: skip
    except NotAuthenticated as exc:
        raise Refused(p.CLOSE_UNAUTHENTICATED, exc.code) from exc
    if not access.allows(actor, "realtime", "connect"):
        raise Refused(p.CLOSE_FORBIDDEN, "permission_denied")
    return actor, float(claims["exp"]), token


async def _first_message_token(websocket: WebSocket) -> str:
    try:
        async with asyncio.timeout(p.AUTH_TIMEOUT_SECONDS):
            message = await websocket.receive()
    except TimeoutError as exc:
        raise Refused(p.CLOSE_UNAUTHENTICATED, "no token") from exc
    raw = message.get("text") or message.get("bytes")
    if message["type"] != "websocket.receive" or not raw or len(raw) > p.MAX_FRAME_BYTES:
        raise Refused(p.CLOSE_UNAUTHENTICATED, "no token")
    try:
        frame = p.client_frame.validate_json(raw)
    except ValidationError as exc:
        raise Refused(p.CLOSE_UNAUTHENTICATED, "no token") from exc
    if not isinstance(frame, p.AuthFrame):
        raise Refused(p.CLOSE_UNAUTHENTICATED, "no token")
    return frame.token


async def _close_quietly(websocket: WebSocket, code: int, reason: str) -> None:
    if websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(Exception):  # the client left first
            await websocket.close(code, reason)


class _Session:
    __slots__ = (
        "_rechecks",
        "connection",
        "database",
        "expires_at",
        "hub",
        "loop",
        "ping_handle",
        "refilled",
        "settings",
        "token",
        "tokens",
        "violations",
    )

    def __init__(
        self,
        connection: Connection,
        *,
        hub: Hub,
        database: Database,
        settings: Settings,
        expires_at: float,
        token: str,
    ) -> None:
        self.connection = connection
        self.token = token
        self._rechecks: set[asyncio.Task[None]] | None = None  # made when first needed
        self.hub = hub
        self.database = database
        self.settings = settings
        self.expires_at = expires_at
        self.tokens = float(p.RATE_BURST)
        self.refilled = time.monotonic()
        self.violations = 0
        self.loop = asyncio.get_running_loop()
        self.ping_handle: asyncio.TimerHandle | None = None

    def send(self, frame: dict[str, Any]) -> None:
        self.connection.push_text(p.dump(frame))

    async def run(self) -> None:
        connection, settings = self.connection, self.settings
        self.send({"type": "ready", "user_id": connection.actor.id,
                   "role": connection.actor.role.value, "expires_at": int(self.expires_at),
                   "ping_seconds": settings.realtime_ping_seconds})  # fmt: skip
        self._schedule_ping()
        idle = settings.realtime_idle_timeout_seconds
        last_heard = self.loop.time()
        # Spread over the interval: sockets opened together (a shift starting) re-check apart.
        interval = settings.realtime_recheck_seconds
        next_recheck = self.loop.time() + interval * random.uniform(0.5, 1.0)
        try:
            while True:
                token_left = self.expires_at - time.time()
                deadline = min(last_heard + idle, self.loop.time() + token_left, next_recheck)
                if connection.closed:
                    deadline = self.loop.time() + 5.0  # wait for the close handshake
                try:
                    async with asyncio.timeout_at(deadline):
                        message = await connection.websocket.receive()
                except TimeoutError:
                    if connection.closed:
                        return
                    if time.time() >= self.expires_at:
                        connection.close(p.CLOSE_UNAUTHENTICATED, "token_expired")
                    elif self.loop.time() >= last_heard + idle:
                        connection.close(p.CLOSE_IDLE, "idle_timeout")
                    else:
                        # A change made on another instance reaches this one no other way.
                        await self.recheck()
                        next_recheck = self.loop.time() + interval
                    continue
                if message["type"] == "websocket.disconnect":
                    return
                last_heard = self.loop.time()
                if not connection.closed:
                    await self._handle(message.get("text") or message.get("bytes") or "")
        finally:
            if self.ping_handle is not None:
                self.ping_handle.cancel()
            for task in self._rechecks or ():
                task.cancel()

    def recheck_soon(self) -> None:
        """The user changed on this instance: check them again without waiting."""
        task = self.loop.create_task(self.recheck())
        if self._rechecks is None:
            self._rechecks = set()
        self._rechecks.add(task)
        task.add_done_callback(self._rechecks.discard)

    async def recheck(self) -> None:
        """Close the socket if its token no longer admits its user, or the user's rights
        changed: subscriptions were authorized for the rights the user had then."""
        connection = self.connection
        if connection.closed:
            return
        try:
            # The instance's actor cache: a change made here has already dropped the user
            # from it, one made elsewhere is seen within the cache's few seconds.
            actor = await actor_from_token(
                database=self.database, settings=self.settings, token=self.token,
                cache=getattr(connection.websocket.app.state, "actor_cache", None),
            )  # fmt: skip
        except NotAuthenticated:
            code, reason = await self._why_refused()
            connection.abort(code, reason)
            return
        except Exception:  # the database is unavailable: try again at the next re-check
            log.exception("realtime_recheck_failed", user_id=connection.actor.id)
            return
        if _rights(actor) != _rights(connection.actor):
            connection.abort(p.CLOSE_FORBIDDEN, "user_changed")

    async def _why_refused(self) -> tuple[int, str]:
        """4403 for a user who may no longer be here at all, 4401 for stale credentials."""
        async with self.database.reading() as session:
            user = await session.get(User, self.connection.actor.id)
        if user is None or not user.is_active:
            return p.CLOSE_FORBIDDEN, "user_deactivated"
        return p.CLOSE_UNAUTHENTICATED, "credentials_changed"

    def _schedule_ping(self) -> None:
        def ping() -> None:
            if not self.connection.closed:
                self.send({"type": "ping", "ts": round(time.time() * 1000)})
                self._schedule_ping()

        self.ping_handle = self.loop.call_later(self.settings.realtime_ping_seconds, ping)

    def _violation(self, code: str, message: str, request_id: str | None = None) -> None:
        self.violations += 1
        if self.violations > p.MAX_VIOLATIONS:
            self.connection.abort(p.CLOSE_ABUSE, "too many bad frames")
        else:
            self.connection.push_text(p.error(code, message, request_id=request_id))

    def _take_token(self) -> bool:
        now = time.monotonic()
        self.tokens = min(p.RATE_BURST, self.tokens + (now - self.refilled) * p.RATE_PER_SECOND)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def _handle(self, raw: str | bytes) -> None:
        if len(raw) > p.MAX_FRAME_BYTES:
            self._violation("frame_too_large", f"frames are limited to {p.MAX_FRAME_BYTES} bytes")
            return
        if not self._take_token():
            self._violation("rate_limited", f"at most {p.RATE_PER_SECOND:g} frames a second")
            return
        try:
            frame = p.client_frame.validate_json(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            self._violation("invalid_frame", f"{where}: {first['msg']}" if where else first["msg"])
            return
        if isinstance(frame, p.SubscribeFrame):
            await self._subscribe(frame)
        elif isinstance(frame, p.UnsubscribeFrame):
            self.hub.unsubscribe(self.connection, frame.channel)
            self.send({"type": "unsubscribed", "channel": frame.channel,
                       "request_id": frame.request_id})  # fmt: skip
        elif isinstance(frame, p.PingFrame):
            self.send({"type": "pong", "request_id": frame.request_id})
        elif isinstance(frame, p.AuthFrame):
            await self._reauthenticate(frame)

    async def _subscribe(self, frame: p.SubscribeFrame) -> None:
        connection = self.connection
        if (
            frame.channel not in connection.subscriptions
            and len(connection.subscriptions) >= p.MAX_SUBSCRIPTIONS
        ):
            self._violation("too_many_subscriptions",
                            f"at most {p.MAX_SUBSCRIPTIONS} channels per connection",
                            frame.request_id)  # fmt: skip
            return
        try:
            async with self.database.reading() as session:
                await authorize_channel(session=session, actor=connection.actor,
                                        channel=frame.channel)  # fmt: skip
        except (NotFound, PermissionDenied) as exc:
            code = "not_found" if isinstance(exc, NotFound) else "forbidden"
            self._violation(code, exc.message, frame.request_id)
            return
        span = (frame.start, frame.end) if frame.start and frame.end else None

        async def ready(head: Head, replayed: int, resync: bool) -> None:
            body = {"channel": frame.channel, "seq": head.seq, "last_event_id": head.event_id,
                    "request_id": frame.request_id}  # fmt: skip
            if resync:
                self.send({"type": "resync", **body, "reason": "history_expired"})
            self.send({"type": "subscribed", **body, "replayed": replayed})

        try:
            await self.hub.subscribe(
                connection, frame.channel, last_seq=frame.last_seq,
                last_event_id=frame.last_event_id, span=span, on_ready=ready,
            )  # fmt: skip
        except Exception:
            log.exception("realtime_subscribe_failed", channel=frame.channel)
            connection.push_text(p.error("unavailable", "could not subscribe, try again",
                                    request_id=frame.request_id))  # fmt: skip

    async def _reauthenticate(self, frame: p.AuthFrame) -> None:
        """A failed `auth` frame closes the socket: the old token may be the reason it failed
        (revoked, password reset), and the socket must not outlive it."""
        try:
            claims = decode_token(settings=self.settings, token=frame.token, kind="access")
            if str(claims["sub"]) != str(self.connection.actor.id):
                self.connection.abort(p.CLOSE_FORBIDDEN, "token belongs to someone else")
                return
            actor = await actor_from_token(
                database=self.database, settings=self.settings, token=frame.token
            )
        except DomainError as exc:
            self.connection.abort(p.CLOSE_UNAUTHENTICATED, exc.code)
            return
        if _rights(actor) != _rights(self.connection.actor):
            self.connection.abort(p.CLOSE_FORBIDDEN, "user_changed")
            return
        self.token = frame.token
        self.expires_at = float(claims["exp"])
        self.send({"type": "authenticated", "expires_at": int(self.expires_at),
                   "request_id": frame.request_id})  # fmt: skip


def _rights(actor: Actor) -> tuple[object, ...]:
    """What channel authorization depends on."""
    return (actor.role, actor.department, actor.is_vip)
