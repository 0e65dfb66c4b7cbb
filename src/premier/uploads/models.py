from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from premier.db import Base, Timestamped


class Purpose(StrEnum):
    """What an upload is for; it decides who may make it, who may see it and its kind."""

    ROOM_TYPE = "room_type"
    MENU_ITEM = "menu_item"
    AVATAR = "avatar"
    REVIEW = "review"
    MESSAGE = "message"
    RECEIPT = "receipt"


class Upload(Timestamped, Base):
    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[Purpose] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))  # "image" or "file"
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    # SHA-256 of the bytes as uploaded: the same file sent twice is one upload.
    sha256: Mapped[str] = mapped_column(String(64))
    public: Mapped[bool]
    key: Mapped[str] = mapped_column(String(255), index=True)
    # Variant name -> key, for backends that store variants as objects of their own.
    variant_keys: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # How many things use it (a room type's gallery, a message); 0 means an orphan, which
    # is deleted once it is older than the orphan age.
    uses: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint("owner_id", "purpose", "sha256"),
        Index("ix_uploads_uses_created_at", "uses", "created_at"),
    )
