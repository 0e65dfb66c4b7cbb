from typing import Annotated

from fastapi import Depends, Request, WebSocketException, status
from fastapi.security import OAuth2PasswordBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.requests import HTTPConnection

from premier.auth import access, service
from premier.auth.actor import Actor
from premier.auth.actor_cache import ActorCache
from premier.config import Settings
from premier.db import Database
from premier.kit.errors import NotAuthenticated, PermissionDenied

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def current_actor(request: Request, token: Annotated[str | None, Depends(bearer)]) -> Actor:
    known: Actor | None = getattr(request.state, "actor", None)
    if known is not None:
        return known
    return await _authenticate(request, token)


async def _authenticate(connection: HTTPConnection, token: str | None) -> Actor:
    """The request's actor, kept on it so the route's own dependency reads the token once."""
    if not token:
        raise NotAuthenticated("sign in first: send 'Authorization: Bearer <token>'")
    settings: Settings = connection.app.state.settings
    database: Database = connection.app.state.database
    cache: ActorCache | None = getattr(connection.app.state, "actor_cache", None)
    actor = await service.actor_from_token(
        database=database, settings=settings, token=token, cache=cache
    )
    connection.state.actor = actor
    return actor


async def authorize(connection: HTTPConnection) -> None:
    """Every route's gate: the permission its function declared, decided by the access table.

    Runs before the route's own dependencies and body, so a refused caller learns nothing
    about ids or payloads. A route that declared nothing is refused. The WebSocket's token
    comes in its first frame, after this gate: the socket checks its rule once it has it.
    """
    permission = access.declared(connection.scope.get("endpoint"))
    websocket = connection.scope["type"] == "websocket"
    if permission is None:
        message = f"{connection.url.path} has no access rule"
        if websocket:
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, message)
        raise PermissionDenied(message, code="no_access_rule")
    if websocket or access.is_public(permission):
        return
    scheme, token = get_authorization_scheme_param(connection.headers.get("Authorization"))
    actor = await _authenticate(connection, token if scheme.lower() == "bearer" else None)
    access.check(actor, *permission)


CurrentActor = Annotated[Actor, Depends(current_actor)]
