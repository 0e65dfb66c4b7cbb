"""Demo data for `make run` and `premier seed --demo`: every account uses `premier-demo`."""

from sqlalchemy import delete, func, select, text

from premier.config import Settings
from premier.db import Base, Database
from premier.users import service as users
from premier.users.models import Department, Role, User

DEMO_PASSWORD = "premier-demo"  # noqa: S105 - published demo credential

DEMO_USERS = [
    ("admin@premier.test", "Amina Admin", Role.ADMIN, None, False, "+254700000001"),
    ("manager@premier.test", "Moses Manager", Role.MANAGER, None, False, "+254700000002"),
    ("frontdesk@premier.test", "Faith Frontdesk", Role.STAFF, Department.FRONT_DESK, False,
     "+254700000003"),
    ("kitchen@premier.test", "Kevin Kitchen", Role.STAFF, Department.KITCHEN, False,
     "+254700000004"),
    ("housekeeping@premier.test", "Hawa Housekeeping", Role.STAFF, Department.HOUSEKEEPING,
     False, "+254700000005"),
    ("guest@premier.test", "Grace Guest", Role.GUEST, None, False, "+254711000001"),
    ("vip@premier.test", "Victor Vip", Role.GUEST, None, True, "+254711000002"),
]  # fmt: skip


async def seed_demo_if_empty(*, database: Database, settings: Settings) -> bool:
    async with database.reading() as session:
        if await session.scalar(select(func.count()).select_from(User)):
            return False
    await seed_demo(database=database, settings=settings)
    return True


async def seed_demo(*, database: Database, settings: Settings, reset: bool = False) -> None:
    """Create the demo hotel; with `reset`, wipe every table first."""
    async with database.writing() as session:
        if reset:
            for table in reversed(Base.metadata.sorted_tables):
                if table.name != "alembic_version":
                    await session.execute(delete(table))
        for email, name, role, department, vip, phone in DEMO_USERS:
            await users.create_user(
                session=session, email=email, password=DEMO_PASSWORD, full_name=name,
                role=role, department=department, is_vip=vip, phone=phone,
            )  # fmt: skip
        from premier import seed_hotel

        await seed_hotel.seed_rooms_menu_and_stays(session=session, settings=settings)
        from premier.messaging.demo import seed_conversations

        await seed_conversations(session)
        await session.commit()
    if not database.is_sqlite:
        # Statistics for what was just loaded: without them PostgreSQL probes bookings by
        # date rather than by room until autovacuum next passes (see bookings.repository).
        async with database.writing() as session:
            await session.execute(text("ANALYZE"))
            await session.commit()
