"""JWT access and refresh tokens."""

import time
from datetime import timedelta
from functools import lru_cache
from typing import Any, Literal

import jwt

from premier.config import Settings
from premier.kit.errors import NotAuthenticated
from premier.kit.time import utcnow

TokenKind = Literal["access", "refresh"]
ALGORITHM = "HS256"


def issue_token(
    *, settings: Settings, user_id: int, role: str, token_version: int, kind: TokenKind
) -> str:
    lifetime = (
        timedelta(minutes=settings.access_token_minutes)
        if kind == "access"
        else timedelta(days=settings.refresh_token_days)
    )
    now = utcnow()
    claims = {
        "sub": str(user_id),
        "role": role,
        "ver": token_version,
        "kind": kind,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_token(*, settings: Settings, token: str, kind: TokenKind) -> dict[str, Any]:
    try:
        claims = dict(_signed_claims(token, settings.secret_key))
    except jwt.PyJWTError as exc:
        raise NotAuthenticated("invalid token", code="invalid_token") from exc
    if not isinstance(claims["exp"], int) or claims["exp"] <= time.time():
        raise NotAuthenticated("token expired", code="token_expired")
    if claims.get("kind") != kind:
        raise NotAuthenticated(f"expected an {kind} token", code="invalid_token")
    return claims


@lru_cache(maxsize=8192)
def _signed_claims(token: str, secret_key: str) -> dict[str, Any]:
    """A token's claims once its signature checks out. A signature stays valid, so a client's
    token is checked once, not on every request (HS256 and parsing were 9% of a booking);
    expiry changes with the clock and is checked by the caller every time. Failures are not
    cached."""
    claims: dict[str, Any] = jwt.decode(
        token,
        secret_key,
        algorithms=[ALGORITHM],
        options={"require": ["sub", "exp", "kind"], "verify_exp": False},
    )
    return claims
