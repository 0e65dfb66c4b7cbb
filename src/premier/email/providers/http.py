"""Talking to an email provider's HTTP API: one request, its answer's status classified.

Every provider borrows the one pooled session of the worker (`premier.delivery.http`, which
the SMS providers share too); whoever built the providers owns and closes it.
"""

from typing import Any

import aiohttp

from premier.delivery.errors import PermanentFailure, TransientFailure, retry_after_seconds
from premier.delivery.http import Answer, call

RETRYABLE = {408, 409, 425, 429, 500, 502, 503, 504}
# Account or configuration problems: the message is fine, this provider is not (fail over).
PROVIDER_SIDE = {401, 403, 404}


async def request(
    http: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    provider: str,
    timeout_seconds: float,
    **kwargs: Any,
) -> Answer:
    """Send; return the 2xx answer, raise TransientFailure or PermanentFailure otherwise.

    A request that may have reached the provider (it timed out while we waited for the
    answer) is an ambiguous failure: the mail may be on its way, so it is not handed to the
    next provider at once. One that never left (no connection) is not."""
    response = await call(
        http, method, url, provider=provider, timeout_seconds=timeout_seconds, **kwargs
    )
    status = response.status
    if 200 <= status < 300:
        return response
    detail = response.body[:500].decode("utf-8", "replace")
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
