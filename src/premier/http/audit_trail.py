"""Every change made through the API leaves an audit entry (premier.audit): who, when, what
and to which thing, for managers to read.

A change is a POST, PUT, PATCH or DELETE under `/api/` answered 2xx by a signed-in person.
Sign-in, token and webhook routes are left out (they change sessions, not the hotel), and so
are a person's own marks of attention (typing, read and unread): they change nothing anyone
audits, and a typing ping every few seconds would bury the trail. The
entry is written once the answer has gone, in a short transaction shared with the entries
of other changes answered meanwhile (`audit.Recorder`): it never delays or fails the change
it records (a failure to record is logged).
"""

import json
from collections.abc import Sequence

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from premier.audit import service as audit
from premier.http.caller import bearer_user_id

log = structlog.get_logger(__name__)

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The last part of the path of requests that only mark one's own attention.
ATTENTION = frozenset({"typing", "read", "unread", "read-all"})
# A create's answer names the new thing's id; larger answers are not read for it.
_ANSWER_READ_LIMIT = 64 * 1024


class AuditTrail:
    def __init__(self, app: ASGIApp, *, skip: Sequence[str] = ()) -> None:
        self.app = app
        self.skip = tuple(skip)
        self._recorder: audit.Recorder | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        # Who asks is read before the answer: a change that ends the caller's own token
        # (signing out everywhere, a password change) is still theirs.
        actor_id = await bearer_user_id(scope)
        status = 0
        answer = bytearray()

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif (
                message["type"] == "http.response.body"
                and 200 <= status < 300
                and len(answer) < _ANSWER_READ_LIMIT
            ):
                answer.extend(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, watch)
        if actor_id is not None and 200 <= status < 300:
            await self._record(scope, actor_id, status, bytes(answer))

    def _applies(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] not in CHANGES:
            return False
        path: str = scope["path"]
        if not path.startswith("/api/") or path.startswith(self.skip):
            return False
        return path.rstrip("/").rpartition("/")[2] not in ATTENTION

    async def _record(self, scope: Scope, actor_id: int, status: int, answer: bytes) -> None:
        try:
            database = scope["app"].state.database  # there once the app has started
            if self._recorder is None or self._recorder.database is not database:
                self._recorder = audit.Recorder(database)
            await self._recorder.record(
                audit.entry(
                    actor_id=actor_id, method=scope["method"], path=scope["path"],
                    status=status, created_id=_created_id(answer),
                )
            )  # fmt: skip
        except Exception:
            log.warning("audit_entry_not_written", path=scope["path"], exc_info=True)


def _created_id(answer: bytes) -> int | None:
    try:
        body = json.loads(answer)
    except ValueError:
        return None
    found = body.get("id") if isinstance(body, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None
