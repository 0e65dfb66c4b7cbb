"""Who sent a request, read from its bearer token by middleware that runs before the
routes (the routes have their own dependency for it)."""

from starlette.types import Scope

from premier.auth import service as auth
from premier.kit.errors import NotAuthenticated

_RESOLVED = "premier.bearer_user_id"


async def bearer_user_id(scope: Scope) -> int | None:
    """Who sent the request, from its bearer token; None lets the route answer 401.

    Read once per request: the idempotency and audit middlewares both ask, and the answer
    is kept in the request's state for the second."""
    state = scope.setdefault("state", {})
    if _RESOLVED not in state:
        state[_RESOLVED] = await _resolve(scope)
    resolved: int | None = state[_RESOLVED]
    return resolved


async def _resolve(scope: Scope) -> int | None:
    scheme, _, token = (_authorization(scope) or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    state = scope["app"].state
    try:
        actor = await auth.actor_from_token(
            database=state.database,
            settings=state.settings,
            token=token.strip(),
            cache=getattr(state, "actor_cache", None),
        )
    except NotAuthenticated:
        return None
    return actor.id


def _authorization(scope: Scope) -> str | None:
    for key, value in scope["headers"]:
        if key == b"authorization":
            return str(value.decode("latin-1"))
    return None
