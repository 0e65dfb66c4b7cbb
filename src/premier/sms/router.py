from typing import Annotated

from fastapi import Depends, Header, Query, Request, Response, status

from premier.auth import access as access_table
from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.http.routing import Router
from premier.kit.ids import PathId
from premier.kit.input import QueryDate, QueryDateTime
from premier.kit.pagination import Page, PageParams, page_params
from premier.notifications import disclosure
from premier.sms import otp, reports, service, webhooks
from premier.sms.schemas import (
    EmergencyAlertRequest,
    EmergencyAlertResult,
    SmsOut,
    SmsQueueFilter,
    SmsSendRequest,
    SmsStats,
    VerifyCheckRequest,
    VerifyCheckResult,
    VerifyStartRequest,
    VerifyStartResult,
)

router = Router(prefix="/api/v1/sms", tags=["sms"])
hooks = Router(prefix="/api/v1/sms/webhooks", tags=["sms webhooks"])
verify = Router(prefix="/api/v1/auth/phone/verify", tags=["auth"])


@router.post("/send", status_code=status.HTTP_202_ACCEPTED)
@access("sms", "send")
async def send(
    data: SmsSendRequest, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> SmsOut:
    """Staff send one SMS (to a number or to a user's phone); emergencies are for managers."""
    if data.emergency:
        access_table.check(actor, "sms", "emergency")
    row = await service.send_from_staff(
        session=session,
        settings=settings,
        sender_id=actor.id,
        to=data.to,
        user_id=data.user_id,
        message=data.message,
        category=data.category,
        emergency=data.emergency,
        sender=actor,
    )
    return SmsOut.model_validate(row)


@router.post("/emergency", status_code=status.HTTP_202_ACCEPTED)
@access("sms", "emergency")
async def emergency_alert(
    data: EmergencyAlertRequest, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> EmergencyAlertResult:
    """An emergency alert to every guest, staff member or both: skips quiet hours and budgets
    and goes to the front of the queue."""
    queued, skipped = await service.send_emergency_alert(
        session=session,
        settings=settings,
        sender_id=actor.id,
        message=data.message,
        audience=data.audience,
    )
    return EmergencyAlertResult(queued=queued, skipped_without_valid_phone=skipped)


@router.get("/queue")
@access("sms_queue", "read")
async def queue(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    status_: Annotated[str | None, Query(alias="status", max_length=16)] = None,
    delivery_status: Annotated[str | None, Query(max_length=16)] = None,
    to: Annotated[str | None, Query(max_length=32)] = None,
    provider: Annotated[str | None, Query(max_length=32)] = None,
    template: Annotated[str | None, Query(max_length=64)] = None,
    since: QueryDateTime | None = None,
    until: QueryDateTime | None = None,
) -> Page[SmsOut]:
    where = SmsQueueFilter(
        status=status_,
        delivery_status=delivery_status,
        to=to,
        provider=provider,
        template=template,
        since=since,
        until=until,
    )
    return await reports.list_queue(session=session, where=where, page=page)


@router.get("/captured")
@router.get("/outbox", deprecated=True)  # the old path of the same list
@access("sms_queue", "read")
async def captured_sms(
    actor: CurrentActor,
    session: ReadSession,
    settings: AppSettings,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[SmsOut]:
    """What the development `capture` provider 'sent': nothing left the machine."""
    where = SmsQueueFilter(provider="capture")
    reveal = disclosure.capture_reveals(settings)
    return await reports.list_queue(session=session, where=where, page=page, reveal=reveal)


@router.get("/stats")
@access("sms_queue", "read")
async def stats(
    actor: CurrentActor,
    session: ReadSession,
    settings: AppSettings,
    days: Annotated[int | None, Query(ge=1, le=365)] = None,
    since: QueryDate | None = None,
    until: QueryDate | None = None,
) -> SmsStats:
    """Counts by status and provider, delivery rate, segments and cost by day and provider,
    over the last `days` hotel days (30 unless said; `since` overrides it)."""
    return await reports.stats(
        session=session, settings=settings, days=days, since=since, until=until
    )


@router.post("/queue/{sms_id}/release")
@access("sms_queue", "manage")
async def release(sms_id: PathId, actor: CurrentActor, session: WriteSession) -> SmsOut:
    """Send a message that was held because a budget was reached."""
    return SmsOut.model_validate(await service.release_held(session=session, sms_id=sms_id))


@router.post("/queue/{sms_id}/cancel")
@access("sms_queue", "manage")
async def cancel(sms_id: PathId, actor: CurrentActor, session: WriteSession) -> SmsOut:
    return SmsOut.model_validate(await service.cancel(session=session, sms_id=sms_id))


# --- phone verification ----------------------------------------------------------------


@verify.post("/start", status_code=status.HTTP_202_ACCEPTED)
@access("phone", "verify")
async def verify_start(
    data: VerifyStartRequest,
    request: Request,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
) -> VerifyStartResult:
    """Text a six-digit code to this number (capped per number, client address and account)."""
    expires_in, resend_after = await otp.start(
        session=session,
        settings=settings,
        user_id=actor.id,
        phone=data.phone,
        client_address=request.client.host if request.client else None,
    )
    return VerifyStartResult(phone=data.phone, expires_in=expires_in, resend_after=resend_after)


@verify.post("/check")
@access("phone", "verify")
async def verify_check(
    data: VerifyCheckRequest, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> VerifyCheckResult:
    """Check the code; on success the number becomes the account's phone."""
    phone = await otp.check(
        session=session, settings=settings, user_id=actor.id, phone=data.phone, code=data.code
    )
    return VerifyCheckResult(phone=phone, verified=True)


# --- provider callbacks ----------------------------------------------------------------


async def _form(request: Request) -> tuple[list[tuple[str, str]], dict[str, str]]:
    form = await request.form()
    pairs = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    return pairs, dict(pairs)


def _path_and_query(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


@hooks.post("/twilio/status", status_code=status.HTTP_204_NO_CONTENT)
@access("sms_webhook", "deliver")
async def twilio_status(
    request: Request,
    session: WriteSession,
    settings: AppSettings,
    signature: Annotated[str | None, Header(alias="X-Twilio-Signature")] = None,
) -> Response:
    pairs, form = await _form(request)
    webhooks.verify_twilio(
        settings=settings,
        path_and_query=_path_and_query(request),
        params=pairs,
        signature=signature,
    )
    await webhooks.twilio_status(session=session, form=form)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@hooks.post("/twilio/inbound")
@access("sms_webhook", "deliver")
async def twilio_inbound(
    request: Request,
    session: WriteSession,
    settings: AppSettings,
    signature: Annotated[str | None, Header(alias="X-Twilio-Signature")] = None,
) -> Response:
    """Incoming SMS; STOP/START keywords update the opt-out list. Twilio itself answers the
    keywords, so our TwiML reply is empty."""
    pairs, form = await _form(request)
    webhooks.verify_twilio(
        settings=settings,
        path_and_query=_path_and_query(request),
        params=pairs,
        signature=signature,
    )
    await webhooks.twilio_inbound(session=session, form=form)
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', media_type="text/xml"
    )


@hooks.post("/africastalking/{token}/delivery")
@access("sms_webhook", "deliver")
async def africastalking_delivery(
    token: str, request: Request, session: WriteSession, settings: AppSettings
) -> dict[str, bool]:
    webhooks.check_africastalking_token(settings=settings, token=token)
    _, form = await _form(request)
    return {"applied": await webhooks.africastalking_delivery(session=session, form=form)}


@hooks.post("/africastalking/{token}/inbound")
@access("sms_webhook", "deliver")
async def africastalking_inbound(
    token: str, request: Request, session: WriteSession, settings: AppSettings
) -> dict[str, str]:
    webhooks.check_africastalking_token(settings=settings, token=token)
    _, form = await _form(request)
    return {"intent": await webhooks.africastalking_inbound(session=session, form=form)}


@hooks.post("/africastalking/{token}/optout")
@access("sms_webhook", "deliver")
async def africastalking_optout(
    token: str, request: Request, session: WriteSession, settings: AppSettings
) -> dict[str, str]:
    webhooks.check_africastalking_token(settings=settings, token=token)
    _, form = await _form(request)
    return {"intent": await webhooks.africastalking_optout(session=session, form=form)}
