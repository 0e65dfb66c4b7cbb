from typing import Annotated

from fastapi import Depends, Query, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.delivery.queue import QueueStatus
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.email import service
from premier.email.schemas import (
    CapturedEmailDetail,
    CapturedEmailOut,
    EmailDetail,
    EmailOut,
    EmailStats,
    QueuedOut,
    SendEmailIn,
)
from premier.http.routing import Router
from premier.kit.ids import PathId
from premier.kit.input import QueryDateTime
from premier.kit.pagination import Page, PageParams, page_params, paginate

router = Router(prefix="/api/v1/emails", tags=["emails"])


@router.post("/send", status_code=status.HTTP_202_ACCEPTED)
@access("email", "send")
async def send_email(
    data: SendEmailIn, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> QueuedOut:
    """Queue an email to each address (staff and admins; rate limited per sender)."""
    queued, suppressed = await service.send(
        session=session, settings=settings, actor_id=actor.id, data=data, sender=actor
    )
    return QueuedOut(queued=queued, suppressed=suppressed)


@router.get("/queue")
@access("email_queue", "read")
async def email_queue(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    status: QueueStatus | None = None,
    template: Annotated[str | None, Query(max_length=64)] = None,
    recipient: Annotated[str | None, Query(max_length=320)] = None,
    since: QueryDateTime | None = None,
    until: QueryDateTime | None = None,
) -> Page[EmailOut]:
    query = service.queue_query(
        status=status, template=template, recipient=recipient, since=since, until=until
    )
    return await paginate(session, query, page, EmailOut.model_validate)


@router.get("/stats")
@access("email_queue", "read")
async def email_stats(
    actor: CurrentActor,
    session: ReadSession,
    settings: AppSettings,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> EmailStats:
    """The last `days` hotel days, today included (see premier.delivery.stats)."""
    return await service.stats(session=session, days=days, timezone=settings.hotel_timezone)


@router.get("/captured")
@router.get("/outbox", deprecated=True)  # the old path of the same list
@access("email_queue", "read")
async def captured_mail(
    actor: CurrentActor, session: ReadSession, page: Annotated[PageParams, Depends(page_params)]
) -> Page[CapturedEmailOut]:
    """Mail stored by the development `capture` provider: a mail catcher."""
    return await paginate(session, service.captured_query(), page, CapturedEmailOut.model_validate)


@router.get("/captured/{message_id}")
@router.get("/outbox/{message_id}", deprecated=True)  # the old path of the same mail
@access("email_queue", "read")
async def captured_message(
    message_id: PathId, actor: CurrentActor, session: ReadSession, settings: AppSettings
) -> CapturedEmailDetail:
    return await service.captured_detail(session=session, settings=settings, message_id=message_id)


@router.get("/{email_id}")
@access("email_queue", "read")
async def email_detail(email_id: PathId, actor: CurrentActor, session: ReadSession) -> EmailDetail:
    return EmailDetail.model_validate(await service.get(session=session, email_id=email_id))


@router.post("/{email_id}/retry")
@access("email_queue", "manage")
async def retry_email(email_id: PathId, actor: CurrentActor, session: WriteSession) -> EmailOut:
    return EmailOut.model_validate(await service.retry(session=session, email_id=email_id))


@router.post("/{email_id}/cancel")
@access("email_queue", "manage")
async def cancel_email(email_id: PathId, actor: CurrentActor, session: WriteSession) -> EmailOut:
    return EmailOut.model_validate(await service.cancel(session=session, email_id=email_id))
