"""Provider callbacks: authenticate, let the provider parse them into the normalized types
(`TrackingEvent`, `InboundSms`), then record them.

Twilio's are verified with `X-Twilio-Signature` against the public URL Twilio called.
Africa's Talking's are unsigned, so they are accepted only on a secret path segment, and a
delivery report only changes the message whose id and number it names."""

import hmac

from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.kit.errors import NotFound, PermissionDenied
from premier.sms import service, tracking
from premier.sms.keywords import Intent
from premier.sms.providers import africastalking, twilio


def verify_twilio(
    *, settings: Settings, path_and_query: str, params: list[tuple[str, str]], signature: str | None
) -> None:
    url = settings.public_base_url.rstrip("/") + path_and_query
    if not twilio.signature_valid(settings.sms.twilio_auth_token, url, params, signature):
        raise PermissionDenied("invalid X-Twilio-Signature", code="invalid_signature")


def check_africastalking_token(*, settings: Settings, token: str) -> None:
    expected = settings.sms.africastalking_callback_token
    if not expected or not hmac.compare_digest(expected, token):
        raise NotFound("no such callback")  # do not reveal that the path exists


async def twilio_status(*, session: AsyncSession, form: dict[str, str]) -> bool:
    event = twilio.parse_status(form)
    return event is not None and await tracking.record(session=session, event=event)


async def twilio_inbound(*, session: AsyncSession, form: dict[str, str]) -> Intent:
    inbound = twilio.parse_inbound(form)
    if inbound is None:
        return Intent.OTHER
    return await service.record_inbound(session=session, inbound=inbound)


async def africastalking_delivery(*, session: AsyncSession, form: dict[str, str]) -> bool:
    event = africastalking.parse_report(form)
    return event is not None and await tracking.record(session=session, event=event)


async def africastalking_inbound(*, session: AsyncSession, form: dict[str, str]) -> Intent:
    inbound = africastalking.parse_inbound(form)
    if inbound is None:
        return Intent.OTHER
    return await service.record_inbound(session=session, inbound=inbound)


async def africastalking_optout(*, session: AsyncSession, form: dict[str, str]) -> Intent:
    inbound = africastalking.parse_optout(form)
    if inbound is None:
        return Intent.OTHER
    return await service.record_inbound(session=session, inbound=inbound)
