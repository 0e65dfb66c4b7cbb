"""What the fake email providers share: canned outages, slowness and a record of sends."""

import asyncio
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response


@dataclass
class FakeBehaviour:
    # Canned failures answered (in order) before normal service resumes: (status, headers, body).
    outages: list[tuple[int, dict[str, str], Any]] = field(default_factory=list)
    down: bool = False  # every request answers 503
    # Go down after letting this many requests through (counted as they are let in, so
    # concurrent requests cannot slip past the limit while earlier ones are being read).
    fail_after: int | None = None
    delay_seconds: float = 0.0
    # Recipients whose mail is accepted but answered with a 2xx body lacking the message id.
    malformed_to: set[str] = field(default_factory=set)
    requests: int = 0
    let_through: int = 0
    accepted: list[dict[str, Any]] = field(default_factory=list)

    async def interfere(self, error: Any) -> Response | None:
        """A canned failure for this request, or None to serve it normally."""
        self.requests += 1
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.fail_after is not None and self.let_through >= self.fail_after:
            self.down = True
        if self.down:
            return error(503, {}, "service unavailable")  # type: ignore[no-any-return]
        if self.outages:
            status, headers, body = self.outages.pop(0)
            return error(status, headers, body)  # type: ignore[no-any-return]
        self.let_through += 1
        return None
