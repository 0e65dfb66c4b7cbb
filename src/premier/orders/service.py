from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from premier.kit.pagination import Page, PageParams, paginate
from premier.orders.models import MenuItem, Order, OrderItem, OrderStatus
from premier.orders.schemas import MAX_QUANTITY, OrderCreate, OrderOut
from premier.rooms.models import Room

NEXT_STATUSES: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    OrderStatus.PLACED: (OrderStatus.PREPARING, OrderStatus.CANCELLED),
    OrderStatus.PREPARING: (OrderStatus.READY, OrderStatus.CANCELLED),
    OrderStatus.READY: (OrderStatus.DELIVERED,),
    OrderStatus.DELIVERED: (),
    OrderStatus.CANCELLED: (),
}


def _event_fields(order: Order) -> dict[str, object]:
    return {
        "order_id": order.id, "guest_id": order.guest_id, "status": order.status,
        "room_number": order.room_number, "total_amount": order.total_amount,
        "currency": order.currency, "booking_id": order.booking_id,
        "charge_to_room": order.charge_to_room,
    }  # fmt: skip


async def _stay_of(*, session: AsyncSession, actor: Actor, data: OrderCreate) -> Booking:
    """The stay the order is delivered to and billed against: a booking checked in now.

    Room service goes only to an occupied room, and a guest's only to a room of theirs,
    so nobody can send a tray (and its bill) to a room someone else is staying in. The
    booking and the room number, when given, narrow which of the actor's stays it is.
    """
    if data.booking_id is not None:
        booking = await session.get(Booking, data.booking_id)
        if booking is None or not access.reaches(
            actor, "order", "create", owner_id=booking.guest_id
        ):
            raise NotFound(f"booking {data.booking_id} not found")
    else:
        booking = await _current_stay(session=session, actor=actor, room_number=data.room_number)
    occupied = booking is not None and booking.status == BookingStatus.CHECKED_IN
    if booking is None or not occupied or data.room_number not in (None, booking.room.number):
        raise Conflict(
            "room service is delivered to a room you are staying in: check in first",
            code="no_current_stay",
            details={"booking_id": data.booking_id, "room_number": data.room_number},
        )
    return booking


async def _current_stay(
    *, session: AsyncSession, actor: Actor, room_number: str | None
) -> Booking | None:
    """The checked-in stay in the room named, or, for a guest, their latest."""
    query = select(Booking).where(Booking.status == BookingStatus.CHECKED_IN)
    if access.scope_of(actor, "order", "create") is access.OWN:
        query = query.where(Booking.guest_id == actor.id)
    elif room_number is None:
        raise InvalidInput("name the booking or the room the order is for")
    if room_number is not None:
        query = query.where(Booking.room.has(Room.number == room_number))
    return await session.scalar(query.order_by(Booking.check_in.desc()).limit(1))


def _check_lines(data: OrderCreate, menu: dict[int, MenuItem]) -> None:
    """Refuse a line the kitchen cannot take, naming the dish, so the guest knows which."""
    unknown = [line.menu_item_id for line in data.items if line.menu_item_id not in menu]
    if unknown:
        raise InvalidInput("some items are not on the menu", details={"menu_item_ids": unknown})
    off = [
        menu[line.menu_item_id] for line in data.items if not menu[line.menu_item_id].is_available
    ]
    if off:
        names = ", ".join(item.name for item in off)
        raise InvalidInput(
            f"{names} {'is' if len(off) == 1 else 'are'} not available today",
            code="unavailable",
            details={"menu_item_ids": [item.id for item in off]},
        )
    for line in data.items:
        if line.quantity > MAX_QUANTITY:
            item = menu[line.menu_item_id]
            raise InvalidInput(
                f"Only {MAX_QUANTITY} of {item.name} can be ordered at once",
                code="too_many",
                details={"menu_item_id": item.id, "max_quantity": MAX_QUANTITY},
            )


async def place_order(*, session: AsyncSession, actor: Actor, data: OrderCreate) -> Order:
    ids = [line.menu_item_id for line in data.items]
    menu = {m.id: m for m in await session.scalars(select(MenuItem).where(MenuItem.id.in_(ids)))}
    _check_lines(data, menu)
    currencies = {m.currency for m in menu.values()}
    if len(currencies) > 1:
        raise InvalidInput("items are priced in different currencies", details=sorted(currencies))
    booking = await _stay_of(session=session, actor=actor, data=data)
    currency = currencies.pop()
    if data.charge_to_room and currency != booking.currency:
        raise InvalidInput(
            f"the room's bill is in {booking.currency} and this order in {currency}: "
            "pay for it now instead",
            code="currency_mismatch",
            details={"order_currency": currency, "bill_currency": booking.currency},
        )
    order = Order(
        guest_id=booking.guest_id,
        booking_id=booking.id,
        room_number=booking.room.number,
        total_amount=sum(menu[line.menu_item_id].price * line.quantity for line in data.items),
        currency=currency,
        notes=data.notes,
        charge_to_room=data.charge_to_room,
        items=[
            OrderItem(menu_item_id=line.menu_item_id, name=menu[line.menu_item_id].name,
                      unit_price=menu[line.menu_item_id].price, quantity=line.quantity)
            for line in data.items
        ],
    )  # fmt: skip
    session.add(order)
    await session.flush()
    await session.refresh(order)
    await events.emit(session, events.OrderCreated(**_event_fields(order)))
    await events.commit(session)
    return order


async def get_order(*, session: AsyncSession, actor: Actor, order_id: int) -> Order:
    """Another guest's order is 'not found', so ids reveal nothing."""
    order = await session.get(Order, order_id)
    if order is None or not access.reaches(actor, "order", "read", owner_id=order.guest_id):
        raise NotFound(f"order {order_id} not found")
    return order


async def list_orders(
    *, session: AsyncSession, actor: Actor, status: OrderStatus | None, page: PageParams
) -> Page[OrderOut]:
    query = select(Order)
    if access.scope_of(actor, "order", "read") is access.OWN:
        query = query.where(Order.guest_id == actor.id)
    if status is not None:
        query = query.where(Order.status == status)
    return await paginate(
        session, query.order_by(Order.created_at.desc(), Order.id.desc()), page, OrderOut.of
    )


async def change_status(
    *, session: AsyncSession, actor: Actor, order_id: int, status: OrderStatus
) -> Order:
    """The kitchen moves orders along; a guest may only cancel one not yet started."""
    order = await get_order(session=session, actor=actor, order_id=order_id)
    if not access.reaches(actor, "order", "update", owner_id=order.guest_id):
        raise NotFound(f"order {order_id} not found")
    if access.scope_of(actor, "order", "update") is access.OWN:
        if status != OrderStatus.CANCELLED:
            raise PermissionDenied("only the kitchen moves orders along")
        if order.status != OrderStatus.PLACED:
            raise Conflict("the kitchen has started this order; ask the front desk")
    if status not in NEXT_STATUSES[order.status]:
        raise Conflict(
            f"an order that is {order.status} cannot become {status}",
            details={"status": order.status, "allowed": list(NEXT_STATUSES[order.status])},
        )
    previous = order.status
    order.status = status
    order.updated_by_id = actor.id
    await events.emit(
        session,
        events.OrderStatusChanged(**_event_fields(order), previous_status=previous),
    )
    await events.commit(session)
    return order


async def guest_of_order(session: AsyncSession, order_id: int) -> int | None:
    """Whose order `order_id` is (its realtime channel's owner), if it exists."""
    return await session.scalar(select(Order.guest_id).where(Order.id == order_id))
