"""VAPID (RFC 8292): who we are to push services. Each request carries a JWT signed with
the hotel's P-256 key (ES256) for the push service's origin, and the matching public key,
which browsers were given when they subscribed (`applicationServerKey`), so a push service
delivers our messages only to subscriptions made for our key.

The key comes from settings (`PREMIER_PUSH_VAPID_PRIVATE_KEY`, PEM or the base64url
32-byte private number). In development, without one, a key is generated once and kept in
`PREMIER_PUSH_VAPID_KEY_FILE`, so browsers' subscriptions survive a restart. Elsewhere
without a key there is no push: the channel logs `not_configured` for each message and the
public key endpoint answers 503.
"""

import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from premier.config import Settings
from premier.kit.errors import NotFound
from premier.push.encryption import b64url_decode, b64url_encode, raw_public

# RFC 8292 §2: no more than 24 hours; 12 leaves room for clocks that disagree.
TOKEN_SECONDS = 12 * 3600


@dataclass(frozen=True, slots=True)
class Vapid:
    private_key: ec.EllipticCurvePrivateKey
    subject: str

    @property
    def public_key(self) -> str:
        """base64url of the uncompressed point: the browser's `applicationServerKey`."""
        return b64url_encode(raw_public(self.private_key.public_key()))

    def authorization(self, endpoint: str, *, now: float | None = None) -> str:
        """The Authorization header for a request to this endpoint."""
        parts = urlsplit(endpoint)
        claims = {
            "aud": f"{parts.scheme}://{parts.netloc}",
            "exp": int((now or time.time()) + TOKEN_SECONDS),
            "sub": self.subject,
        }
        token = jwt.encode(claims, self.private_key, algorithm="ES256")
        return f"vapid t={token}, k={self.public_key}"


def parse_private_key(value: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key, PEM or the base64url private number."""
    text = value.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("the VAPID key must be a P-256 (prime256v1) EC key")
        return key
    number = b64url_decode(text)
    if len(number) != 32:
        raise ValueError("the VAPID key must be PEM or 32 bytes in base64url")
    return ec.derive_private_key(int.from_bytes(number, "big"), ec.SECP256R1())


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _kept_key(path: Path) -> ec.EllipticCurvePrivateKey:
    """The development key in `path`, made the first time (readable by its owner only)."""
    if path.is_file():
        return parse_private_key(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(_pem(key))
    return key


@lru_cache(maxsize=8)
def _load(configured: str | None, file: str | None, subject: str) -> Vapid | None:
    if configured:
        return Vapid(parse_private_key(configured), subject)
    if file is None:
        return None
    return Vapid(_kept_key(Path(file)), subject)


def vapid_of(settings: Settings) -> Vapid | None:
    """The hotel's VAPID identity, or None where push is not configured."""
    key = settings.push_vapid_private_key
    file = str(settings.push_vapid_key_file) if settings.environment == "development" else None
    subject = settings.push_vapid_subject or f"mailto:{settings.hotel_support_email}"
    return _load(key.get_secret_value() if key else None, file, subject)


def require_vapid(settings: Settings) -> Vapid:
    vapid = vapid_of(settings)
    if vapid is None:
        # Not an outage: this server offers no push at all, so the page offers none either.
        raise NotFound(
            "web push is not configured on this server (PREMIER_PUSH_VAPID_PRIVATE_KEY)",
            code="push_not_configured",
        )
    return vapid
