"""Provider tracking webhooks: verify → parse into TrackingEvents → record once each."""

import json
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from premier.auth.access import access
from premier.config import Settings
from premier.deps import AppSettings, WriteSession
from premier.email import webhooks
from premier.email.providers import mailgun, sendgrid, ses
from premier.email.tracking import record
from premier.errors import error_body
from premier.http.routing import Router
from premier.kit.errors import InvalidInput, NotFound, PermissionDenied

router = Router(prefix="/api/v1/webhooks/email", tags=["webhooks"])


async def _body(request: Request) -> bytes:
    """The body; its size was limited before it was read (premier.http.body_limit)."""
    return await request.body()


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise InvalidInput("expected JSON") from exc


@router.post("/sendgrid")
@access("email_webhook", "deliver")
async def sendgrid_events(
    request: Request, session: WriteSession, settings: AppSettings
) -> dict[str, int]:
    if not settings.sendgrid_webhook_public_key:
        raise PermissionDenied(
            "SendGrid webhook verification key is not configured", code="webhook_not_configured"
        )
    body = await _body(request)
    sendgrid.verify_webhook(
        public_key_b64=settings.sendgrid_webhook_public_key,
        signature=request.headers.get("X-Twilio-Email-Event-Webhook-Signature", ""),
        timestamp=request.headers.get("X-Twilio-Email-Event-Webhook-Timestamp", ""),
        body=body,
    )
    applied = await record(session=session, events=sendgrid.parse_events(body))
    await session.commit()
    return {"applied": applied}


@router.post("/mailgun", response_model=None)
@access("email_webhook", "deliver")
async def mailgun_event(
    request: Request, session: WriteSession, settings: AppSettings
) -> dict[str, int] | JSONResponse:
    if not settings.mailgun_webhook_signing_key:
        raise PermissionDenied(
            "Mailgun webhook signing key is not configured", code="webhook_not_configured"
        )
    payload = _json(await _body(request))
    if not isinstance(payload, dict) or not isinstance(payload.get("signature"), dict):
        # 406 tells Mailgun never to retry this payload.
        return JSONResponse(error_body("not_acceptable", "bad payload"), 406)
    max_age = settings.mailgun_webhook_max_age_seconds
    try:
        token = mailgun.verify_webhook(
            signing_key=settings.mailgun_webhook_signing_key,
            signature=payload["signature"],
            max_age_seconds=max_age,
        )
        await webhooks.spend_token(
            session=session, provider="mailgun", token=token, max_age_seconds=max_age
        )
    except PermissionDenied as exc:
        return JSONResponse(error_body(exc.code, exc.message), 406)
    applied = await record(session=session, events=[mailgun.parse_event(payload)])
    await session.commit()
    return {"applied": applied}


@router.post("/ses")
@access("email_webhook", "deliver")
async def ses_notification(
    request: Request, session: WriteSession, settings: AppSettings
) -> dict[str, int]:
    if not _ses_configured(settings):
        raise NotFound("no endpoint at this address")
    if not settings.ses_webhook_topic_arns:
        raise PermissionDenied(
            "SES webhook topics (PREMIER_SES_WEBHOOK_TOPIC_ARNS) are not configured",
            code="webhook_not_configured",
        )
    message = _json(await _body(request))  # SNS posts JSON as text/plain
    if not isinstance(message, dict):
        raise InvalidInput("expected an SNS message")
    await ses.verify_sns(
        message,
        cert_url_pattern=settings.sns_certificate_url_pattern,
        allowed_topics=settings.ses_webhook_topic_arns,
    )
    if message.get("Type") == "SubscriptionConfirmation":
        await ses.confirm_subscription(message)
        return {"applied": 0}
    applied = await record(session=session, events=ses.parse_events(message))
    await session.commit()
    return {"applied": applied}


def _ses_configured(settings: Settings) -> bool:
    """Without SES in use the endpoint does not exist: nothing to track, nothing to suppress."""
    return "ses" in settings.email_providers or bool(settings.ses_access_key_id)
