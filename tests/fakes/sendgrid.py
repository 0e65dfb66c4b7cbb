"""A fake SendGrid v3 Mail Send that validates each request body against SendGrid's OpenAPI
description (`../shared/provider-specs/sendgrid_mail_v3.json`), answers with its error shape
`{"errors": [{"message", "field", "help"}]}`, and signs Event Webhook posts the way SendGrid
does (ECDSA P-256 over timestamp + body)."""

import base64
import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.email_common import FakeBehaviour
from tests.fakes.server import serve, shared_file

API_KEY = "SG.fake-sendgrid-key"


def load_validator() -> Any:
    spec = json.loads(shared_file("provider-specs/sendgrid_mail_v3.json").read_text())
    body = spec["paths"]["/v3/mail/send"]["post"]["requestBody"]
    if "$ref" in body:
        body = spec["components"]["requestBodies"][body["$ref"].rsplit("/", 1)[-1]]
    schema = dict(body["content"]["application/json"]["schema"])
    schema["components"] = spec["components"]
    return jsonschema_rs.validator_for(schema)


def sendgrid_error(status: int, headers: dict[str, str], message: Any) -> Response:
    body = {"errors": [{"message": str(message), "field": None, "help": None}]}
    return JSONResponse(body, status, headers=headers)


@dataclass
class FakeSendGrid:
    api_key: str = API_KEY
    behaviour: FakeBehaviour = field(default_factory=FakeBehaviour)
    validator: Any = field(default_factory=load_validator)
    signing_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    url: str = ""

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return self.behaviour.accepted

    @property
    def public_key_b64(self) -> str:
        der = self.signing_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()

    def sign(self, body: bytes, timestamp: str) -> dict[str, str]:
        signature = self.signing_key.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
            "Content-Type": "application/json",
        }

    async def send(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return sendgrid_error(401, {}, "The provided authorization grant is invalid, "
                                  "expired, or revoked")  # fmt: skip
        canned = await self.behaviour.interfere(sendgrid_error)
        if canned is not None:
            return canned
        try:
            body = json.loads(await request.body())
        except ValueError:
            return sendgrid_error(400, {}, "Bad Request")
        problems = [e.message for e in self.validator.iter_errors(body)]
        if not body.get("content") and not body.get("template_id"):
            problems.append("Unless a valid template_id is provided, the content parameter is "
                            "required.")  # fmt: skip
        for personalization in body.get("personalizations", []):
            for to in personalization.get("to", []):
                if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", to.get("email", "")):
                    problems.append("Does not contain a valid address.")
        if problems:
            return sendgrid_error(400, {}, problems[0])
        message_id = secrets.token_urlsafe(16)
        self.behaviour.accepted.append({"message_id": message_id, "body": body})
        return Response(status_code=202, headers={"X-Message-Id": message_id})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v3/mail/send", self.send, methods=["POST"])])


@contextmanager
def running_sendgrid() -> Iterator[FakeSendGrid]:
    fake = FakeSendGrid()
    with serve(fake.app()) as url:
        fake.url = url
        yield fake
