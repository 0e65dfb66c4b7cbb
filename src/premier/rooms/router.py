from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.kit.ids import PathId
from premier.kit.time import hotel_today
from premier.rooms import service
from premier.rooms.inventory import InventoryCache
from premier.rooms.schemas import (
    Availability,
    RoomCreate,
    RoomOut,
    RoomRateCreate,
    RoomRateOut,
    RoomTypeCreate,
    RoomTypeOut,
    RoomTypeUpdate,
    RoomUpdate,
)

router = APIRouter(prefix="/api/v1/rooms", tags=["rooms"])


async def inventory_cache(request: Request) -> InventoryCache:
    cache: InventoryCache = request.app.state.inventory
    return cache


@router.get("/availability")
@access("room_type", "read")
async def availability(
    inventory: Annotated[InventoryCache, Depends(inventory_cache)],
    settings: AppSettings,
    check_in: date,
    check_out: date,
    guests: Annotated[int, Query(ge=1, le=20)] = 1,
) -> Availability:
    """Room types with a free room for every night of the stay, and their prices."""
    return await service.availability(
        inventory=inventory, check_in=check_in, check_out=check_out, guests=guests,
        today=hotel_today(settings.hotel_timezone),
    )  # fmt: skip


@router.get("/types")
@access("room_type", "read")
async def list_room_types(session: ReadSession) -> list[RoomTypeOut]:
    rows = await service.list_room_types(session=session, include_inactive=False)
    return [RoomTypeOut.model_validate(r) for r in rows]


@router.post("/types", status_code=status.HTTP_201_CREATED)
@access("room_type", "write")
async def create_room_type(
    data: RoomTypeCreate, actor: CurrentActor, session: WriteSession
) -> RoomTypeOut:
    return RoomTypeOut.model_validate(await service.create_room_type(session=session, data=data))


@router.patch("/types/{room_type_id}")
@access("room_type", "write")
async def update_room_type(
    room_type_id: PathId, data: RoomTypeUpdate, actor: CurrentActor, session: WriteSession
) -> RoomTypeOut:
    room_type = await service.update_room_type(
        session=session, room_type_id=room_type_id, data=data
    )
    return RoomTypeOut.model_validate(room_type)


@router.get("/types/{room_type_id}/rates")
@access("room_type", "read")
async def list_rates(room_type_id: PathId, session: ReadSession) -> list[RoomRateOut]:
    rates = await service.list_rates(session=session, room_type_id=room_type_id)
    return [RoomRateOut.model_validate(r) for r in rates]


@router.post("/types/{room_type_id}/rates", status_code=status.HTTP_201_CREATED)
@access("room_type", "write")
async def add_rate(
    room_type_id: PathId, data: RoomRateCreate, actor: CurrentActor, session: WriteSession
) -> RoomRateOut:
    """A seasonal nightly rate; the latest-starting rate covering a night wins."""
    rate = await service.add_rate(session=session, room_type_id=room_type_id, data=data)
    return RoomRateOut.model_validate(rate)


@router.get("")
@access("room", "read")
async def list_rooms(actor: CurrentActor, session: ReadSession) -> list[RoomOut]:
    return [RoomOut.model_validate(r) for r in await service.list_rooms(session=session)]


@router.post("", status_code=status.HTTP_201_CREATED)
@access("room", "write")
async def create_room(data: RoomCreate, actor: CurrentActor, session: WriteSession) -> RoomOut:
    return RoomOut.model_validate(await service.create_room(session=session, data=data))


@router.patch("/{room_id}")
@access("room", "write")
async def update_room(
    room_id: PathId, data: RoomUpdate, actor: CurrentActor, session: WriteSession
) -> RoomOut:
    """Change a room; taking it out of service removes it from availability."""
    room = await service.update_room(session=session, room_id=room_id, data=data)
    return RoomOut.model_validate(room)
