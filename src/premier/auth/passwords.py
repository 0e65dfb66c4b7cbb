"""Argon2id password hashing, off the event loop.

A hash or a check costs tens of milliseconds of CPU on purpose. Run on the event loop, a
handful of parallel sign-ins would hold every other request of the process for that long, so
each runs on a worker thread (argon2 releases the GIL), and at most `concurrency` at once so
sign-ins cannot take every core from the requests that do not hash.
"""

import asyncio
import weakref

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("premier-timing-equaliser")


class _HashingSlots:
    """A semaphore per event loop (tests run one loop each; a semaphore binds to one)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._by_loop = weakref.WeakKeyDictionary()

    def semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        slots = self._by_loop.get(loop)
        if slots is None:
            slots = self._by_loop[loop] = asyncio.Semaphore(self.size)
        return slots

    def resize(self, size: int) -> None:
        self.size = size
        self._by_loop = weakref.WeakKeyDictionary()


_slots = _HashingSlots(2)


def set_concurrency(size: int) -> None:
    """How many hashes may run at once in this process (from settings, at start-up)."""
    _slots.resize(size)


def hash_password_now(password: str) -> str:
    """On the calling thread: for scripts and seeding, never from a request."""
    return _hasher.hash(password)


def _verify_now(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    async with _slots.semaphore():
        return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an unknown account (None) costs as long as a miss."""
    async with _slots.semaphore():
        return await asyncio.to_thread(_verify_now, password_hash, password)
