from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from premier.kit.ids import Id
from premier.kit.input import Input
from premier.kit.schema_rules import all_of, equals, given, not_given, one_of_shapes
from premier.messaging.models import (
    ConversationStatus,
    ConversationType,
    Inbox,
    MessageKind,
    ParticipantRole,
)
from premier.uploads.schemas import UploadLinks
from premier.users.models import Department

MAX_BODY = 4000
MAX_ATTACHMENTS = 10
MAX_GROUP = 50

Body = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY),
    Field(
        description=f"Plain text, 1 to {MAX_BODY} characters once trimmed. Stored and "
        "returned exactly as written: markup is not interpreted, so show it as text."
    ),
]
ClientMessageId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$"),
    Field(
        description="Chosen by the sending device (a UUID, say), unique per sender. "
        "Sending again with the same id returns the first message instead of a second one."
    ),
]
Subject = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class ConversationCreate(Input):
    """A guest opens a conversation with a department (`guest_staff`, the default); a staff
    member opens a chat with colleagues (`staff_staff`, `participant_ids`)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=one_of_shapes(
            all_of(
                equals("type", ConversationType.GUEST_STAFF.value),
                given("department"),
                not_given("participant_ids"),
            ),
            all_of(
                {"required": ["type"]},
                equals("type", ConversationType.STAFF_STAFF.value),
                {
                    "required": ["participant_ids"],
                    "properties": {"participant_ids": {"minItems": 1}},
                },
                not_given("department", "booking_id"),
            ),
        ),
    )

    type: ConversationType = ConversationType.GUEST_STAFF
    department: Inbox | None = Field(
        default=None, description="guest_staff: the inbox written to (required)."
    )
    booking_id: Id | None = Field(
        default=None, description="guest_staff: one of the guest's own bookings, if about a stay."
    )
    participant_ids: list[Id] = Field(
        default=[], max_length=MAX_GROUP, description="staff_staff: the colleagues (required)."
    )
    subject: Subject = ""

    @model_validator(mode="after")
    def _fits_its_type(self) -> "ConversationCreate":
        if self.type is ConversationType.GUEST_STAFF:
            if self.department is None:
                raise ValueError("a guest conversation needs a department")
            if self.participant_ids:
                raise ValueError("participant_ids are for staff_staff conversations")
        else:
            if not self.participant_ids:
                raise ValueError("a staff chat needs participant_ids")
            if self.department is not None or self.booking_id is not None:
                raise ValueError("department and booking_id are for guest_staff conversations")
        return self


class ConversationAssignment(Input):
    assignee_id: Id | None = Field(description="A staff member of the inbox, or null to unassign.")


class MessageSend(Input):
    conversation_id: Id
    body: Body
    client_message_id: ClientMessageId
    attachment_ids: list[Id] = Field(
        default=[],
        max_length=MAX_ATTACHMENTS,
        description="Uploads of purpose `message` that the sender made themselves.",
    )
    internal: bool = Field(
        default=False, description="An internal note: staff only, never shown to the guest."
    )


class TypingSignal(Input):
    internal: bool = Field(
        default=False, description="Typing a note: tell only the staff, not the guest."
    )


class ParticipantOut(BaseModel):
    user_id: int
    name: str
    role: ParticipantRole
    last_read_message_id: int | None
    last_read_at: datetime | None


PREVIEW = 140


class MessagePreview(BaseModel):
    """The latest message one may see in a conversation, shortened for a list row."""

    id: int
    sender_id: int
    sender_name: str
    kind: MessageKind
    body: str = Field(description=f"On one line, at most {PREVIEW} characters (cut with …).")
    created_at: datetime


class ConversationOut(BaseModel):
    id: int
    type: ConversationType
    status: ConversationStatus
    subject: str
    guest_id: int | None
    guest_name: str | None
    department: Inbox | None
    booking_id: int | None
    assignee_id: int | None
    assignee_name: str | None
    created_at: datetime
    updated_at: datetime
    last_message_at: datetime | None
    closed_at: datetime | None
    unread: int = Field(description="Messages you have not read here (0 if you take no part).")
    last_message: MessagePreview | None = Field(
        default=None,
        description="The latest message you may see (for a guest never a note); null if none.",
    )


class MessageAttachmentOut(UploadLinks):
    """An attached upload: its links, and what a reader needs to show it as a file."""

    filename: str = Field(description="The file's name as uploaded (cleaned).")
    content_type: str = Field(description="image/jpeg, image/png, application/pdf...")
    size: int = Field(description="Bytes.")


class MessageOut(BaseModel):
    id: int
    conversation_id: int
    sender_id: int
    sender_name: str
    kind: MessageKind
    body: str
    client_message_id: str | None = Field(description="Shown to its sender only.")
    created_at: datetime
    attachments: list[MessageAttachmentOut] = Field(
        description="Links are signed and expire: fetch the conversation again for fresh ones."
    )


class ConversationDetail(BaseModel):
    conversation: ConversationOut
    participants: list[ParticipantOut]
    messages: list[MessageOut] = Field(description="Newest first.")
    next_before: int | None = Field(
        description="Pass as `before` for the next (older) page; null on the last page."
    )


class UnreadConversation(BaseModel):
    conversation_id: int
    unread: int


class OnlineColleague(BaseModel):
    user_id: int
    full_name: str


class DepartmentPresence(BaseModel):
    """Whether anyone of a department is online now (has the app open), and who, for those
    allowed to know: its own staff and managers. Live: `presence.changed` on
    `presence:<department>` (staff), `presence.available` on `online:<department>`."""

    department: Department
    available: bool
    online: list[OnlineColleague] | None = Field(
        description="Who is online, by name; null when that is not yours to know (guests, "
        "other departments)."
    )


class UnreadCounts(BaseModel):
    total: int
    conversations: list[UnreadConversation] = Field(description="Only those with unread ones.")


class ReadState(BaseModel):
    conversation_id: int
    last_read_message_id: int | None
    unread: int
    unread_total: int


class SearchHit(BaseModel):
    message: MessageOut
    conversation_subject: str


CannedBody = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY)
]
Shortcut = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,32}$")]


class CannedReplyCreate(Input):
    department: Inbox
    shortcut: Shortcut
    body: CannedBody = Field(
        description="May use {guest_name}, {room}, {check_in} and {check_out}; they are "
        "filled in from the conversation's guest and booking."
    )


class CannedReplyUpdate(Input):
    shortcut: Shortcut | None = None
    body: CannedBody | None = None


class CannedReplyOut(BaseModel):
    id: int
    department: Inbox
    shortcut: str
    body: str
    rendered: str | None = Field(
        default=None, description="The body filled in for `conversation_id`, when asked."
    )
    created_at: datetime
    updated_at: datetime


ConversationView = Literal["all", "mine", "unassigned"]
