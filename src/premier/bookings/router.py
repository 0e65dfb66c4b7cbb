from typing import Annotated

from fastapi import Depends, Query, Request, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.bookings import overview, service, stay
from premier.bookings.models import BookingStatus
from premier.bookings.overview import BookingOverview
from premier.bookings.schemas import (
    BookingCancel,
    BookingCreate,
    BookingFilters,
    BookingOut,
    CheckOut,
    EarlyDeparture,
    RoomMove,
    StayChangeAsked,
    StayChangeOut,
    StayExtension,
)
from premier.bookings.service import BookingWriter
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.http.routing import Router
from premier.kit.ids import PathId, QueryId
from premier.kit.input import QueryDate
from premier.kit.pagination import Page, PageParams, page_params
from premier.kit.time import hotel_today

router = Router(prefix="/api/v1/bookings", tags=["bookings"])


async def booking_filters(
    status: BookingStatus | None = None,
    guest_id: QueryId = None,
    arriving_on: QueryDate | None = None,
    departing_on: QueryDate | None = None,
    staying_on: QueryDate | None = None,
    room_type_id: QueryId = None,
    q: Annotated[
        str | None,
        Query(
            min_length=2,
            max_length=100,
            description="a reference, or part of the guest's name, email or phone number",
        ),
    ] = None,
) -> BookingFilters:
    return BookingFilters(
        status=status, guest_id=guest_id, arriving_on=arriving_on, departing_on=departing_on,
        staying_on=staying_on, room_type_id=room_type_id, q=q,
    )  # fmt: skip


async def booking_writer(request: Request) -> BookingWriter:
    writer: BookingWriter = request.app.state.booking_writer
    return writer


@router.post("", status_code=status.HTTP_201_CREATED)
@access("booking", "create")
async def create_booking(
    data: BookingCreate,
    actor: CurrentActor,
    writer: Annotated[BookingWriter, Depends(booking_writer)],
    settings: AppSettings,
) -> BookingOut:
    return await service.create_booking(
        writer=writer, actor=actor, data=data, today=hotel_today(settings.hotel_timezone),
        max_pending=settings.booking_max_pending_per_guest,
    )  # fmt: skip


@router.get("")
@access("booking", "read")
async def list_bookings(
    actor: CurrentActor,
    session: ReadSession,
    filters: Annotated[BookingFilters, Depends(booking_filters)],
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[BookingOut]:
    """Guests see their own bookings; staff see every booking."""
    return await service.list_bookings(session=session, actor=actor, filters=filters, page=page)


@router.get("/{booking_id}")
@access("booking", "read")
async def get_booking(booking_id: PathId, actor: CurrentActor, session: ReadSession) -> BookingOut:
    booking = await service.get_booking(session=session, actor=actor, booking_id=booking_id)
    return BookingOut.of(booking)


@router.get("/{booking_id}/overview")
@access("booking", "read")
async def booking_overview(
    booking_id: PathId, actor: CurrentActor, session: ReadSession
) -> BookingOverview:
    """The booking's page in one answer: the stay, its guest, and its payments, service
    requests, conversations and history, each as far as you may read it (null: not at all)."""
    return await overview.overview(session=session, actor=actor, booking_id=booking_id)


async def _change(
    action: str, booking_id: int, actor: CurrentActor, session: WriteSession,
    settings: AppSettings, reason: str = "",
) -> BookingOut:  # fmt: skip
    booking = await service.change_status(
        session=session, actor=actor, booking_id=booking_id, action=action,
        today=hotel_today(settings.hotel_timezone), reason=reason,
    )  # fmt: skip
    return BookingOut.of(booking)


@router.post("/{booking_id}/confirm")
@access("booking", "move")
async def confirm(
    booking_id: PathId, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> BookingOut:
    return await _change("confirm", booking_id, actor, session, settings)


@router.post("/{booking_id}/cancel")
@access("booking", "cancel")
async def cancel(
    booking_id: PathId,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
    data: BookingCancel | None = None,
) -> BookingOut:
    """Guests cancel their own bookings before arrival; the front desk any."""
    reason = data.reason if data else ""
    return await _change("cancel", booking_id, actor, session, settings, reason)


@router.post("/{booking_id}/check-in")
@access("booking", "move")
async def check_in(
    booking_id: PathId, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> BookingOut:
    return await _change("check_in", booking_id, actor, session, settings)


@router.post(
    "/{booking_id}/check-out",
    responses={409: {"description": "Money is still due on the stay's folio."}},
)
@access("booking", "move")
async def check_out(
    booking_id: PathId,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
    data: CheckOut | None = None,
) -> BookingOut:
    """Check the guest out once their folio is settled; with money still due, a manager
    may check them out anyway by giving the reason (kept with the amount left open)."""
    booking = await service.change_status(
        session=session, actor=actor, booking_id=booking_id, action="check_out",
        today=hotel_today(settings.hotel_timezone),
        override_reason=data.override_reason if data else None,
    )  # fmt: skip
    return BookingOut.of(booking)


# --- changes to a stay (premier.bookings.stay): each re-priced, each can be previewed -----


@router.post("/{booking_id}/move")
@access("booking", "change_room")
async def move_room(
    booking_id: PathId,
    data: RoomMove,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
) -> StayChangeOut:
    """The same dates in another room (a guest already in moves from today on)."""
    return await stay.move_room(
        session=session, actor=actor, booking_id=booking_id, room_id=data.room_id,
        today=hotel_today(settings.hotel_timezone), preview=data.preview,
    )  # fmt: skip


@router.post("/{booking_id}/extend")
@access("booking", "extend")
async def extend_stay(
    booking_id: PathId,
    data: StayExtension,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
) -> StayChangeOut:
    """A later check-out in the same room, if nobody has it booked for the added nights."""
    return await stay.extend_stay(
        session=session, actor=actor, booking_id=booking_id, check_out=data.check_out,
        today=hotel_today(settings.hotel_timezone), preview=data.preview,
    )  # fmt: skip


@router.post("/{booking_id}/early-departure")
@access("booking", "depart_early")
async def depart_early(
    booking_id: PathId,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
    data: EarlyDeparture | None = None,
) -> StayChangeOut:
    """Check out today, before the booked last night; the nights not stayed come off. Like
    any check-out, it waits for the folio to be settled at the new total."""
    return await stay.depart_early(
        session=session, actor=actor, booking_id=booking_id,
        today=hotel_today(settings.hotel_timezone), preview=bool(data and data.preview),
        override_reason=data.override_reason if data else None,
    )  # fmt: skip


@router.post("/{booking_id}/no-show")
@access("booking", "no_show")
async def mark_no_show(
    booking_id: PathId,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
    data: StayChangeAsked | None = None,
) -> StayChangeOut:
    """A confirmed guest whose arrival day has passed never came: the room is free again and
    only the first night is charged."""
    return await stay.mark_no_show(
        session=session, actor=actor, booking_id=booking_id,
        today=hotel_today(settings.hotel_timezone), preview=bool(data and data.preview),
    )  # fmt: skip
