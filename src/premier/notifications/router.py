from typing import Annotated, Literal

from fastapi import Form, Query, Response, status
from fastapi.responses import HTMLResponse

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.http.routing import Router
from premier.kit.ids import PathId, QueryId
from premier.notifications import groups, inbox, preferences, templates, unsubscribe
from premier.notifications.catalog import CATEGORIES
from premier.notifications.render import TemplateParts
from premier.notifications.schemas import (
    CatalogEntry,
    Changed,
    GroupIn,
    GroupMembersIn,
    GroupOut,
    NotificationOut,
    NotificationPage,
    PreferencesIn,
    PreferencesOut,
    PreviewIn,
    PreviewOut,
    TemplateIn,
    TemplateOut,
    TemplateUpdate,
    UnreadCount,
)

router = Router(prefix="/api/v1/notifications", tags=["notifications"])
admin = Router(prefix="/api/v1/notification-templates", tags=["notification templates"])

Category = Literal[CATEGORIES]  # type: ignore[valid-type]


@router.get("")
@access("inbox", "read")
async def list_notifications(
    actor: CurrentActor,
    session: ReadSession,
    state: Literal["all", "read", "unread"] = "all",
    category: Category | None = None,
    cursor: QueryId = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> NotificationPage:
    """Your notifications, newest first; pass `next_cursor` back as `cursor` for more."""
    rows, next_cursor = await inbox.list_page(
        session=session,
        user_id=actor.id,
        state=state,
        category=category,
        cursor=cursor,
        limit=limit,
    )
    return NotificationPage(
        items=[NotificationOut.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/unread-count")
@access("inbox", "read")
async def unread_count(actor: CurrentActor, session: ReadSession) -> UnreadCount:
    return UnreadCount(unread=await inbox.unread_count(session=session, user_id=actor.id))


@router.post("/read-all")
@access("inbox", "update")
async def mark_all_read(actor: CurrentActor, session: WriteSession) -> Changed:
    return Changed(changed=await inbox.mark_all_read(session=session, user_id=actor.id))


@router.get("/preferences")
@access("inbox", "read")
async def get_preferences(actor: CurrentActor, session: ReadSession) -> PreferencesOut:
    row = await preferences.get_row(session=session, user_id=actor.id)
    return PreferencesOut.model_validate(preferences.resolve(row), from_attributes=True)


@router.put("/preferences")
@access("inbox", "update")
async def put_preferences(
    data: PreferencesIn, actor: CurrentActor, session: WriteSession
) -> PreferencesOut:
    fields = data.model_fields_set
    quiet = None
    if "quiet_hours_start" in fields or "quiet_hours_end" in fields:
        quiet = (data.quiet_hours_start, data.quiet_hours_end)
    channels = (
        {
            cat: {ch.value: on for ch, on in switches.items()}
            for cat, switches in data.channels.items()
        }
        if data.channels
        else None
    )
    resolved = await preferences.update(
        session=session,
        user_id=actor.id,
        channels=channels,
        quiet_hours=quiet,
        locale=data.locale,
        set_locale="locale" in fields,
    )
    return PreferencesOut.model_validate(resolved, from_attributes=True)


@router.get("/unsubscribe", response_class=HTMLResponse, include_in_schema=True)
@access("unsubscribe", "use_link")
async def unsubscribe_page(
    token: Annotated[str, Query(max_length=2000)], settings: AppSettings
) -> str:
    """The link in an email: a page with one button (a GET never unsubscribes, so mail
    scanners that follow links cannot unsubscribe anyone)."""
    _, category = unsubscribe.read_token(settings=settings, token=token)
    from html import escape

    hotel = escape(settings.hotel_name)
    return (
        f"<!doctype html><html><body><h1>{hotel}</h1>"
        f"<p>Stop emails about <b>{escape(category)}</b>?</p><form method='post'>"
        f"<input type='hidden' name='token' value='{escape(token)}'>"
        "<button type='submit'>Unsubscribe</button></form></body></html>"
    )


@router.post("/unsubscribe")
@access("unsubscribe", "use_link")
async def unsubscribe_now(
    session: WriteSession,
    settings: AppSettings,
    token: Annotated[str | None, Query(max_length=2000)] = None,
    form_token: Annotated[str | None, Form(alias="token", max_length=2000)] = None,
) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058 POST from the mail client, or the page's button)."""
    given = token or form_token
    if not given:
        from premier.kit.errors import InvalidInput

        raise InvalidInput("the unsubscribe token is missing", code="invalid_token")
    category = await unsubscribe.unsubscribe(session=session, settings=settings, token=given)
    return {"status": "unsubscribed", "category": category}


@router.post("/{notification_id}/read")
@access("inbox", "update")
async def mark_read(
    notification_id: PathId, actor: CurrentActor, session: WriteSession
) -> NotificationOut:
    row = await inbox.mark(
        session=session, user_id=actor.id, notification_id=notification_id, read=True
    )
    return NotificationOut.model_validate(row)


@router.post("/{notification_id}/unread")
@access("inbox", "update")
async def mark_unread(
    notification_id: PathId, actor: CurrentActor, session: WriteSession
) -> NotificationOut:
    row = await inbox.mark(
        session=session, user_id=actor.id, notification_id=notification_id, read=False
    )
    return NotificationOut.model_validate(row)


@router.delete("/{notification_id}", status_code=status.HTTP_204_NO_CONTENT)
@access("inbox", "update")
async def delete_notification(
    notification_id: PathId, actor: CurrentActor, session: WriteSession
) -> Response:
    await inbox.remove(session=session, user_id=actor.id, notification_id=notification_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("")
@access("inbox", "update")
async def clear_all(actor: CurrentActor, session: WriteSession) -> Changed:
    return Changed(changed=await inbox.clear_all(session=session, user_id=actor.id))


# --- admin: templates ---------------------------------------------------------------


@admin.get("/catalog")
@access("notification_template", "read")
async def template_catalog(actor: CurrentActor) -> list[CatalogEntry]:
    """Every event, its variables, sample data and built-in templates."""
    return [CatalogEntry.model_validate(entry) for entry in templates.catalog()]


@admin.get("")
@access("notification_template", "read")
async def list_templates(actor: CurrentActor, session: ReadSession) -> list[TemplateOut]:
    return [TemplateOut.model_validate(r) for r in await templates.list_templates(session=session)]


@admin.post("", status_code=status.HTTP_201_CREATED)
@access("notification_template", "write")
async def create_template(
    data: TemplateIn, actor: CurrentActor, session: WriteSession
) -> TemplateOut:
    row = await templates.create(
        session=session,
        actor_id=actor.id,
        event_type=data.event_type,
        channel=data.channel,
        locale=data.locale,
        parts=TemplateParts(data.subject, data.body_text, data.body_html),
        is_active=data.is_active,
    )
    return TemplateOut.model_validate(row)


@admin.post("/preview")
@access("notification_template", "read")
async def preview_template(
    data: PreviewIn, actor: CurrentActor, session: ReadSession, settings: AppSettings
) -> PreviewOut:
    given = any(v is not None for v in (data.subject, data.body_text, data.body_html))
    parts = (
        TemplateParts(data.subject or "", data.body_text or "", data.body_html or "")
        if given
        else None
    )
    rendered = await templates.preview(
        session=session,
        settings=settings,
        event_type=data.event_type,
        channel=data.channel,
        locale=data.locale,
        parts=parts,
        context=data.context,
    )
    return PreviewOut(subject=rendered.subject, text=rendered.text, html=rendered.html)


@admin.get("/{template_id}")
@access("notification_template", "read")
async def get_template(
    template_id: PathId, actor: CurrentActor, session: ReadSession
) -> TemplateOut:
    return TemplateOut.model_validate(await templates.get(session=session, template_id=template_id))


@admin.put("/{template_id}")
@access("notification_template", "write")
async def update_template(
    template_id: PathId, data: TemplateUpdate, actor: CurrentActor, session: WriteSession
) -> TemplateOut:
    row = await templates.update(
        session=session,
        actor_id=actor.id,
        template_id=template_id,
        parts=TemplateParts(data.subject, data.body_text, data.body_html),
        is_active=data.is_active,
    )
    return TemplateOut.model_validate(row)


@admin.delete("/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
@access("notification_template", "write")
async def delete_template(
    template_id: PathId, actor: CurrentActor, session: WriteSession
) -> Response:
    await templates.delete(session=session, template_id=template_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- admin: groups ------------------------------------------------------------------

groups_router = Router(prefix="/api/v1/notification-groups", tags=["notification groups"])


@groups_router.get("")
@access("notification_group", "manage")
async def list_groups(actor: CurrentActor, session: ReadSession) -> list[GroupOut]:
    return [
        GroupOut(id=g.id, name=g.name, description=g.description, user_ids=members)
        for g, members in await groups.list_groups(session=session)
    ]


@groups_router.post("", status_code=status.HTTP_201_CREATED)
@access("notification_group", "manage")
async def create_group(data: GroupIn, actor: CurrentActor, session: WriteSession) -> GroupOut:
    group = await groups.create(
        session=session, name=data.name, description=data.description, user_ids=data.user_ids
    )
    return GroupOut(
        id=group.id,
        name=group.name,
        description=group.description,
        user_ids=sorted(set(data.user_ids)),
    )


@groups_router.put("/{group_id}/members")
@access("notification_group", "manage")
async def replace_group_members(
    group_id: PathId, data: GroupMembersIn, actor: CurrentActor, session: WriteSession
) -> GroupOut:
    group = await groups.replace_members(session=session, group_id=group_id, user_ids=data.user_ids)
    return GroupOut(
        id=group.id,
        name=group.name,
        description=group.description,
        user_ids=sorted(set(data.user_ids)),
    )


@groups_router.delete("/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
@access("notification_group", "manage")
async def delete_group(group_id: PathId, actor: CurrentActor, session: WriteSession) -> Response:
    await groups.remove(session=session, group_id=group_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
