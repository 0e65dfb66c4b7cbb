"""JWT access and refresh tokens."""

from datetime import timedelta
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
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "kind"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise NotAuthenticated("token expired", code="token_expired") from exc
    except jwt.PyJWTError as exc:
        raise NotAuthenticated("invalid token", code="invalid_token") from exc
    if claims.get("kind") != kind:
        raise NotAuthenticated(f"expected an {kind} token", code="invalid_token")
    return claims
