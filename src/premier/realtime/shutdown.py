"""Close the realtime sockets with 1001 (going away) before the server closes them.

uvicorn, told to stop (SIGTERM, SIGINT), closes every open WebSocket itself, with 1012
(service restart), and only then runs the application's shutdown, where the hub would have
said 1001. So the app hears the signal first: when uvicorn's own handler is the one
installed, ours replaces it, closes the sockets with the protocol's code, waits a little
for the close frames to go out, then hands the signal on to uvicorn, which stops as it
would have. A second signal is handed on at once (uvicorn's "press again to force quit").

Served some other way, clients may still get the server's own code (1012 from uvicorn run
in-process, 1006 when a proxy drops the connection): the web client resumes on any of them.
"""

import asyncio
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

import structlog
import uvicorn

from premier.realtime.hub import Hub

log = structlog.get_logger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)
CLOSE_WAIT_SECONDS = 3.0


def close_sockets_before_server(hub: Hub, *, close_code: int, reason: str) -> Callable[[], None]:
    """Install the handlers when uvicorn's are in place; returns what puts them back."""
    if threading.current_thread() is not threading.main_thread():
        return _nothing
    previous: dict[int, Any] = {sig: signal.getsignal(sig) for sig in SIGNALS}
    if not all(isinstance(getattr(h, "__self__", None), uvicorn.Server) for h in previous.values()):
        return _nothing  # not served by uvicorn's own signal handling (tests, workers)
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []
    asked: list[int] = []

    async def close_then_hand_on(sig: int, frame: FrameType | None) -> None:
        writers = hub.close_all(close_code=close_code, reason=reason)
        if writers:
            await asyncio.wait(writers, timeout=CLOSE_WAIT_SECONDS)
        log.info("realtime_sockets_closed", sockets=len(writers), code=close_code)
        _hand_on(previous[sig], sig, frame)

    def start_closing(sig: int, frame: FrameType | None) -> None:
        closing.append(loop.create_task(close_then_hand_on(sig, frame)))

    def on_signal(sig: int, frame: FrameType | None) -> None:
        if asked:  # asked again: stop waiting for the sockets
            _hand_on(previous[sig], sig, frame)
            return
        asked.append(sig)
        # A signal handler may run in the middle of the loop's own work: schedule, no more.
        loop.call_soon_threadsafe(start_closing, sig, frame)

    for sig in SIGNALS:
        signal.signal(sig, on_signal)

    def restore() -> None:
        for sig, handler in previous.items():
            if signal.getsignal(sig) is on_signal:
                signal.signal(sig, handler)

    return restore


def _hand_on(handler: Any, sig: int, frame: FrameType | None) -> None:
    if callable(handler):
        handler(sig, frame)


def _nothing() -> None:
    return None
