from datetime import datetime

from sqlalchemy import LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base
from premier.kit.time import utcnow


class IdempotentRequest(Base):
    """A create request sent with an `Idempotency-Key`, and the answer it got.

    Claimed (`pending`) before the request runs, so a second copy sent at the same moment
    waits its turn instead of creating a second booking; answered (`done`) afterwards, so a
    retry after a lost answer gets the first answer again.
    """

    __tablename__ = "idempotent_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int]
    key: Mapped[str] = mapped_column(String(255))
    # What the key was first used for: the method, path and a hash of the body.
    fingerprint: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    response_status: Mapped[int | None]
    response_type: Mapped[str | None] = mapped_column(String(100))
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answered_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotent_requests_user_key"),)
