"""Imports every domain's tables so that the metadata (and Alembic) sees all of them."""

from premier.bookings.models import Booking
from premier.db import Base
from premier.orders.models import MenuItem, Order, OrderItem
from premier.payments.models import Payment
from premier.reviews.models import Review
from premier.rooms.models import Room, RoomRate, RoomType
from premier.service_requests.models import ServiceRequest
from premier.users.models import User

__all__ = [
    "Base",
    "Booking",
    "MenuItem",
    "Order",
    "OrderItem",
    "Payment",
    "Review",
    "Room",
    "RoomRate",
    "RoomType",
    "ServiceRequest",
    "User",
]
