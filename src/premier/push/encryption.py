"""Message encryption for Web Push (RFC 8291, `aes128gcm` content coding of RFC 8188).

A push service only relays the bytes; the browser decrypts them with the private key behind
the subscription's `p256dh` public key and its `auth` secret. Each message gets a fresh
ECDH key pair and salt, so two messages never share a content key:

    ecdh_secret = ECDH(our one-off private key, p256dh)
    IKM   = HKDF(salt=auth, ikm=ecdh_secret, info="WebPush: info" 0x00 p256dh our_public, 32)
    CEK   = HKDF(salt=salt, ikm=IKM, info="Content-Encoding: aes128gcm" 0x00, 16)
    NONCE = HKDF(salt=salt, ikm=IKM, info="Content-Encoding: nonce" 0x00, 12)
    body  = salt(16) rs(4) idlen(1)=65 our_public(65) AES-128-GCM(CEK, NONCE, text 0x02)

One record only (RFC 8291 §4): the plaintext must fit in `MAX_PLAINTEXT` bytes.
"""

import base64
import os
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

RECORD_SIZE = 4096
# The record size less the header's key id, the GCM tag and the padding delimiter.
MAX_PLAINTEXT = RECORD_SIZE - 16 - 1 - 65 - 16 - 1 - 4 - 2


class EncryptionError(ValueError):
    """The subscription's keys cannot be used, or the message does not fit."""


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url_encode(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode("ascii")


def public_key_of(raw: bytes) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from its 65-byte uncompressed point."""
    if len(raw) != 65 or raw[0] != 4:
        raise EncryptionError("p256dh must be an uncompressed P-256 point (65 bytes)")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError as exc:
        raise EncryptionError("p256dh is not a point on P-256") from exc


def raw_public(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass(frozen=True, slots=True)
class Keys:
    """What the browser gave when it subscribed (both base64url)."""

    p256dh: str
    auth: str


def derive(
    *, ecdh_secret: bytes, auth: bytes, ua_public: bytes, as_public: bytes, salt: bytes
) -> tuple[bytes, bytes]:
    """The content key and nonce (both ends compute the same)."""
    ikm = _hkdf(auth, ecdh_secret, b"WebPush: info\x00" + ua_public + as_public, 32)
    cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    return cek, nonce


def encrypt(plaintext: bytes, keys: Keys, *, salt: bytes | None = None) -> bytes:
    """The request body for one push message to this subscription."""
    if len(plaintext) > MAX_PLAINTEXT:
        raise EncryptionError(f"push payload is {len(plaintext)} bytes, at most {MAX_PLAINTEXT}")
    ua_raw = b64url_decode(keys.p256dh)
    auth = b64url_decode(keys.auth)
    if len(auth) != 16:
        raise EncryptionError("auth must be a 16-byte secret")
    ua_public = public_key_of(ua_raw)
    ours = ec.generate_private_key(ec.SECP256R1())
    as_raw = raw_public(ours.public_key())
    salt = salt or os.urandom(16)
    cek, nonce = derive(
        ecdh_secret=ours.exchange(ec.ECDH(), ua_public),
        auth=auth,
        ua_public=ua_raw,
        as_public=as_raw,
        salt=salt,
    )
    ciphertext = AESGCM(cek).encrypt(nonce, plaintext + b"\x02", None)
    return salt + struct.pack("!IB", RECORD_SIZE, len(as_raw)) + as_raw + ciphertext
