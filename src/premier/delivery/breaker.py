"""Circuit breakers per provider and an ordered failover list over them.

A breaker opens after `threshold` consecutive transient failures; while open its provider
is skipped and the next one in the list takes the traffic. After `open_seconds` it
half-opens: one probe is let through; success closes it, failure opens it again.
"""

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass
class CircuitBreaker:
    name: str
    threshold: int = 5
    open_seconds: float = 30.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False

    @property
    def state(self) -> BreakerState:
        if self.opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self.opened_at >= self.open_seconds:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        state = self.state
        if state == BreakerState.CLOSED:
            return True
        if state == BreakerState.HALF_OPEN and not self.probing:
            self.probing = True
            return True
        return False

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self.probing = False

    def record_failure(self) -> None:
        self.failures += 1
        if self.probing or self.failures >= self.threshold:
            self.opened_at = self.clock()
        self.probing = False


P = TypeVar("P")


@dataclass
class Failover(Generic[P]):
    """Providers in order of preference, each behind its own breaker."""

    providers: Sequence[tuple[str, P]]
    threshold: int = 5
    open_seconds: float = 30.0
    breakers: dict[str, CircuitBreaker] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, _ in self.providers:
            self.breakers.setdefault(name, CircuitBreaker(name, self.threshold, self.open_seconds))

    def candidates(self) -> Iterator[tuple[str, P]]:
        """Providers to try, in order, for one message; open breakers are skipped.

        Lazy on purpose: a half-open breaker hands out its single probe only when the caller
        really tries that provider, and the caller must then report the result."""
        for name, provider in self.providers:
            if self.breakers[name].allow():
                yield name, provider

    def states(self) -> dict[str, str]:
        return {name: self.breakers[name].state.value for name, _ in self.providers}
