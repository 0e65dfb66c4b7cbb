"""RFC 5322 messages for SMTP, SES (raw) and the outbox: text + HTML alternatives,
attachments, our headers, and a DKIM signature when a key is configured."""

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

import dkim

from premier.email.providers.base import OutgoingEmail

PROTECTED = {
    "from",
    "to",
    "subject",
    "message-id",
    "date",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "bcc",
    "cc",
}
DKIM_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
]


def _address(address: str, name: str | None) -> Address:
    username, _, domain = address.rpartition("@")
    return Address(display_name=name or "", username=username, domain=domain)


def build_message(email: OutgoingEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = _address(email.from_address, email.from_name)
    message["To"] = _address(email.to_address, email.to_name)
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = email.message_id
    for name, value in email.headers.items():
        if name.lower() not in PROTECTED:
            message[name] = value
    message.set_content(email.text)
    if email.html:
        message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        maintype, _, subtype = attachment.content_type.partition(";")[0].partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def message_bytes(
    email: OutgoingEmail,
    *,
    dkim_key: str | None = None,
    dkim_selector: str | None = None,
    dkim_domain: str | None = None,
) -> bytes:
    raw = build_message(email).as_bytes()
    if dkim_key and dkim_selector and dkim_domain:
        signature = dkim.sign(
            raw,
            dkim_selector.encode(),
            dkim_domain.encode(),
            dkim_key.encode(),
            include_headers=DKIM_HEADERS,
            canonicalize=(b"relaxed", b"relaxed"),
        )
        raw = signature + raw
    return raw
