from typing import Annotated

from fastapi import Depends, Query, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import ReadSession, WriteSession
from premier.guests import service
from premier.guests.schemas import (
    GuestNoteCreate,
    GuestNoteOut,
    GuestPreferencesIn,
    GuestPreferencesOut,
    GuestProfile,
    GuestSummary,
)
from premier.http.routing import Router
from premier.kit.ids import PathId
from premier.kit.pagination import Page, PageParams, page_params

router = Router(prefix="/api/v1/guests", tags=["guests"])


@router.get("")
@access("guest", "search")
async def search_guests(
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[
        str | None,
        Query(min_length=2, max_length=100, description="part of a name, email or phone"),
    ] = None,
) -> Page[GuestSummary]:
    """The hotel's guests, the latest to arrive first, each with how often they booked."""
    return await service.search_guests(session=session, page=page, q=q)


@router.get("/{guest_id}")
@access("guest", "read")
async def guest_profile(
    guest_id: PathId, actor: CurrentActor, session: ReadSession
) -> GuestProfile:
    """Contact details, preferences and every stay with totals. A guest reads their own;
    another's id is 'not found'. Staff notes are not here (see `/notes`)."""
    return await service.profile(session=session, actor=actor, guest_id=guest_id)


@router.put("/{guest_id}/preferences")
@access("guest_preferences", "update")
async def set_preferences(
    guest_id: PathId, data: GuestPreferencesIn, actor: CurrentActor, session: WriteSession
) -> GuestPreferencesOut:
    """Replace the guest's preferences: a field left out is cleared."""
    return await service.set_preferences(session=session, actor=actor, guest_id=guest_id, data=data)


@router.get("/{guest_id}/notes")
@access("guest_note", "read")
async def list_notes(
    guest_id: PathId,
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[GuestNoteOut]:
    """Staff notes about the guest, newest first. Never shown to the guest."""
    return await service.list_notes(session=session, actor=actor, guest_id=guest_id, page=page)


@router.post("/{guest_id}/notes", status_code=status.HTTP_201_CREATED)
@access("guest_note", "write")
async def add_note(
    guest_id: PathId, data: GuestNoteCreate, actor: CurrentActor, session: WriteSession
) -> GuestNoteOut:
    """Leave a note about the guest for the rest of the staff."""
    return await service.add_note(session=session, actor=actor, guest_id=guest_id, data=data)
