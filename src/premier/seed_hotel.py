"""Demo rooms, menu, stays and orders, laid out around today so every screen has something."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.bookings.models import Booking, BookingStatus, new_reference
from premier.config import Settings
from premier.kit.time import hotel_today, utcnow
from premier.orders.models import MenuItem, Order, OrderItem, OrderStatus
from premier.payments.initiate import new_reference as new_payment_reference
from premier.payments.models import Payment, PaymentMethod, PaymentStatus
from premier.rooms.models import Room, RoomType
from premier.service_requests.models import Priority, RequestKind, ServiceRequest
from premier.users.models import User

ROOM_TYPES = [
    # code, name, capacity, nightly rate (minor units), amenities, room numbers
    ("SGL", "Single Garden Room", 1, 600_000, ["wifi", "garden view", "shower"],
     ["111", "112"]),
    ("STD", "Standard Queen", 2, 850_000, ["wifi", "queen bed", "work desk"],
     ["101", "102", "103", "104", "105", "106"]),
    ("DLX", "Deluxe King", 2, 1_250_000, ["wifi", "king bed", "lake view", "bathtub"],
     ["201", "202", "203", "204"]),
    ("STE", "Family Suite", 4, 2_200_000, ["wifi", "two bedrooms", "lounge", "kitchenette"],
     ["301", "302"]),
]  # fmt: skip

DESCRIPTIONS = {
    "SGL": "A quiet room for one, opening onto the garden.",
    "STD": "Our classic room: a queen bed, a desk and everything you need.",
    "DLX": "A spacious king room with a view over the lake and a deep bathtub.",
    "STE": "Two bedrooms and a lounge for families or longer stays.",
}

MENU = [
    ("Breakfast", "Full Kenyan Breakfast", "Eggs, sausages, mandazi, fruit and chai", 120_000),
    ("Breakfast", "Pancake Stack", "With honey, berries and cream", 90_000),
    ("Mains", "Nyama Choma Platter", "Grilled goat, kachumbari and ugali", 180_000),
    ("Mains", "Grilled Tilapia", "Whole lake fish with coconut rice", 165_000),
    ("Mains", "Vegetable Curry", "Seasonal vegetables, chapati", 110_000),
    ("Mains", "Club Sandwich", "Chicken, bacon, egg, fries", 95_000),
    ("Desserts", "Chocolate Fondant", "Warm, with vanilla ice cream", 70_000),
    ("Desserts", "Fruit Salad", "Mango, pineapple, passion fruit", 50_000),
    ("Drinks", "Kenyan Coffee", "Freshly brewed AA", 35_000),
    ("Drinks", "Fresh Passion Juice", "Pressed this morning", 40_000),
    ("Drinks", "Dawa Cocktail", "Vodka, lime, honey", 75_000),
]


async def seed_rooms_menu_and_stays(*, session: AsyncSession, settings: Settings) -> None:
    currency = settings.hotel_currency
    rooms: dict[str, list[Room]] = {}
    types: dict[str, RoomType] = {}
    for code, name, capacity, rate, amenities, numbers in ROOM_TYPES:
        room_type = RoomType(
            code=code, name=name, description=DESCRIPTIONS[code], capacity=capacity,
            base_rate=rate, currency=currency, image_urls=[], amenities=amenities,
        )  # fmt: skip
        session.add(room_type)
        await session.flush()
        types[code] = room_type
        rooms[code] = []
        for number in numbers:
            room = Room(number=number, floor=int(number[0]), room_type_id=room_type.id)
            session.add(room)
            rooms[code].append(room)
    menu = [
        MenuItem(name=name, description=text, category=category, price=price, currency=currency)
        for category, name, text, price in MENU
    ]
    session.add_all(menu)
    await session.flush()

    users = {u.email: u for u in await session.scalars(select(User))}
    guest, vip = users["guest@premier.test"], users["vip@premier.test"]
    desk = users["frontdesk@premier.test"]
    today = hotel_today(settings.hotel_timezone)

    def stay(
        user: User, code: str, room: int, start: int, nights: int, status: BookingStatus
    ) -> Booking:
        room_type = types[code]
        return Booking(
            reference=new_reference(), guest_id=user.id, room_id=rooms[code][room].id,
            room_type_id=room_type.id, check_in=today + timedelta(days=start),
            check_out=today + timedelta(days=start + nights), guests=1, status=status,
            total_amount=room_type.base_rate * nights, currency=currency,
            created_by_id=desk.id,
            checked_in_at=utcnow() if status == BookingStatus.CHECKED_IN else None,
        )  # fmt: skip

    vip_stay = stay(vip, "STE", 0, -1, 4, BookingStatus.CHECKED_IN)
    past_stay = stay(guest, "STD", 0, -10, 3, BookingStatus.CHECKED_OUT)
    session.add_all(
        [
            # Staying now, so the demo guest can order room service to their room.
            stay(guest, "DLX", 0, -1, 3, BookingStatus.CHECKED_IN),
            past_stay,
            stay(guest, "STD", 1, 14, 5, BookingStatus.PENDING),
            vip_stay,
            stay(vip, "DLX", 1, -3, 3, BookingStatus.CHECKED_IN),
        ]
    )
    await session.flush()
    # The past stay's bill was settled in cash at check-out, as check-out requires.
    session.add(
        Payment(
            reference=new_payment_reference(),
            payer_id=guest.id,
            booking_id=past_stay.id,
            amount=past_stay.total_amount,
            currency=currency,
            method=PaymentMethod.CASH,
            provider="cash",
            status=PaymentStatus.SUCCEEDED,
            recorded_by_id=desk.id,
            settled_at=utcnow(),
        )
    )
    breakfast, coffee = menu[0], menu[8]
    session.add(
        Order(
            guest_id=vip.id,
            booking_id=vip_stay.id,
            room_number=rooms["STE"][0].number,
            status=OrderStatus.PREPARING,
            currency=currency,
            total_amount=breakfast.price + 2 * coffee.price,
            notes="No sugar, please",
            items=[
                OrderItem(
                    menu_item_id=breakfast.id,
                    name=breakfast.name,
                    unit_price=breakfast.price,
                    quantity=1,
                ),
                OrderItem(
                    menu_item_id=coffee.id, name=coffee.name, unit_price=coffee.price, quantity=2
                ),
            ],
        )
    )
    session.add(
        ServiceRequest(
            guest_id=vip.id,
            booking_id=vip_stay.id,
            room_number=rooms["STE"][0].number,
            kind=RequestKind.HOUSEKEEPING,
            description="Extra towels and pillows, please",
            priority=Priority.NORMAL,
        )
    )
