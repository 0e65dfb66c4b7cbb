"""The two ways a provider can fail to take a message, for every channel.

A provider's `send` either returns what it accepted or raises one of these:
- `PermanentFailure`: this message will never go out as it is (invalid number, refused
  address, rejected content). The row fails at once with the reason; the provider is
  healthy, so its circuit breaker counts a success.
- `TransientFailure`: this provider could not take it now (timeouts, refused connections,
  429, 5xx, bad credentials of this provider). Retried later with back-off, or handed to
  the next provider at once unless `ambiguous`.
"""

from email.utils import parsedate_to_datetime

import aiohttp

from premier.kit.time import utcnow


class DeliveryFailure(Exception):
    def __init__(
        self,
        provider: str,
        reason: str,
        *,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        message = f"{provider}: {reason}" if provider else reason
        message += f" (code {code})" if code else ""
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.reason = reason
        self.code = code
        self.status = status


class PermanentFailure(DeliveryFailure):
    """The message cannot be sent as it is; retrying, here or elsewhere, will not help."""


class TransientFailure(DeliveryFailure):
    """This provider could not take the message now; retry later or fail over."""

    def __init__(
        self,
        provider: str,
        reason: str,
        *,
        code: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(provider, reason, code=code, status=status)
        self.retry_after = retry_after
        # The request may have reached the provider (it timed out after being sent): the
        # message may be on its way, so it must not go to the next provider at once, or the
        # person could get (and the hotel pay for) two.
        self.ambiguous = ambiguous


# Failures that leave nothing on the wire: no connection was made (refused, DNS, TLS
# handshake, or no free or new connection in time), or the URL could not be used at all.
NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError, aiohttp.InvalidURL)


def transport_failure(
    provider: str, exc: BaseException, *, sent: bool | None = None
) -> TransientFailure:
    """A failure to talk to the provider at all; ambiguous unless the request never left.

    Anything after a connection was made (a timeout waiting for the answer, the server
    hanging up, a broken body) may have reached the provider. `sent` is what the caller
    saw (`premier.delivery.http` knows whether the request had a connection to go out on);
    without it the kind of error decides, which cannot tell a time limit that ran out while
    connecting from one that ran out while waiting for the answer."""
    if sent is None:
        sent = not isinstance(exc, NOT_SENT)
    if isinstance(exc, TimeoutError) and not str(exc):
        # aiohttp's overall time limit raises a bare TimeoutError, which says nothing.
        reason = "timed out waiting for the answer" if sent else "timed out before connecting"
    else:
        reason = f"request failed: {exc!r}" if sent else f"request not sent: {exc!r}"
    return TransientFailure(provider, reason, ambiguous=sent)


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header, in seconds or as an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - utcnow()).total_seconds())
    except (TypeError, ValueError):
        return None
