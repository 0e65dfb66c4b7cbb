"""A fake Mailgun `POST /v3/{domain}/messages` following `../shared/PROVIDERS.md` §3:
multipart or urlencoded form, Basic auth `api:KEY`, `{"id", "message"}` on 200,
`{"message"}` on 400, plain text on 401; and webhooks signed with HMAC-SHA256 over
timestamp + token, keyed with the webhook signing key."""

import hashlib
import hmac
import json
import secrets
import time
from base64 import b64decode
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.email_common import FakeBehaviour
from tests.fakes.server import serve, shared_file

API_KEY = "key-fake-mailgun"
DOMAIN = "mg.premier.test"
SIGNING_KEY = "fake-mailgun-webhook-signing-key"
ADDRESS = "^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$"


def mailgun_error(status: int, headers: dict[str, str], message: Any) -> Response:
    if status == 401:
        return PlainTextResponse("Forbidden", 401, headers=headers)
    return JSONResponse({"message": str(message)}, status, headers=headers)


@dataclass
class FakeMailgun:
    api_key: str = API_KEY
    domain: str = DOMAIN
    signing_key: str = SIGNING_KEY
    behaviour: FakeBehaviour = field(default_factory=FakeBehaviour)
    url: str = ""

    def __post_init__(self) -> None:
        shared_file("PROVIDERS.md")  # the contract this fake follows

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return self.behaviour.accepted

    async def send(self, request: Request) -> Response:
        import re

        auth = request.headers.get("authorization", "")
        try:
            user, _, key = b64decode(auth.removeprefix("Basic ")).decode().partition(":")
        except ValueError:
            user, key = "", ""
        if not auth.startswith("Basic ") or user != "api" or key != self.api_key:
            return mailgun_error(401, {}, "Forbidden")
        if request.path_params["domain"] != self.domain:
            return mailgun_error(404, {}, "Domain not found: " + request.path_params["domain"])
        canned = await self.behaviour.interfere(mailgun_error)
        if canned is not None:
            return canned
        kind = request.headers.get("content-type", "")
        if not kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            return mailgun_error(400, {}, "expected a form body")
        form = await request.form()
        fields: dict[str, list[Any]] = {}
        for name, value in form.multi_items():
            fields.setdefault(name, []).append(value)
        for required in ("from", "to", "subject"):
            if not fields.get(required):
                return mailgun_error(400, {}, f"'{required}' parameter is missing")
        for to in fields["to"]:
            if not re.match(ADDRESS, str(to)):
                return mailgun_error(400, {}, "'to' parameter is not a valid address. "
                                     "please check documentation")  # fmt: skip
        if not any(fields.get(k) for k in ("text", "html", "amp-html", "template")):
            return mailgun_error(400, {}, "Need at least one of 'text', 'html', 'amp-html' or "
                                 "'template' parameters specified")  # fmt: skip
        if len(fields.get("o:tag", [])) > 3:
            return mailgun_error(400, {}, "Too many tags")
        attachments = []
        for upload in fields.get("attachment", []):
            if not isinstance(upload, UploadFile):
                return mailgun_error(400, {}, "attachment must be a file")
            attachments.append({"filename": upload.filename, "content": await upload.read(),
                                "content_type": upload.content_type})  # fmt: skip
        message_id = f"{time.strftime('%Y%m%d%H%M%S')}.{secrets.token_hex(8)}@{self.domain}"
        record = {k: [str(v) for v in vs] for k, vs in fields.items() if k != "attachment"}
        self.behaviour.accepted.append(
            {"message_id": message_id, "fields": record, "attachments": attachments}
        )
        if set(record["to"]) & self.behaviour.malformed_to:
            return JSONResponse({"message": "Queued. Thank you."})
        return JSONResponse({"id": f"<{message_id}>", "message": "Queued. Thank you."})

    def signed_event(self, event_data: dict[str, Any], *, key: str | None = None) -> bytes:
        timestamp = str(int(time.time()))
        token = secrets.token_hex(25)
        signature = hmac.new((key or self.signing_key).encode(), f"{timestamp}{token}".encode(),
                             hashlib.sha256).hexdigest()  # fmt: skip
        return json.dumps({
            "signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": event_data,
        }).encode()  # fmt: skip

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v3/{domain}/messages", self.send, methods=["POST"])])


@contextmanager
def running_mailgun() -> Iterator[FakeMailgun]:
    fake = FakeMailgun()
    with serve(fake.app()) as url:
        fake.url = url
        yield fake
