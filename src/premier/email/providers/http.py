"""Talking to an email provider's HTTP API: one request, its failure classified.

Every provider shares one pooled `httpx.AsyncClient` (the SMS providers do the same); the
worker that built the providers owns and closes it.
"""

import asyncio
from typing import Any

import httpx

from premier.delivery.errors import (
    PermanentFailure,
    TransientFailure,
    retry_after_seconds,
    transport_failure,
)

RETRYABLE = {408, 409, 425, 429, 500, 502, 503, 504}
# Account or configuration problems: the message is fine, this provider is not (fail over).
PROVIDER_SIDE = {401, 403, 404}


async def request(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    provider: str,
    timeout_seconds: float,
    **kwargs: Any,
) -> httpx.Response:
    """Send; return the 2xx answer, raise TransientFailure or PermanentFailure otherwise.

    A request that may have reached the provider (it timed out while we waited for the
    answer) is an ambiguous failure: the mail may be on its way, so it is not handed to the
    next provider at once. One that never left (no connection) is not."""
    try:
        # httpx times each phase (connect, write, read) on its own; the bound is on the whole.
        async with asyncio.timeout(timeout_seconds):
            response = await http.request(method, url, timeout=timeout_seconds, **kwargs)
    except httpx.HTTPError as exc:
        raise transport_failure(provider, exc) from exc
    except TimeoutError as exc:
        raise TransientFailure(provider, "timed out", ambiguous=True) from exc
    status = response.status_code
    if 200 <= status < 300:
        return response
    detail = response.content[:500].decode("utf-8", "replace")
    kind = response.headers.get("x-amzn-errortype", "").partition(":")[0]
    reason = f"HTTP {status}{' ' + kind if kind else ''}: {detail}"
    if status in RETRYABLE or status >= 500 or status in PROVIDER_SIDE:
        raise TransientFailure(
            provider,
            reason,
            status=status,
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
        )
    raise PermanentFailure(provider, reason, status=status)


def unreadable(provider: str, body: bytes) -> TransientFailure:
    """A success we cannot read (a 200 without an id): the mail may well have gone out, so
    it is retried later rather than sent again through the next provider now."""
    return TransientFailure(provider, f"unexpected answer {body[:200]!r}", ambiguous=True)
