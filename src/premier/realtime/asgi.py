"""Hand the realtime socket the server's own ASGI `send`.

The framework wraps `send` once per layer of exception handling, and on a fan-out to
thousands of sockets those wrappers are a measurable share of the cost of every frame.
Event frames therefore go straight to the server's `send`; everything that changes the
socket's state (accept, close) still goes through the framework.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

RAW_SEND = "premier.realtime.raw_send"


class RawSendMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
        await self.app(scope, receive, send)
