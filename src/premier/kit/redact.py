"""Secrets and phone numbers out of log lines.

Access logs print whole request lines, and those carry secrets: password reset and
unsubscribe links and the WebSocket's access token travel in the query string, Africa's
Talking and M-Pesa callbacks in a path segment. Phone numbers are personal data: a log keeps
their last three digits, enough to tell messages apart. One function, used by the stdlib
logging filter on uvicorn's loggers and by the structlog processor, so both redact alike.
"""

import logging
import re
from collections.abc import MutableMapping
from typing import Any

REDACTED = "[redacted]"

_QUERY_SECRET = re.compile(
    r"(?i)([?&;](?:token|access_token|refresh_token|id_token|code|key|signature|password"
    r"|x-amz-signature|x-amz-security-token)=)"
    r"[^&;#\s\"']+"
)
_AFRICASTALKING_PATH = re.compile(r"(/sms/webhooks/africastalking/)[^/?#\s\"']+")
# M-Pesa's result for a payment arrives on a path holding that payment's secret.
_PAYMENT_CALLBACK_PATH = re.compile(r"(/payments/callbacks/)[^/?#\s\"']+")
# A signed link to an uploaded file: the token is the whole authorization.
_UPLOAD_LINK = re.compile(r"(/api/v1/uploads/files/)[^/?#\s\"']+")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
# International numbers (plain or URL-encoded plus), Kenyan local mobile numbers, and
# Kenyan numbers as M-Pesa writes them (2547XXXXXXXX, no plus).
_PHONE = re.compile(
    r"(?:\+|%2[Bb])\d{7,15}\b"
    r"|(?<![\w.:/-])0[17]\d{8}(?![\w.-])"
    r"|(?<![\w.:/-])254[17]\d{8}(?![\w.-])"
)


def _mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0).removeprefix("%2B").removeprefix("%2b"))
    return f"***{digits[-3:]}"


def redact(text: str) -> str:
    """The text with secrets replaced and phone numbers cut to their last three digits."""
    if not text:
        return text
    text = _QUERY_SECRET.sub(rf"\1{REDACTED}", text)
    text = _AFRICASTALKING_PATH.sub(rf"\1{REDACTED}", text)
    text = _PAYMENT_CALLBACK_PATH.sub(rf"\1{REDACTED}", text)
    text = _UPLOAD_LINK.sub(rf"\1{REDACTED}", text)
    text = _JWT.sub(REDACTED, text)
    return _PHONE.sub(_mask_phone, text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, tuple):
        return tuple(_redact_value(item) for item in value)
    if isinstance(value, list):
        return [_redact_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    return value


class RedactingFilter(logging.Filter):
    """For stdlib loggers (uvicorn's): rewrites the message and its arguments in place, so
    formatters that read the arguments themselves (uvicorn's access log) see them redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = _redact_value(record.args)
        return True


def redact_event(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: every string in the event, after exceptions are formatted."""
    for key, value in event.items():
        event[key] = _redact_value(value)
    return event
