"""Imports every domain's tables so that the metadata (and Alembic) sees all of them."""

from premier.bookings.models import Booking
from premier.db import Base
from premier.rooms.models import Room, RoomRate, RoomType
from premier.users.models import User

__all__ = ["Base", "Booking", "Room", "RoomRate", "RoomType", "User"]
