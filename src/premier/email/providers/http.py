"""The HTTP client for provider APIs: one pooled aiohttp session per provider.

aiohttp rather than httpx: measured here (bench/http_client.py) httpx's client falls behind
badly under concurrency while aiohttp keeps up with the fake provider.
"""

from typing import Any

import aiohttp

from premier.email.providers.base import PermanentError, TransientError, parse_retry_after

RETRYABLE = {408, 409, 425, 429, 500, 502, 503, 504}
# Account or configuration problems: the message is fine, this provider is not (fail over).
PROVIDER_SIDE = {401, 403, 404}


class ProviderHttp:
    def __init__(self, *, timeout_seconds: float, connections: int = 64) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)
        return self._session

    async def request(
        self, method: str, url: str, *, provider: str, **kwargs: Any
    ) -> tuple[int, dict[str, str], bytes]:
        """Send; return (status, headers, body) for 2xx, raise Transient/PermanentError else."""
        try:
            async with self.session().request(method, url, **kwargs) as response:
                body = await response.read()
                headers = {k.lower(): v for k, v in response.headers.items()}
                status = response.status
        except TimeoutError as exc:
            # The provider may have accepted it before we gave up waiting.
            raise TransientError(f"{provider}: timed out", ambiguous=True) from exc
        except aiohttp.ClientConnectorError as exc:
            raise TransientError(f"{provider}: cannot connect: {exc}") from exc
        except aiohttp.ClientError as exc:
            raise TransientError(
                f"{provider}: {type(exc).__name__}: {exc}", ambiguous=True
            ) from exc
        if 200 <= status < 300:
            return status, headers, body
        detail = body[:500].decode("utf-8", "replace")
        kind = headers.get("x-amzn-errortype", "").partition(":")[0]
        message = f"{provider}: HTTP {status}{' ' + kind if kind else ''}: {detail}"
        if status in RETRYABLE or status >= 500 or status in PROVIDER_SIDE:
            raise TransientError(
                message, status=status, retry_after=parse_retry_after(headers.get("retry-after"))
            )
        raise PermanentError(message, status=status)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
