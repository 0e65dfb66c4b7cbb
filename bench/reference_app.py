"""The real app plus two reference endpoints, so one server process serves both sides of
the comparison: a bare JSON answer and a one-row primary-key read."""

from fastapi import APIRouter

from premier.app import create_app
from premier.deps import ReadSession
from premier.rooms.models import RoomType

app = create_app()
reference = APIRouter()


@reference.get("/bench/json")
async def bare_json() -> dict[str, str]:
    return {"status": "ok"}


@reference.get("/bench/room-type/{room_type_id}")
async def primary_key_read(room_type_id: int, session: ReadSession) -> dict[str, object]:
    room_type = await session.get(RoomType, room_type_id)
    return {"id": room_type.id, "name": room_type.name} if room_type else {}


# Ahead of the web UI's catch-all route.
app.router.routes[:0] = reference.routes
