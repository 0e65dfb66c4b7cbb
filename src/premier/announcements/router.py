from typing import Annotated

from fastapi import Depends, Query, Response, status

from premier.announcements import service, templates, tracking
from premier.announcements.models import Announcement
from premier.announcements.schemas import (
    Acknowledgements,
    AnnouncementIn,
    AnnouncementOut,
    AnnouncementPage,
    AnnouncementPreviewIn,
    AnnouncementPreviewOut,
    AnnouncementTemplateOut,
    AnnouncementUpdate,
    Progress,
)
from premier.auth.access import ALL, access, scope_of
from premier.auth.actor import Actor
from premier.auth.dependencies import CurrentActor
from premier.db import Database
from premier.deps import AppSettings, ReadSession, WriteSession, app_database
from premier.http.routing import Router
from premier.kit.ids import PathId

router = Router(prefix="/api/v1/announcements", tags=["announcements"])
AppDatabase = Annotated[Database, Depends(app_database)]


def out(row: Announcement, settings: AppSettings, acknowledged: object = None) -> AnnouncementOut:
    result = AnnouncementOut.model_validate(row)
    result.scheduled_for_local = service.local_text(
        row.scheduled_for, timezone=settings.hotel_timezone
    )
    result.acknowledged_at = acknowledged  # type: ignore[assignment]
    return result


def manages(actor: Actor) -> bool:
    return scope_of(actor, "announcement", "read") == ALL


@router.get("")
@access("announcement", "read")
async def list_announcements(
    actor: CurrentActor,
    session: ReadSession,
    settings: AppSettings,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> AnnouncementPage:
    """The management: every announcement. Anyone else: those sent to them."""
    rows, total = await service.list_for(
        session=session, user_id=actor.id, everything=manages(actor), offset=offset, limit=limit
    )
    return AnnouncementPage(items=[out(a, settings, ack) for a, ack in rows], total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
@access("announcement", "write")
async def create_announcement(
    data: AnnouncementIn, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> AnnouncementOut:
    """A draft, or scheduled when `scheduled_for` is given (hotel time without a zone)."""
    row = await service.create(session=session, settings=settings, actor_id=actor.id, data=data)
    return out(row, settings)


@router.get("/templates")
@access("announcement", "write")
async def list_templates(actor: CurrentActor) -> list[AnnouncementTemplateOut]:
    return [
        AnnouncementTemplateOut(
            key=t.key,
            name=t.name,
            priority=t.priority,
            variables=list(t.variables),
            title=t.title,
            body=t.body,
            title_sw=t.title_sw,
            body_sw=t.body_sw,
        )
        for t in templates.TEMPLATES.values()
    ]


@router.post("/preview")
@access("announcement", "write")
async def preview(
    data: AnnouncementPreviewIn, actor: CurrentActor, session: ReadSession, settings: AppSettings
) -> AnnouncementPreviewOut:
    """How many people the target names now, and the texts as they would go out."""
    written = service.texts(
        template=data.template,
        variables=data.variables,
        given={p: getattr(data, p) for p in ("title", "body", "title_sw", "body_sw")},
    )
    people = await service.count(session=session, settings=settings, target=data.target)
    return AnnouncementPreviewOut(recipients=people, **written)


@router.get("/emergencies")
@access("announcement", "acknowledge")
async def my_emergencies(
    actor: CurrentActor, session: ReadSession, settings: AppSettings
) -> list[AnnouncementOut]:
    """Emergencies sent to you that you have not acknowledged: shown until you do."""
    rows = await service.emergencies_for(session=session, user_id=actor.id)
    return [out(row, settings) for row in rows]


@router.get("/{announcement_id}")
@access("announcement", "read")
async def get_announcement(
    announcement_id: PathId, actor: CurrentActor, session: ReadSession, settings: AppSettings
) -> AnnouncementOut:
    if manages(actor):
        return out(await service.get(session=session, announcement_id=announcement_id), settings)
    row, acknowledged = await service.addressed(
        session=session, user_id=actor.id, announcement_id=announcement_id
    )
    return out(row, settings, acknowledged)


@router.patch("/{announcement_id}")
@access("announcement", "write")
async def update_announcement(
    announcement_id: PathId,
    data: AnnouncementUpdate,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
) -> AnnouncementOut:
    row = await service.update_draft(
        session=session, settings=settings, announcement_id=announcement_id, data=data
    )
    return out(row, settings)


@router.delete("/{announcement_id}", status_code=status.HTTP_204_NO_CONTENT)
@access("announcement", "write")
async def delete_announcement(
    announcement_id: PathId, actor: CurrentActor, session: WriteSession
) -> Response:
    await service.remove(session=session, announcement_id=announcement_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{announcement_id}/send")
@access("announcement", "write")
async def send_now(
    announcement_id: PathId, actor: CurrentActor, database: AppDatabase, settings: AppSettings
) -> AnnouncementOut:
    """Send now (sent twice, it goes out once)."""
    row = await service.send_now(
        database=database,
        settings=settings,
        announcement_id=announcement_id,
        worker_id=f"api:{actor.id}",
    )
    return out(row, settings)


@router.post("/{announcement_id}/cancel")
@access("announcement", "write")
async def cancel(
    announcement_id: PathId, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> AnnouncementOut:
    return out(await service.cancel(session=session, announcement_id=announcement_id), settings)


@router.post("/{announcement_id}/acknowledge")
@access("announcement", "acknowledge")
async def acknowledge(
    announcement_id: PathId, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> AnnouncementOut:
    row, acknowledged = await service.acknowledge(
        session=session, user_id=actor.id, announcement_id=announcement_id
    )
    return out(row, settings, acknowledged)


@router.get("/{announcement_id}/progress")
@access("announcement", "track")
async def progress(announcement_id: PathId, actor: CurrentActor, session: ReadSession) -> Progress:
    """Per channel, how many messages are queued, sent, delivered, read or failed."""
    row = await service.get(session=session, announcement_id=announcement_id)
    return await tracking.progress(session=session, announcement=row)


@router.get("/{announcement_id}/acknowledgements")
@access("announcement", "track")
async def acknowledgements(
    announcement_id: PathId, actor: CurrentActor, session: ReadSession
) -> Acknowledgements:
    """Who has acknowledged it (an emergency's banner stays until they do)."""
    await service.get(session=session, announcement_id=announcement_id)
    return await tracking.acknowledgements(session=session, announcement_id=announcement_id)
