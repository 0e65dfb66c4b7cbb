"""Demo rooms, menu, bookings and orders (filled in as those domains land)."""

from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings


async def seed_rooms_menu_and_stays(*, session: AsyncSession, settings: Settings) -> None:
    return None
