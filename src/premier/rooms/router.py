from typing import Annotated

from fastapi import Depends, Query, Request, Response, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import AppSettings, Images, ReadSession, WriteSession
from premier.http.openapi import replayed
from premier.http.routing import Router
from premier.kit.ids import PathId
from premier.kit.input import QueryDate
from premier.kit.time import hotel_today
from premier.rooms import gallery, housekeeping, service
from premier.rooms.inventory import InventoryCache
from premier.rooms.schemas import (
    Availability,
    OutOfService,
    RoomBoardEntry,
    RoomCreate,
    RoomOut,
    RoomRateCreate,
    RoomRateOut,
    RoomRateUpdate,
    RoomTypeCreate,
    RoomTypeGallery,
    RoomTypeOut,
    RoomTypeUpdate,
    RoomUpdate,
)

router = Router(prefix="/api/v1/rooms", tags=["rooms"])


async def inventory_cache(request: Request) -> InventoryCache:
    cache: InventoryCache = request.app.state.inventory
    return cache


@router.get("/availability")
@access("room_type", "read")
async def availability(
    inventory: Annotated[InventoryCache, Depends(inventory_cache)],
    settings: AppSettings,
    session: ReadSession,
    images: Images,
    check_in: QueryDate,
    check_out: QueryDate,
    guests: Annotated[int, Query(ge=1, le=20)] = 1,
) -> Availability:
    """Room types with a free room for every night of the stay, their prices and photos."""
    return await service.availability(
        inventory=inventory, session=session, images=images, check_in=check_in,
        check_out=check_out, guests=guests, today=hotel_today(settings.hotel_timezone),
    )  # fmt: skip


@router.get("/types")
@access("room_type", "read")
async def list_room_types(session: ReadSession, images: Images) -> list[RoomTypeOut]:
    rows = await service.list_room_types(session=session, include_inactive=False)
    return await gallery.with_galleries(
        session=session, images=images, room_types=[RoomTypeOut.model_validate(r) for r in rows]
    )


@router.get("/types/all")
@access("room_type", "manage")
async def list_all_room_types(session: ReadSession, images: Images) -> list[RoomTypeOut]:
    """Every room type, those withdrawn from sale too, for the people who manage them."""
    rows = await service.list_room_types(session=session, include_inactive=True)
    return await gallery.with_galleries(
        session=session, images=images, room_types=[RoomTypeOut.model_validate(r) for r in rows]
    )


@router.post("/types", status_code=status.HTTP_201_CREATED, responses=replayed(RoomTypeOut))
@access("room_type", "write")
async def create_room_type(
    data: RoomTypeCreate,
    actor: CurrentActor,
    session: WriteSession,
    images: Images,
    response: Response,
) -> RoomTypeOut:
    """Sent again, the same type answers 200 with the one already made."""
    room_type, created = await service.create_room_type(session=session, actor=actor, data=data)
    if not created:
        response.status_code = status.HTTP_200_OK
    return await gallery.room_type_out(session=session, images=images, room_type=room_type)


@router.patch("/types/{room_type_id}")
@access("room_type", "write")
async def update_room_type(
    room_type_id: PathId,
    data: RoomTypeUpdate,
    actor: CurrentActor,
    session: WriteSession,
    images: Images,
) -> RoomTypeOut:
    room_type = await service.update_room_type(
        session=session, actor=actor, room_type_id=room_type_id, data=data
    )
    return await gallery.room_type_out(session=session, images=images, room_type=room_type)


@router.put("/types/{room_type_id}/gallery")
@access("room_type", "write")
async def set_gallery(
    room_type_id: PathId,
    data: RoomTypeGallery,
    actor: CurrentActor,
    session: WriteSession,
    images: Images,
) -> RoomTypeOut:
    """The gallery becomes these uploads, in this order (photos left out are removed)."""
    room_type = await gallery.set_gallery(
        session=session, images=images, actor=actor, room_type_id=room_type_id, data=data
    )
    return await gallery.room_type_out(session=session, images=images, room_type=room_type)


@router.get("/types/{room_type_id}/rates")
@access("room_type", "read")
async def list_rates(room_type_id: PathId, session: ReadSession) -> list[RoomRateOut]:
    rates = await service.list_rates(session=session, room_type_id=room_type_id)
    return [RoomRateOut.model_validate(r) for r in rates]


@router.post(
    "/types/{room_type_id}/rates",
    status_code=status.HTTP_201_CREATED,
    responses=replayed(RoomRateOut),
)
@access("room_type", "write")
async def add_rate(
    room_type_id: PathId,
    data: RoomRateCreate,
    actor: CurrentActor,
    session: WriteSession,
    response: Response,
) -> RoomRateOut:
    """A seasonal nightly rate; the latest-starting rate covering a night wins. The same
    rate sent again answers 200 with the one already there."""
    rate, created = await service.add_rate(
        session=session, actor=actor, room_type_id=room_type_id, data=data
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return RoomRateOut.model_validate(rate)


@router.patch("/rates/{rate_id}")
@access("room_type", "write")
async def update_rate(
    rate_id: PathId, data: RoomRateUpdate, actor: CurrentActor, session: WriteSession
) -> RoomRateOut:
    rate = await service.update_rate(session=session, actor=actor, rate_id=rate_id, data=data)
    return RoomRateOut.model_validate(rate)


@router.delete("/rates/{rate_id}", status_code=status.HTTP_204_NO_CONTENT)
@access("room_type", "write")
async def delete_rate(rate_id: PathId, actor: CurrentActor, session: WriteSession) -> None:
    """The nights it covered go back to the base rate."""
    await service.delete_rate(session=session, rate_id=rate_id)


@router.get("")
@access("room", "read")
async def list_rooms(actor: CurrentActor, session: ReadSession) -> list[RoomOut]:
    return [RoomOut.model_validate(r) for r in await service.list_rooms(session=session)]


@router.get("/status")
@access("room_status", "read")
async def room_status_board(session: ReadSession, settings: AppSettings) -> list[RoomBoardEntry]:
    """Every room: vacant and clean, vacant and dirty, occupied or out of service, with
    today's arrival (and whether its room is ready) and whether its guest leaves today."""
    return await housekeeping.board(session=session, today=hotel_today(settings.hotel_timezone))


async def _board_entry(
    session: WriteSession, settings: AppSettings, room_id: int
) -> RoomBoardEntry:
    entries = await housekeeping.board(session=session, today=hotel_today(settings.hotel_timezone))
    return next(e for e in entries if e.room_id == room_id)


@router.post("/{room_id}/clean")
@access("room_status", "clean")
async def mark_room_clean(
    room_id: PathId, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> RoomBoardEntry:
    """Housekeeping finished the room: it is ready for its next guest, and its open
    departure-cleaning tasks are done."""
    await housekeeping.mark_clean(session=session, actor=actor, room_id=room_id)
    return await _board_entry(session, settings, room_id)


@router.post("/{room_id}/out-of-service")
@access("room_status", "set_out_of_service")
async def take_room_out_of_service(
    room_id: PathId,
    data: OutOfService,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
) -> RoomBoardEntry:
    """Out of service, with the reason the board shows; the room leaves availability."""
    await housekeeping.take_out_of_service(
        session=session, actor=actor, room_id=room_id, reason=data.reason
    )
    return await _board_entry(session, settings, room_id)


@router.delete("/{room_id}/out-of-service")
@access("room_status", "set_out_of_service")
async def return_room_to_service(
    room_id: PathId, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> RoomBoardEntry:
    """Back in service and in availability."""
    await housekeeping.return_to_service(session=session, actor=actor, room_id=room_id)
    return await _board_entry(session, settings, room_id)


@router.post("", status_code=status.HTTP_201_CREATED, responses=replayed(RoomOut))
@access("room", "write")
async def create_room(
    data: RoomCreate, actor: CurrentActor, session: WriteSession, response: Response
) -> RoomOut:
    """The same room sent again answers 200 with the one already made."""
    room, created = await service.create_room(session=session, actor=actor, data=data)
    if not created:
        response.status_code = status.HTTP_200_OK
    return RoomOut.model_validate(room)


@router.patch("/{room_id}")
@access("room", "write")
async def update_room(
    room_id: PathId, data: RoomUpdate, actor: CurrentActor, session: WriteSession
) -> RoomOut:
    """Change a room; taking it out of service removes it from availability."""
    room = await service.update_room(session=session, actor=actor, room_id=room_id, data=data)
    return RoomOut.model_validate(room)
