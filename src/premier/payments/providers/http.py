"""Payment providers' HTTP calls: the delivery layer's pooled aiohttp call, with its
failures turned into the payment domain's errors.

A failure to talk at all, and a provider's 5xx, become `ProviderDown`, carrying whether the
request may have reached the provider: the caller decides whether asking again could
charge twice. A 4xx answer is returned for the adapter to read its provider's error shape (and a 5xx
too when asked: Daraja's query answers "still processing" with a 500).
"""

from typing import Any

import aiohttp

from premier.delivery.errors import TransientFailure
from premier.delivery.http import Answer, call
from premier.payments.providers.base import ProviderDown


async def request(
    http: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    provider: str,
    timeout_seconds: float,
    read_5xx: bool = False,
    **kwargs: Any,
) -> Answer:
    try:
        answer = await call(
            http, method, url, provider=provider, timeout_seconds=timeout_seconds, **kwargs
        )
    except TransientFailure as exc:
        raise ProviderDown(f"{provider} did not answer", sent=exc.ambiguous) from exc
    if (answer.status >= 500 and not read_5xx) or answer.status == 429:
        # Reached the provider; whether it acted before failing is unknown.
        raise ProviderDown(f"{provider} answered {answer.status}", sent=True)
    return answer


def json_of(answer: Answer) -> dict[str, Any]:
    """The body as a JSON object; an empty object when it is not one."""
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
