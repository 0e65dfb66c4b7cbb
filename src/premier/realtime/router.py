"""`WS /api/v1/ws/{user_id}` and `WS /api/v1/ws`: see protocol.py for the frames."""

from fastapi import WebSocket

from premier.auth.access import access
from premier.http.routing import Router
from premier.realtime.session import serve_socket

router = Router(tags=["realtime"])


@router.websocket("/api/v1/ws")
@access("realtime", "connect")
async def realtime_socket(websocket: WebSocket) -> None:
    await _serve(websocket, user_id=None)


@router.websocket("/api/v1/ws/{user_id}")
@access("realtime", "connect")
async def realtime_user_socket(websocket: WebSocket, user_id: int) -> None:
    await _serve(websocket, user_id=user_id)


async def _serve(websocket: WebSocket, *, user_id: int | None) -> None:
    state = websocket.app.state
    await serve_socket(
        websocket, hub=state.realtime, database=state.database, settings=state.settings,
        user_id=user_id,
    )  # fmt: skip
