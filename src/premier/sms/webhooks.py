"""Provider callbacks: authenticate, parse into the normalized types, then act.

Twilio's are verified with `X-Twilio-Signature` against the public URL Twilio called.
Africa's Talking's are unsigned, so they are accepted only on a secret path segment, and a
delivery report only changes the message whose id and number it names."""

import hmac

from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.kit.errors import NotFound, PermissionDenied
from premier.sms import service
from premier.sms.keywords import Intent
from premier.sms.tracking import (
    parse_africastalking_inbound,
    parse_africastalking_optout,
    parse_africastalking_report,
    parse_twilio_inbound,
    parse_twilio_status,
    twilio_signature_valid,
)


def verify_twilio(
    *, settings: Settings, path_and_query: str, params: list[tuple[str, str]], signature: str | None
) -> None:
    url = settings.public_base_url.rstrip("/") + path_and_query
    if not twilio_signature_valid(settings.sms.twilio_auth_token, url, params, signature):
        raise PermissionDenied("invalid X-Twilio-Signature", code="invalid_signature")


def check_africastalking_token(*, settings: Settings, token: str) -> None:
    expected = settings.sms.africastalking_callback_token
    if not expected or not hmac.compare_digest(expected, token):
        raise NotFound("no such callback")  # do not reveal that the path exists


async def twilio_status(*, session: AsyncSession, form: dict[str, str]) -> bool:
    event = parse_twilio_status(form)
    return event is not None and await service.apply_tracking(session=session, event=event)


async def twilio_inbound(*, session: AsyncSession, form: dict[str, str]) -> Intent:
    inbound = parse_twilio_inbound(form)
    if inbound is None:
        return Intent.OTHER
    return await service.record_inbound(session=session, inbound=inbound)


async def africastalking_delivery(*, session: AsyncSession, form: dict[str, str]) -> bool:
    event = parse_africastalking_report(form)
    return event is not None and await service.apply_tracking(session=session, event=event)


async def africastalking_inbound(*, session: AsyncSession, form: dict[str, str]) -> Intent:
    inbound = parse_africastalking_inbound(form)
    if inbound is None:
        return Intent.OTHER
    return await service.record_inbound(session=session, inbound=inbound)


async def africastalking_optout(*, session: AsyncSession, form: dict[str, str]) -> Intent:
    inbound = parse_africastalking_optout(form)
    if inbound is None:
        return Intent.OTHER
    return await service.record_inbound(session=session, inbound=inbound)
