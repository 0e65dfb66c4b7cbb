"""A fake Amazon SES v2 (`POST /v2/email/outbound-emails`) that checks the AWS Signature
Version 4 of every request with its own implementation, parses the raw MIME message, answers
with SES's error shape (`x-amzn-ErrorType` header, `{"message"}` body), and publishes SES
events through SNS-signed notifications (RSA over the canonical string, with the signing
certificate served from `/sns/cert.pem`)."""

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.email_common import FakeBehaviour
from tests.fakes.server import serve

ACCESS_KEY = "AKIAFAKEFAKEFAKE"
SECRET_KEY = "fake-secret-access-key"
REGION = "eu-west-1"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-events"
ERROR_TYPES = {
    400: "MessageRejected",
    429: "TooManyRequestsException",
    500: "InternalFailure",
    503: "ServiceUnavailable",
    403: "SignatureDoesNotMatch",
}


def ses_error(status: int, headers: dict[str, str], message: Any) -> Response:
    kind = ERROR_TYPES.get(status, "BadRequestException")
    return JSONResponse(
        {"message": str(message)}, status, headers={"x-amzn-ErrorType": f"{kind}:", **headers}
    )


def _signature_ok(request: Request, body: bytes, secret: str) -> bool:
    auth = request.headers.get("authorization", "")
    try:
        algorithm, rest = auth.split(" ", 1)
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        _, day, region, service, _ = parts["Credential"].split("/")
    except ValueError:
        return False
    if algorithm != "AWS4-HMAC-SHA256" or service != "ses":
        return False
    names = parts["SignedHeaders"].split(";")
    canonical_headers = "".join(f"{n}:{request.headers.get(n, '').strip()}\n" for n in names)
    canonical = "\n".join(
        [
            request.method,
            request.url.path,
            request.url.query,
            canonical_headers,
            parts["SignedHeaders"],
            hashlib.sha256(body).hexdigest(),
        ]
    )
    amz_date = request.headers.get("x-amz-date", "")
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = (
        f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n" + hashlib.sha256(canonical.encode()).hexdigest()
    )
    key = f"AWS4{secret}".encode()
    for piece in (day, region, service, "aws4_request"):
        key = hmac.new(key, piece.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("Signature", ""))


def _certificate() -> tuple[rsa.RSAPrivateKey, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.eu-west-1.amazonaws.com")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class FakeSes:
    behaviour: FakeBehaviour = field(default_factory=FakeBehaviour)
    sns_key_and_cert: tuple[rsa.RSAPrivateKey, bytes] = field(default_factory=_certificate)
    url: str = ""
    confirmed: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return self.behaviour.accepted

    async def send(self, request: Request) -> Response:
        body = await request.body()
        if not _signature_ok(request, body, SECRET_KEY):
            return ses_error(
                403,
                {},
                "The request signature we calculated does not match the signature you provided.",
            )
        canned = await self.behaviour.interfere(ses_error)
        if canned is not None:
            return canned
        try:
            payload = json.loads(body)
            raw = base64.b64decode(payload["Content"]["Raw"]["Data"])
            to = payload["Destination"]["ToAddresses"]
            sender = payload["FromEmailAddress"]
        except (ValueError, KeyError, TypeError):
            return JSONResponse(
                {"message": "Invalid request"},
                400,
                headers={"x-amzn-ErrorType": "BadRequestException:"},
            )
        if not to or any("@" not in address for address in to):
            return ses_error(400, {}, "Illegal address")
        message = message_from_bytes(raw, policy=policy.default)
        message_id = f"0102{secrets.token_hex(16)}-000000"
        self.behaviour.accepted.append(
            {
                "message_id": message_id,
                "from": sender,
                "to": to,
                "message": message,
                "tags": payload.get("EmailTags"),
            }
        )
        return JSONResponse({"MessageId": message_id})

    async def cert(self, _: Request) -> Response:
        return Response(self.sns_key_and_cert[1], media_type="application/x-pem-file")

    def sns_notification(
        self, ses_event: dict[str, Any], *, tamper: bool = False, topic: str = TOPIC
    ) -> bytes:
        fields = {
            "Type": "Notification",
            "MessageId": secrets.token_hex(16),
            "TopicArn": topic,
            "Message": json.dumps(ses_event),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "SignatureVersion": "2",
            "SigningCertURL": f"{self.url}/sns/cert.pem",
        }
        self._sign(fields, ("Message", "MessageId", "Timestamp", "TopicArn", "Type"))
        if tamper:
            fields["Message"] = fields["Message"].replace("Delivery", "Bounce")
        return json.dumps(fields).encode()

    def sns_subscription_confirmation(self, *, topic: str = TOPIC) -> bytes:
        """What SNS posts when a topic subscribes this endpoint; visiting SubscribeURL
        confirms it (recorded in `confirmed`)."""
        token = secrets.token_hex(32)
        fields = {
            "Type": "SubscriptionConfirmation",
            "MessageId": secrets.token_hex(16),
            "Token": token,
            "TopicArn": topic,
            "Message": f"You have chosen to subscribe to the topic {topic}.",
            "SubscribeURL": f"{self.url}/?Action=ConfirmSubscription&TopicArn={topic}"
            f"&Token={token}",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "SignatureVersion": "2",
            "SigningCertURL": f"{self.url}/sns/cert.pem",
        }
        self._sign(
            fields,
            ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
        )
        return json.dumps(fields).encode()

    def _sign(self, fields: dict[str, str], names: tuple[str, ...]) -> None:
        canonical = "".join(f"{k}\n{fields[k]}\n" for k in names)
        signature = self.sns_key_and_cert[0].sign(
            canonical.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        fields["Signature"] = base64.b64encode(signature).decode()

    async def confirm(self, request: Request) -> Response:
        self.confirmed.append(request.query_params.get("TopicArn", ""))
        return Response("<ConfirmSubscriptionResponse/>", media_type="text/xml")

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v2/email/outbound-emails", self.send, methods=["POST"]),
                Route("/sns/cert.pem", self.cert),
                Route("/", self.confirm),
            ]
        )


@contextmanager
def running_ses() -> Iterator[FakeSes]:
    fake = FakeSes()
    with serve(fake.app()) as url:
        fake.url = url
        yield fake
