"""RFC 5322 messages for SMTP, SES (raw) and the outbox: text + HTML alternatives,
attachments, our headers, and a DKIM signature when a key is configured."""

import base64
import uuid
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate

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


def _header(value: str) -> str:
    if value.isascii() and len(value) < 900:
        return value
    return Header(value, "utf-8").encode()


def _body(text: str) -> bytes:
    return base64.encodebytes(text.encode()).replace(b"\n", b"\r\n")


def render_raw(email: OutgoingEmail) -> bytes:
    """The message as bytes, built directly: the standard library's EmailMessage is exact but
    slow enough to cap the worker far below what SMTP takes. Parts are base64 (always 7-bit
    safe); the tests parse the result back with the standard library."""
    token = uuid.uuid4().hex
    lines = [
        f"From: {formataddr((email.from_name or '', email.from_address), 'utf-8')}",
        f"To: {formataddr((email.to_name or '', email.to_address), 'utf-8')}",
        f"Subject: {_header(email.subject)}",
        f"Date: {formatdate(localtime=False, usegmt=True)}",
        f"Message-ID: {email.message_id}",
        "MIME-Version: 1.0",
    ]
    lines += [
        f"{name}: {_header(value)}"
        for name, value in email.headers.items()
        if name.lower() not in PROTECTED
    ]
    text_part = (
        b'Content-Type: text/plain; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + _body(email.text)
    )
    body = text_part
    if email.html:
        html_part = (
            b'Content-Type: text/html; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\n" + _body(email.html)
        )
        alt = f"alt-{token}".encode()
        body = (
            b'Content-Type: multipart/alternative; boundary="' + alt + b'"\r\n\r\n'
            b"--"
            + alt
            + b"\r\n"
            + text_part
            + b"--"
            + alt
            + b"\r\n"
            + html_part
            + b"--"
            + alt
            + b"--\r\n"
        )
    if email.attachments:
        mixed = f"mixed-{token}".encode()
        parts = [b"--" + mixed + b"\r\n" + body]
        for attachment in email.attachments:
            name = _header(attachment.filename).replace('"', "")
            parts.append(
                b"--"
                + mixed
                + b"\r\n"
                + f'Content-Type: {attachment.content_type}; name="{name}"\r\n'
                f'Content-Disposition: attachment; filename="{name}"\r\n'
                "Content-Transfer-Encoding: base64\r\n\r\n".encode()
                + base64.encodebytes(attachment.content).replace(b"\n", b"\r\n")
            )
        body = (
            b'Content-Type: multipart/mixed; boundary="'
            + mixed
            + b'"\r\n\r\n'
            + b"".join(parts)
            + b"--"
            + mixed
            + b"--\r\n"
        )
    return "\r\n".join(lines).encode() + b"\r\n" + body


def message_bytes(
    email: OutgoingEmail,
    *,
    dkim_key: str | None = None,
    dkim_selector: str | None = None,
    dkim_domain: str | None = None,
) -> bytes:
    raw = render_raw(email)
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
