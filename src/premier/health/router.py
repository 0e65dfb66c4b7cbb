from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from premier.auth.access import access
from premier.deps import AppSettings, ReadSession
from premier.http.routing import Router

router = Router(prefix="/api/v1", tags=["health"])


async def _redis_ok(url: str) -> bool:
    import redis.asyncio as redis

    client = redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(await client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        await client.aclose()


@router.get("/health")
@access("health", "read")
async def health(request: Request, session: ReadSession, settings: AppSettings) -> JSONResponse:
    """Readiness: 200 when every configured backing service answers, 503 otherwise."""
    checks: dict[str, Any] = {}
    try:
        await session.execute(text("SELECT 1"))
        checks["database"] = {"status": "ok", "dialect": session.get_bind().dialect.name}
    except Exception as exc:
        checks["database"] = {"status": "error", "error": type(exc).__name__}
    if settings.redis_url:
        redis_ok = await _redis_ok(settings.redis_url)
        checks["redis"] = {"status": "ok" if redis_ok else "error"}
    healthy = all(check["status"] == "ok" for check in checks.values())
    body = {"status": "ok" if healthy else "degraded", "checks": checks}
    return JSONResponse(body, status_code=200 if healthy else 503)
