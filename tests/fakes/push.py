"""A fake Web Push service that also plays the browser behind each subscription.

As a push service (RFC 8030) it takes `POST /push/{token}` and refuses what real ones
refuse: a missing TTL, a content coding other than aes128gcm, a body over 4096 bytes, and a
request whose VAPID authorization (RFC 8292) does not hold: `vapid t=<JWT>, k=<key>` with
the JWT signed ES256 by that key, `aud` this service's origin, `exp` in the future and no
more than 24 hours away, `sub` a mailto: or https: URI, and `k` the key the subscription
was made with (403 otherwise). As the browser it holds each subscription's private key and
auth secret and really decrypts the body (RFC 8291); a message it cannot decrypt is
refused with 400, so a wrong encryption fails the test that sends it.
"""

import base64
import json
import secrets
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.server import serve

MAX_BODY = 4096
URGENCIES = {"very-low", "low", "normal", "high"}


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


def _unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _raw(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass
class Browser:
    """One subscription as the browser holds it."""

    token: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    application_server_key: str
    received: list[dict[str, Any]] = field(default_factory=list)

    def keys(self) -> dict[str, str]:
        return {"p256dh": _b64(_raw(self.private_key.public_key())), "auth": _b64(self.auth)}

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 §3.4 from the receiving end; raises ValueError when it does not hold."""
        if len(body) < 21:
            raise ValueError("body shorter than the aes128gcm header")
        salt, (rs, idlen) = body[:16], struct.unpack("!IB", body[16:21])
        if idlen != 65 or rs < 18:
            raise ValueError(f"keyid must be the sender's 65-byte public key, got {idlen}")
        sender_raw = body[21 : 21 + idlen]
        ciphertext = body[21 + idlen :]
        if len(ciphertext) > rs:
            raise ValueError("more than one record")
        sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_raw)
        ecdh = self.private_key.exchange(ec.ECDH(), sender)
        ua_raw = _raw(self.private_key.public_key())
        ikm = _hkdf(self.auth, ecdh, b"WebPush: info\x00" + ua_raw + sender_raw, 32)
        cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        try:
            padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
        except InvalidTag as exc:
            raise ValueError("the message does not decrypt with this subscription's keys") from exc
        text = padded.rstrip(b"\x00")
        if not text.endswith(b"\x02"):
            raise ValueError("the last record must end with the 0x02 delimiter")
        return text[:-1]


@dataclass
class FakePushService:
    url: str = ""
    browsers: dict[str, Browser] = field(default_factory=dict)
    # Subscriptions the browser dropped: answered 410 Gone.
    gone: set[str] = field(default_factory=set)
    # Statuses answered (in order) before normal service resumes, e.g. 429 or 503.
    outages: list[int] = field(default_factory=list)
    retry_after: str | None = None
    refused: list[str] = field(default_factory=list)  # why each refused request was refused
    requests: int = 0
    headers_seen: list[dict[str, str]] = field(default_factory=list)

    def subscribe(self, application_server_key: str) -> dict[str, Any]:
        """What `pushManager.subscribe()` gives the page: endpoint and keys."""
        token = secrets.token_urlsafe(16)
        browser = Browser(
            token=token,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=secrets.token_bytes(16),
            application_server_key=application_server_key,
        )
        self.browsers[token] = browser
        return {"endpoint": f"{self.url}/push/{token}", "keys": browser.keys()}

    def browser_of(self, endpoint: str) -> Browser:
        return self.browsers[endpoint.rsplit("/", 1)[1]]

    def reset(self) -> None:
        self.browsers.clear()
        self.gone.clear()
        self.outages.clear()
        self.refused.clear()
        self.headers_seen.clear()
        self.retry_after = None
        self.requests = 0

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/push/{token}", self._push, methods=["POST"])])

    def _refuse(self, status: int, reason: str) -> Response:
        self.refused.append(reason)
        return PlainTextResponse(reason, status)

    def _check_vapid(self, header: str, browser: Browser) -> str | None:
        """Why this Authorization header is refused, or None when it holds."""
        if not header.startswith("vapid "):
            return "Authorization must use the vapid scheme"
        params = dict(
            part.strip().split("=", 1) for part in header[len("vapid ") :].split(",") if "=" in part
        )
        token, key = params.get("t"), params.get("k")
        if not token or not key:
            return "vapid needs t= and k="
        if key != browser.application_server_key:
            return "k is not the key this subscription was made with"
        try:
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(key))
            if jwt.get_unverified_header(token).get("alg") != "ES256":
                return "the JWT must be signed ES256"
            claims = jwt.decode(
                token,
                public,
                algorithms=["ES256"],
                audience=self.url,
                options={"require": ["aud", "exp", "sub"]},
            )
        except (jwt.PyJWTError, ValueError) as exc:
            return f"invalid VAPID JWT: {exc}"
        if claims["exp"] > time.time() + 24 * 3600:
            return "exp is more than 24 hours away"
        if not str(claims["sub"]).startswith(("mailto:", "https:")):
            return "sub must be a mailto: or https: URI"
        return None

    async def _push(self, request: Request) -> Response:
        self.requests += 1
        self.headers_seen.append(dict(request.headers))
        token = request.path_params["token"]
        browser = self.browsers.get(token)
        if browser is None or token in self.gone:
            return self._refuse(410, "push subscription has unsubscribed or expired")
        if self.outages:
            status = self.outages.pop(0)
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            return PlainTextResponse("try again later", status, headers=headers)
        problem = self._check_vapid(request.headers.get("authorization", ""), browser)
        if problem:
            return self._refuse(403 if "k is not" in problem else 401, problem)
        if "ttl" not in request.headers or not request.headers["ttl"].isdigit():
            return self._refuse(400, "TTL header is required")
        if request.headers.get("urgency", "normal") not in URGENCIES:
            return self._refuse(400, "Urgency must be very-low, low, normal or high")
        if request.headers.get("content-encoding") != "aes128gcm":
            return self._refuse(400, "Content-Encoding must be aes128gcm")
        body = await request.body()
        if len(body) > MAX_BODY:
            return self._refuse(413, "payload too large")
        try:
            plaintext = browser.decrypt(body)
            message = json.loads(plaintext)
        except ValueError as exc:
            return self._refuse(400, f"could not decrypt: {exc}")
        browser.received.append(message)
        location = f"{self.url}/message/{secrets.token_hex(8)}"
        return Response(status_code=201, headers={"Location": location})


@contextmanager
def running_fake_push_service() -> Iterator[FakePushService]:
    fake = FakePushService()
    with serve(fake.app()) as url:
        fake.url = url
        yield fake
