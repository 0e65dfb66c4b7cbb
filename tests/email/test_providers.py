"""Each provider's production adapter against a real SMTP server or a fake provider."""

import base64

import pytest

from premier.config import Settings
from premier.db import Database
from premier.delivery.attachment import Attachment
from premier.delivery.errors import PermanentFailure, TransientFailure
from premier.delivery.http import provider_session
from premier.email.models import CapturedEmail
from premier.email.providers.base import OutgoingEmail
from premier.email.providers.mailgun import MailgunProvider
from premier.email.providers.sendgrid import SendGridProvider
from premier.email.providers.ses import SesProvider
from premier.email.providers.smtp import SmtpProvider
from premier.email.sending import email_worker
from tests.email.conftest import SmtpSink, queue, statuses, with_settings
from tests.fakes import mailgun as mg
from tests.fakes import sendgrid as sg
from tests.fakes import ses

ICS = Attachment(
    "booking.ics", "text/calendar; method=PUBLISH", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
)


def email(**changes: object) -> OutgoingEmail:
    fields: dict[str, object] = dict(
        message_id="<abc.123@premier.test>",
        from_address="hotel@premier.test",
        from_name="Premier Hotel",
        to_address="grace@example.com",
        to_name="Grace",
        subject="Your booking",
        text="plain body",
        html="<p>html body</p>",
        headers={
            "List-Unsubscribe": "<http://hotel.test/u?t=1>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        attachments=(),
        category="bookings",
        queue_id=1,
    )
    return OutgoingEmail(**(fields | changes))  # type: ignore[arg-type]


async def test_smtp_delivers_both_parts_attachment_and_unsubscribe_headers(
    database: Database, settings: Settings, smtp_sink: SmtpSink
) -> None:
    settings = with_settings(settings, email_providers=["smtp"], smtp_port=smtp_sink.port)
    [row_id] = await queue(database, settings, attachments=(ICS,))
    worker = email_worker(database=database, settings=settings)
    try:
        stats = await worker.drain()
    finally:
        await worker.aclose()
    assert stats.sent == 1
    [message] = smtp_sink.messages
    assert message["To"] == "Grace <guest0@example.com>"
    assert message["From"] == "Premier Hotel <no-reply@premier.test>"
    assert message["Subject"] == "Hello 0"
    assert message["List-Unsubscribe"] == "<http://hotel.test/u?token=x>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("plain",)).get_content().strip() == "plain 0"  # type: ignore[union-attr]
    assert message.get_body(("html",)).get_content().strip() == "<p>html 0</p>"  # type: ignore[union-attr]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "booking.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert (await statuses(database))[row_id] == ("sent", "smtp")


async def test_smtp_reuses_pooled_connections(settings: Settings, smtp_sink: SmtpSink) -> None:
    settings = with_settings(settings, smtp_port=smtp_sink.port, smtp_pool_size=2)
    provider = SmtpProvider(settings=settings)
    try:
        for i in range(6):
            await provider.send(email(message_id=f"<m{i}@premier.test>"))
    finally:
        await provider.aclose()
    assert len(smtp_sink.messages) == 6
    assert len(set(smtp_sink.connections)) == 1, "sequential sends reuse one connection"


async def test_smtp_refused_recipient_is_permanent_and_dead_server_transient(
    settings: Settings, smtp_sink: SmtpSink
) -> None:
    smtp_sink.refuse.add("nobody@example.com")
    provider = SmtpProvider(settings=with_settings(settings, smtp_port=smtp_sink.port))
    with pytest.raises(PermanentFailure):
        await provider.send(email(to_address="nobody@example.com"))
    await provider.aclose()
    from tests.email.conftest import free_port

    closed = SmtpProvider(settings=with_settings(settings, smtp_port=free_port()))
    with pytest.raises(TransientFailure):
        await closed.send(email())


async def test_smtp_signs_with_dkim_when_a_key_is_configured(
    settings: Settings, smtp_sink: SmtpSink
) -> None:
    import dkim
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = base64.b64encode(
        key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    ).decode()
    provider = SmtpProvider(
        settings=with_settings(
            settings,
            smtp_port=smtp_sink.port,
            dkim_private_key=pem,
            dkim_selector="mail",
            dkim_domain="premier.test",
        )
    )
    await provider.send(email())
    await provider.aclose()
    raw = smtp_sink.envelopes[0].original_content
    assert b"DKIM-Signature:" in raw

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"mail._domainkey.premier.test."
        return f"v=DKIM1; k=rsa; p={public}".encode()

    assert dkim.verify(raw, dnsfunc=dns)


async def test_sendgrid_request_matches_the_spec(settings: Settings) -> None:
    with sg.running_sendgrid() as fake:
        http = provider_session(connections=4)
        provider = SendGridProvider(
            settings=with_settings(
                settings, sendgrid_base_url=fake.url, sendgrid_api_key=sg.API_KEY
            ),
            http=http,
        )
        try:
            result = await provider.send(
                email(attachments=(Attachment(ICS.filename, ICS.content_type, ICS.content),))
            )
        finally:
            await provider.aclose()
            await http.close()
    [sent] = fake.accepted
    assert result.provider_message_id == sent["message_id"]
    body = sent["body"]
    assert body["personalizations"][0]["to"] == [{"email": "grace@example.com", "name": "Grace"}]
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    assert body["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert body["attachments"][0]["filename"] == "booking.ics"
    assert body["personalizations"][0]["custom_args"]["outbox_id"] == "1"


async def test_sendgrid_errors_are_classified(settings: Settings) -> None:
    with sg.running_sendgrid() as fake:
        http = provider_session(connections=4)
        wrong_key = SendGridProvider(
            settings=with_settings(
                settings, sendgrid_base_url=fake.url, sendgrid_api_key="SG.wrong"
            ),
            http=http,
        )
        good = SendGridProvider(
            settings=with_settings(
                settings, sendgrid_base_url=fake.url, sendgrid_api_key=sg.API_KEY
            ),
            http=http,
        )
        try:
            with pytest.raises(TransientFailure) as unauthorized:
                await wrong_key.send(email())
            assert unauthorized.value.status == 401
            with pytest.raises(PermanentFailure) as invalid:
                await good.send(email(to_address="not-an-address"))
            assert invalid.value.status == 400
            fake.behaviour.outages.append((429, {"Retry-After": "7"}, "too many requests"))
            with pytest.raises(TransientFailure) as limited:
                await good.send(email())
            assert limited.value.retry_after == 7
        finally:
            await wrong_key.aclose()
            await good.aclose()
            await http.close()


async def test_mailgun_sends_a_form_with_attachment(settings: Settings) -> None:
    with mg.running_mailgun() as fake:
        http = provider_session(connections=4)
        provider = MailgunProvider(
            settings=with_settings(
                settings,
                mailgun_base_url=fake.url,
                mailgun_api_key=mg.API_KEY,
                mailgun_domain=mg.DOMAIN,
            ),
            http=http,
        )
        try:
            result = await provider.send(email(attachments=(ICS,)))
            with pytest.raises(PermanentFailure):
                await provider.send(email(to_address="broken"))
        finally:
            await provider.aclose()
            await http.close()
    [sent] = fake.accepted
    assert result.provider_message_id == sent["message_id"], "angle brackets stripped"
    assert sent["fields"]["to"] == ["grace@example.com"]
    assert sent["fields"]["h:List-Unsubscribe-Post"] == ["List-Unsubscribe=One-Click"]
    assert sent["fields"]["v:outbox_id"] == ["1"]
    assert sent["attachments"][0]["filename"] == "booking.ics"


async def test_ses_signs_requests_and_sends_raw_mime(settings: Settings) -> None:
    with ses.running_ses() as fake:
        common = dict(
            ses_base_url=fake.url, ses_region=ses.REGION, ses_access_key_id=ses.ACCESS_KEY
        )
        http = provider_session(connections=4)
        provider = SesProvider(
            settings=with_settings(settings, ses_secret_access_key=ses.SECRET_KEY, **common),
            http=http,
        )
        forged = SesProvider(
            settings=with_settings(settings, ses_secret_access_key="wrong", **common), http=http
        )
        try:
            result = await provider.send(email(attachments=(ICS,)))
            with pytest.raises(TransientFailure):
                await forged.send(email())
            fake.behaviour.outages.append((400, {}, "Email address is not verified."))
            with pytest.raises(PermanentFailure):
                await provider.send(email())
        finally:
            await provider.aclose()
            await forged.aclose()
            await http.close()
    [sent] = fake.accepted
    assert result.provider_message_id == sent["message_id"]
    message = sent["message"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [a.get_filename() for a in message.iter_attachments()] == ["booking.ics"]


async def test_the_capture_provider_stores_mail_for_the_viewer_of_captured_mail(
    database: Database, settings: Settings
) -> None:
    await queue(database, settings, 2)
    worker = email_worker(database=database, settings=settings)
    assert (await worker.drain()).sent == 2
    from sqlalchemy import select

    async with database.reading() as session:
        stored = list(await session.scalars(select(CapturedEmail)))
    assert [m.subject for m in stored] == ["Hello 0", "Hello 1"]
    assert stored[0].body_html == "<p>html 0</p>"


def test_the_old_name_of_the_capture_provider_still_works(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREMIER_EMAIL_PROVIDERS", "outbox,smtp")
    fields = settings.model_dump(exclude={"email_providers", "sms"})
    assert Settings(**fields).email_providers == ["capture", "smtp"]
