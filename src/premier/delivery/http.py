"""Outbound HTTP to providers: one pooled aiohttp session per worker process, shared by every
channel's providers, and one call that sends a request and reads its whole answer.

aiohttp rather than httpx: against the same local server (`bench/http_client.py`) httpx's
connection pool falls far behind under concurrency, and the queues drain no faster than
their providers can be called.

- Whoever makes the session closes it: the worker process, or an email worker that was given
  none. Providers only borrow it.
- A call is bounded as a whole (waiting for a connection, connecting, sending, the answer and
  its body) by its provider's own timeout, not the session's.
- The answer is read in full before the connection goes back to the pool, so a provider
  adapter sees bytes, never a half-read stream, and a body cut off halfway is a transport
  failure like any other.
- Redirects are never followed: a provider's API answers where it was asked, and following
  one would send a signed request, or fetch a certificate, from somewhere nobody checked.
- A failure to talk at all is ambiguous once the request had a connection to go out on,
  and only then: the session's trace hooks note, per call, when a connection was made or
  taken from the pool, because aiohttp raises the same bare TimeoutError whether its time
  limit ran out while connecting (or queueing for a free connection) or while waiting for
  the answer. `errors.transport_failure` words it.
"""

import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from premier.delivery.errors import transport_failure

# A request names its own total time limit; this one only bounds a call that forgot to.
DEFAULT_TIMEOUT_SECONDS = 30.0
# Idle connections are kept this long for the next message to the same provider.
KEEPALIVE_SECONDS = 30.0
DNS_CACHE_SECONDS = 300


@dataclass(frozen=True, slots=True)
class Answer:
    """A provider's whole answer. `headers` look names up regardless of case."""

    status: int
    reason: str
    headers: CIMultiDictProxy[str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON; raises ValueError when it is not."""
        return json.loads(self.body)


class _Progress:
    """How far one call got, written by the session's trace hooks."""

    __slots__ = ("connected", "traced")

    def __init__(self) -> None:
        self.traced = False  # the session has the hooks, so `connected` can be believed
        self.connected = False

    @property
    def sent(self) -> bool | None:
        """Whether the request may have left; None when the session could not tell."""
        return self.connected if self.traced else None


async def _started(session: aiohttp.ClientSession, context: SimpleNamespace, _: object) -> None:
    if isinstance(context.trace_request_ctx, _Progress):
        context.trace_request_ctx.traced = True


async def _connected(session: aiohttp.ClientSession, context: SimpleNamespace, _: object) -> None:
    if isinstance(context.trace_request_ctx, _Progress):
        context.trace_request_ctx.connected = True


def _tracing() -> aiohttp.TraceConfig:
    config = aiohttp.TraceConfig()
    config.on_request_start.append(_started)
    config.on_connection_create_end.append(_connected)
    config.on_connection_reuseconn.append(_connected)
    config.freeze()
    return config


def provider_session(*, connections: int) -> aiohttp.ClientSession:
    """A session with up to `connections` open at once (idle ones kept alive for reuse).

    Call it inside the event loop that will use it. `trust_env` keeps the proxy settings of
    the environment (HTTPS_PROXY, NO_PROXY) working for provider calls."""
    connector = aiohttp.TCPConnector(
        limit=max(connections, 1),
        keepalive_timeout=KEEPALIVE_SECONDS,
        ttl_dns_cache=DNS_CACHE_SECONDS,
    )
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_TIMEOUT_SECONDS),
        trust_env=True,
        trace_configs=[_tracing()],
    )


async def call(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    provider: str,
    timeout_seconds: float,
    **kwargs: Any,
) -> Answer:
    """Send one request and read its answer, whatever its status; a failure to talk to the
    provider at all raises `TransientFailure` (ambiguous unless the request never left)."""
    progress = _Progress()
    try:
        async with session.request(
            method,
            url,
            timeout=aiohttp.ClientTimeout(total=timeout_seconds),
            allow_redirects=False,
            trace_request_ctx=progress,
            **kwargs,
        ) as response:
            body = await response.read()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise transport_failure(provider, exc, sent=progress.sent) from exc
    return Answer(
        status=response.status,
        reason=response.reason or "",
        headers=response.headers,
        body=body,
    )
