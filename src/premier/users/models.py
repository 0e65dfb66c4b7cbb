from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Audited, Base, Timestamped


class Role(StrEnum):
    GUEST = "guest"
    STAFF = "staff"
    MANAGER = "manager"
    ADMIN = "admin"


class Department(StrEnum):
    FRONT_DESK = "front_desk"
    KITCHEN = "kitchen"
    HOUSEKEEPING = "housekeeping"
    MAINTENANCE = "maintenance"
    CONCIERGE = "concierge"


class User(Audited, Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[Role] = mapped_column(String(16), default=Role.GUEST)
    department: Mapped[Department | None] = mapped_column(String(32))
    is_vip: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    # The profile picture: an upload of the account's own (purpose `avatar`).
    avatar_upload_id: Mapped[int | None] = mapped_column(default=None)
    # Unused since sign-in throttling moved to auth_attempts; dropping a column rewrites the
    # whole table on SQLite, so they stay.
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    # Bumped on password change so every token issued before it stops working.
    token_version: Mapped[int] = mapped_column(default=0)

    @property
    def is_staff_member(self) -> bool:
        return self.role in (Role.STAFF, Role.MANAGER, Role.ADMIN)
