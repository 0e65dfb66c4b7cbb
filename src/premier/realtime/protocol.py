"""The wire protocol of `WS /api/v1/ws/{user_id}` and `/api/v1/ws`: frames and close codes.

Connecting
    Send an access token as the `token` query parameter, or as the first message
    `{"type": "auth", "token": "..."}` within `AUTH_TIMEOUT_SECONDS`. On success the server
    sends `{"type": "ready", ...}`; on failure it closes the socket without sending anything.
    The same `auth` frame later replaces the token (send a fresh one before the old expires).

Client frames (JSON text, at most `MAX_FRAME_BYTES`, at most `RATE_PER_SECOND` a second)
    {"type": "subscribe", "channel": "booking:12", "last_event_id": "...", "last_seq": 41}
    {"type": "subscribe", "channel": "availability", "from": "2026-12-01", "to": "2026-12-05"}
    {"type": "subscribe", "channel": "presence:front_desk"}  who of the desk is online (staff)
    {"type": "subscribe", "channel": "online:front_desk"}    whether anyone is (everyone)
    {"type": "unsubscribe", "channel": "booking:12"}
    {"type": "ping"} / {"type": "pong"}      (answer every server ping with a pong)
    Every frame may carry a `request_id`, echoed in the answer.

Server frames
    {"type": "event", "channel", "seq", "id", "event", "ts", "data"}  seq counts per channel
    {"type": "subscribed", "channel", "seq", "last_event_id", "replayed"}
    {"type": "resync", "channel", "seq", "last_event_id", "reason"}  refetch, then carry on
    {"type": "unsubscribed", "channel"}, {"type": "ping", "ts"}, {"type": "pong"}
    {"type": "error", "code", "message", "request_id"}

The user changing closes the socket (at once on the instance that made the change, within
the re-check interval elsewhere): 4401 when its credentials no longer hold (password reset,
token revoked, a failed `auth` frame), 4403 when the user may no longer have it (deactivated,
role or department changed). Reconnect with a fresh token to carry on with the new rights.

Resume: subscribe with the `id` (and `seq`) of the last event received on that channel and
the missed events follow the `subscribed` frame, in order and once each. When they are no
longer in the history window, a `resync` frame comes instead.

Gaps: `seq` counts every event of a channel, so the next event is always `seq + 1`
(except on an availability subscription with dates, which skips other dates' events).
The server itself fills a gap left by a break between instances (from the history, or with
a `resync`, reason `missed_while_disconnected`); a client that still sees one resumes as
above. See docs/realtime.md for the faults behind this.

Errors answer the frame they name by `request_id`: `unavailable` means "not now" (try the
subscribe again later), the other codes mean the frame will never be accepted.
"""

import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, TypeAdapter, model_validator

from premier.kit.input import Input

# Close codes (4000-4999 are the application's own).
# The server is shutting down: reconnect (see realtime/shutdown.py for how 1001, not
# uvicorn's 1012, reaches the client).
CLOSE_GOING_AWAY = 1001
# No, forged or expired token; also when the token expires, when the user's credentials
# change (password reset, revocation) and when a later `auth` frame fails.
CLOSE_UNAUTHENTICATED = 4401
# The token's user is not the user in the URL; also when the user is deactivated or their
# role or department changes while connected.
CLOSE_FORBIDDEN = 4403
CLOSE_IDLE = 4408  # nothing heard from the client (not even a pong) for the idle timeout
CLOSE_SLOW_CONSUMER = 4409  # the client did not keep up: its send queue overflowed
CLOSE_ABUSE = 4429  # too many invalid, oversized or rate-limited frames

AUTH_TIMEOUT_SECONDS = 10.0
MAX_FRAME_BYTES = 4096
RATE_PER_SECOND = 10.0
RATE_BURST = 30
MAX_VIOLATIONS = 20
MAX_SUBSCRIPTIONS = 100
MAX_AVAILABILITY_DAYS = 366

CHANNEL_PATTERN = (
    r"^((user|booking|folio|order|payment|conversation):[1-9][0-9]{0,17}"
    r"|(department|presence|online):[a-z_]{1,32}|role:manager|availability)$"
)

Channel = Annotated[str, Field(pattern=CHANNEL_PATTERN, max_length=64)]
RequestId = Annotated[str | None, Field(default=None, max_length=64)]


class _Frame(Input):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AuthFrame(_Frame):
    type: Literal["auth"]
    token: Annotated[str, Field(min_length=1, max_length=2048)]
    request_id: RequestId = None


class SubscribeFrame(_Frame):
    type: Literal["subscribe"]
    channel: Channel
    last_event_id: Annotated[str | None, Field(max_length=64)] = None
    last_seq: Annotated[int | None, Field(ge=0)] = None
    start: Annotated[date | None, Field(alias="from")] = None
    end: Annotated[date | None, Field(alias="to")] = None
    request_id: RequestId = None

    @model_validator(mode="after")
    def _date_range(self) -> "SubscribeFrame":
        ranged = self.start is not None or self.end is not None
        if self.channel == "availability":
            if self.start is None or self.end is None:
                raise ValueError("availability needs 'from' and 'to' dates")
            if self.end <= self.start:
                raise ValueError("'to' must be after 'from'")
            if (self.end - self.start).days > MAX_AVAILABILITY_DAYS:
                raise ValueError(f"at most {MAX_AVAILABILITY_DAYS} days at a time")
        elif ranged:
            raise ValueError("'from' and 'to' apply to the availability channel only")
        return self


class UnsubscribeFrame(_Frame):
    type: Literal["unsubscribe"]
    channel: Channel
    request_id: RequestId = None


class PingFrame(_Frame):
    type: Literal["ping"]
    request_id: RequestId = None


class PongFrame(_Frame):
    type: Literal["pong"]
    ts: float | None = None


ClientFrame = Annotated[
    AuthFrame | SubscribeFrame | UnsubscribeFrame | PingFrame | PongFrame,
    Field(discriminator="type"),
]
client_frame: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)


def dump(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"))


def error(code: str, message: str, *, request_id: str | None = None, details: Any = None) -> str:
    body: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if request_id is not None:
        body["request_id"] = request_id
    if details is not None:
        body["details"] = details
    return dump(body)


def event_head(channel: str) -> str:
    """The start of an event frame up to its sequence number; channels are plain ASCII."""
    return '{"type":"event","channel":"' + channel + '","seq":'


def event_tail(*, event_id: str, event_type: str, ts: float, data_json: str) -> str:
    """The rest of an event frame after its sequence number, the same on every channel."""
    return (
        f',"id":{json.dumps(event_id)},"event":{json.dumps(event_type)},'
        f'"ts":{ts:.3f},"data":{data_json}}}'
    )
