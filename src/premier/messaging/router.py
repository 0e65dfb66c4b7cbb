"""HTTP for messaging: /api/v1/messages. The rules are in docs/messaging.md."""

from typing import Annotated

from fastapi import Depends, Query, Request, Response, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.http.routing import Router
from premier.kit.ids import MAX_ID, PathId, QueryId
from premier.kit.pagination import Page, PageParams, page_params
from premier.messaging import canned, output, presence, reading, search, service
from premier.messaging.models import ConversationStatus, ConversationType, Inbox
from premier.messaging.schemas import (
    CannedReplyCreate,
    CannedReplyOut,
    CannedReplyUpdate,
    ConversationAssignment,
    ConversationCreate,
    ConversationDetail,
    ConversationOut,
    ConversationView,
    DepartmentPresence,
    MessageOut,
    MessageSend,
    ReadState,
    SearchHit,
    TypingSignal,
    UnreadCounts,
)
from premier.storage.protocol import Storage
from premier.users.models import Department

router = Router(prefix="/api/v1/messages", tags=["messages"])


def app_storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


Files = Annotated[Storage, Depends(app_storage)]


@router.get("/conversations")
@access("conversation", "read")
async def list_conversations(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    view: Annotated[
        ConversationView,
        Query(description="mine: assigned to you; unassigned: guest conversations nobody has"),
    ] = "all",
    department: Inbox | None = None,
    status: ConversationStatus | None = None,
    type: ConversationType | None = None,
) -> Page[ConversationOut]:
    """Conversations you may see, the latest message first, each with your unread count:
    a guest's own; a department's inbox and chats one takes part in for staff; all for
    managers and admins."""
    return await service.list_conversations(
        session=session, actor=actor, page=page, view=view, department=department,
        status=status, type=type,
    )  # fmt: skip


@router.post("/conversations", status_code=status.HTTP_201_CREATED)
@access("conversation", "create")
async def create_conversation(
    data: ConversationCreate, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> ConversationOut:
    """A guest opens a `guest_staff` conversation with a department (handed at once to
    the department's next available agent, if any); staff open `staff_staff` chats."""
    conversation = await service.create_conversation(
        session=session, settings=settings, actor=actor, data=data
    )
    return output.conversation(conversation, 0)


@router.get("/conversations/{conversation_id}")
@access("conversation", "read")
async def get_conversation(
    conversation_id: PathId,
    actor: CurrentActor,
    session: ReadSession,
    storage: Files,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only messages older than this id.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> ConversationDetail:
    """The conversation, its participants and a page of its messages, newest first."""
    return await service.conversation_detail(
        session=session, storage=storage, actor=actor, conversation_id=conversation_id,
        before=before, limit=limit,
    )  # fmt: skip


@router.post(
    "/send",
    status_code=status.HTTP_201_CREATED,
    responses={
        status.HTTP_200_OK: {
            "model": MessageOut,
            "description": "This client_message_id was sent before: the first message.",
        }
    },
)
@access("conversation", "send")
async def send_message(
    data: MessageSend,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
    storage: Files,
    response: Response,
) -> MessageOut:
    """Send a message (or, as staff, an internal note). 201 with the new message; 200 with
    the first one when this sender already sent this `client_message_id`. 429 past the
    per-sender rate limit."""
    message, created = await service.send_message(
        session=session, settings=settings, storage=storage, actor=actor, data=data
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return message


@router.post("/conversations/{conversation_id}/typing", status_code=status.HTTP_204_NO_CONTENT)
@access("conversation", "send")
async def typing(
    conversation_id: PathId, actor: CurrentActor, session: ReadSession, data: TypingSignal
) -> None:
    """Tell the other participants you are typing (a `conversation.typing` event on their
    user channels); send again every few seconds while typing. Nothing is stored."""
    await service.signal_typing(
        session=session, actor=actor, conversation_id=conversation_id, internal=data.internal
    )


@router.post("/conversations/{conversation_id}/assign")
@access("conversation", "assign")
async def assign(
    conversation_id: PathId,
    data: ConversationAssignment,
    actor: CurrentActor,
    session: WriteSession,
) -> ConversationOut:
    """Hand a guest conversation to a staff member of its department or a manager."""
    return await service.assign(
        session=session, actor=actor, conversation_id=conversation_id,
        assignee_id=data.assignee_id,
    )  # fmt: skip


@router.post("/conversations/{conversation_id}/close")
@access("conversation", "update")
async def close(
    conversation_id: PathId, actor: CurrentActor, session: WriteSession
) -> ConversationOut:
    """Close the conversation; the guest writing again reopens it."""
    return await service.set_status(
        session=session, actor=actor, conversation_id=conversation_id,
        status=ConversationStatus.CLOSED,
    )  # fmt: skip


@router.post("/conversations/{conversation_id}/reopen")
@access("conversation", "update")
async def reopen(
    conversation_id: PathId, actor: CurrentActor, session: WriteSession
) -> ConversationOut:
    return await service.set_status(
        session=session, actor=actor, conversation_id=conversation_id,
        status=ConversationStatus.OPEN,
    )  # fmt: skip


@router.get("/unread")
@access("conversation", "read")
async def unread(actor: CurrentActor, session: ReadSession) -> UnreadCounts:
    """Your unread messages, in total and per conversation you take part in."""
    return await reading.unread_counts(session=session, actor=actor)


@router.get("/presence/{department}")
@access("presence", "read")
async def department_presence(
    department: Department, actor: CurrentActor, session: ReadSession, request: Request
) -> DepartmentPresence:
    """Whether anyone of the department is online now; who, for its own staff and managers.
    Follow it live on the `presence:<department>` channel (staff) or `online:<department>`
    (everyone)."""
    hub = getattr(request.app.state, "realtime", None)
    return await presence.department_presence(
        session=session, actor=actor, presence=hub.presence if hub is not None else None,
        department=department,
    )  # fmt: skip


@router.get("/search")
@access("conversation", "read")
async def search_messages(
    actor: CurrentActor,
    session: ReadSession,
    storage: Files,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="Words to find, all of them.")
    ],
) -> Page[SearchHit]:
    """Messages you may see holding every word of `q`, newest first."""
    return await search.search_messages(
        session=session, storage=storage, actor=actor, query=q, page=page
    )


@router.get(
    "/canned-replies",
    responses={
        status.HTTP_404_NOT_FOUND: {
            "description": "`conversation_id` does not exist, or is not yours to see.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
        }
    },
)
@access("canned_reply", "read")
async def list_canned_replies(
    actor: CurrentActor,
    session: ReadSession,
    department: Inbox | None = None,
    conversation_id: QueryId = None,
) -> list[CannedReplyOut]:
    """Your department's canned replies (all of them for managers); with
    `conversation_id`, those of its department, each `rendered` for it."""
    return await canned.list_replies(
        session=session, actor=actor, department=department, conversation_id=conversation_id
    )


@router.post("/canned-replies", status_code=status.HTTP_201_CREATED)
@access("canned_reply", "write")
async def create_canned_reply(
    data: CannedReplyCreate, actor: CurrentActor, session: WriteSession
) -> CannedReplyOut:
    return await canned.create_reply(session=session, actor=actor, data=data)


@router.patch("/canned-replies/{reply_id}")
@access("canned_reply", "write")
async def update_canned_reply(
    reply_id: PathId, data: CannedReplyUpdate, actor: CurrentActor, session: WriteSession
) -> CannedReplyOut:
    return await canned.update_reply(session=session, actor=actor, reply_id=reply_id, data=data)


@router.delete("/canned-replies/{reply_id}", status_code=status.HTTP_204_NO_CONTENT)
@access("canned_reply", "write")
async def delete_canned_reply(reply_id: PathId, session: WriteSession) -> None:
    await canned.delete_reply(session=session, reply_id=reply_id)


@router.patch("/{message_id}/read")
@access("conversation", "read")
async def mark_read(message_id: PathId, actor: CurrentActor, session: WriteSession) -> ReadState:
    """Mark the conversation read up to and including this message."""
    return await reading.mark_read(session=session, actor=actor, message_id=message_id)


@router.patch("/{message_id}/unread")
@access("conversation", "read")
async def mark_unread(message_id: PathId, actor: CurrentActor, session: WriteSession) -> ReadState:
    """Mark this message and those after it unread again."""
    return await reading.mark_read(session=session, actor=actor, message_id=message_id, unread=True)
