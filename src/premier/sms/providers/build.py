"""Build the configured SMS providers and choose their order for a destination.

Here rather than in the package's `__init__`: importing a provider module would otherwise
import the package, which imports every provider module, which imports `base`."""

import aiohttp

from premier.sms.phone import country_of
from premier.sms.providers.africastalking import AfricasTalkingProvider
from premier.sms.providers.base import SmsProvider
from premier.sms.providers.capture import CaptureProvider
from premier.sms.providers.twilio import TwilioProvider
from premier.sms.settings import SmsSettings


def build_provider(name: str, *, settings: SmsSettings, http: aiohttp.ClientSession) -> SmsProvider:
    if name == "capture":
        return CaptureProvider()
    if name == "twilio":
        return TwilioProvider(
            http=http,
            timeout_seconds=settings.timeout_seconds,
            base_url=settings.twilio_base_url,
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            from_number=settings.twilio_from_number or settings.sender_id,
            messaging_service_sid=settings.twilio_messaging_service_sid,
        )
    if name == "africastalking":
        return AfricasTalkingProvider(
            http=http,
            timeout_seconds=settings.timeout_seconds,
            base_url=settings.africastalking_base_url,
            username=settings.africastalking_username,
            api_key=settings.africastalking_api_key,
            sender_id=settings.sender_id,
        )
    raise ValueError(f"unknown SMS provider {name!r}")


def build_providers(
    *, settings: SmsSettings, http: aiohttp.ClientSession
) -> dict[str, SmsProvider]:
    names = {*settings.providers, *(n for route in settings.routes.values() for n in route)}
    return {name: build_provider(name, settings=settings, http=http) for name in names}


def provider_order(*, settings: SmsSettings, to: str) -> list[str]:
    """The providers to try for this number, in order: its country's route, else the default."""
    route = settings.routes.get(country_of(to))
    return list(route) if route else list(settings.providers)
