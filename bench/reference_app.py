"""The real app plus three reference endpoints, so one server process serves both sides of
the comparison: a bare JSON answer, a one-row primary-key read and a one-row INSERT (into a
table only the benchmark has) committed through the same write path as a booking."""

from fastapi import APIRouter
from sqlalchemy import text

from premier.app import create_app, freeze_long_lived_objects
from premier.deps import ReadSession, WriteSession
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


@reference.post("/bench/insert", status_code=201)
async def one_insert(session: WriteSession) -> dict[str, object]:
    row_id = await session.scalar(
        text("INSERT INTO bench_inserts (note) VALUES ('bench') RETURNING id")
    )
    await session.commit()
    return {"id": row_id}


# Ahead of the web UI's catch-all route.
app.router.routes[:0] = reference.routes
freeze_long_lived_objects()  # as premier.main does
