from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from premier.db import Audited, Base, Timestamped
from premier.users.models import Department, User


class ConversationType(StrEnum):
    GUEST_STAFF = "guest_staff"  # a guest and a department's inbox
    STAFF_STAFF = "staff_staff"  # colleagues among themselves (direct or group)


class ConversationStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Inbox(StrEnum):
    """The departments a guest may write to; maintenance is reached through the front desk
    (or a service request), not by chat."""

    FRONT_DESK = Department.FRONT_DESK.value
    CONCIERGE = Department.CONCIERGE.value
    HOUSEKEEPING = Department.HOUSEKEEPING.value
    KITCHEN = Department.KITCHEN.value


class ParticipantRole(StrEnum):
    GUEST = "guest"  # the guest a guest_staff conversation is with
    AGENT = "agent"  # staff who answer it: the assignee, or who wrote or read in it
    MEMBER = "member"  # a colleague in a staff_staff chat


class MessageKind(StrEnum):
    MESSAGE = "message"
    NOTE = "note"  # internal: staff only, never sent to a guest


class Conversation(Audited, Timestamped, Base):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[ConversationType] = mapped_column(String(16))
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    department: Mapped[Inbox | None] = mapped_column(String(32))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None]
    status: Mapped[ConversationStatus] = mapped_column(String(8), default=ConversationStatus.OPEN)
    subject: Mapped[str] = mapped_column(String(200), default="")
    # Of the last message a guest could see: notes do not move a conversation up.
    last_message_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    guest: Mapped[User | None] = relationship(foreign_keys=[guest_id], lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")

    __table_args__ = (
        Index("ix_conversations_department_status", "department", "status"),
        Index("ix_conversations_assignee_status", "assignee_id", "status"),
    )


class ConversationParticipant(Base):
    __tablename__ = "conversation_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[ParticipantRole] = mapped_column(String(8))
    joined_at: Mapped[datetime]
    last_read_at: Mapped[datetime | None]
    # Messages with a greater id are unread (ids only grow, across conversations too).
    last_read_message_id: Mapped[int | None]
    # When they were last told of unread messages here (premier.messaging.notices).
    notified_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[MessageKind] = mapped_column(String(8), default=MessageKind.MESSAGE)
    # Chosen by the sender's device: a retried send names the same id and gets the first.
    client_message_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]

    sender: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("sender_id", "client_message_id"),
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
        Index("ix_messages_sender_id_created_at", "sender_id", "created_at"),
    )


class MessageAttachment(Base):
    __tablename__ = "message_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))

    __table_args__ = (UniqueConstraint("message_id", "upload_id"),)


class CannedReply(Audited, Timestamped, Base):
    """A prepared answer of one department, with {guest_name}, {room}, {check_in} and
    {check_out} filled in from the conversation when it is used."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    department: Mapped[Inbox] = mapped_column(String(32))
    shortcut: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("department", "shortcut"),)
