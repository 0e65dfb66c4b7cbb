from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from premier.auth import service
from premier.auth.actor import Actor
from premier.auth.actor_cache import ActorCache
from premier.deps import AppSettings, app_database
from premier.kit.errors import NotAuthenticated

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def current_actor(
    request: Request,
    settings: AppSettings,
    token: Annotated[str | None, Depends(bearer)],
) -> Actor:
    if not token:
        raise NotAuthenticated("sign in first: send 'Authorization: Bearer <token>'")
    cache: ActorCache | None = getattr(request.app.state, "actor_cache", None)
    return await service.actor_from_token(
        database=app_database(request), settings=settings, token=token, cache=cache
    )


CurrentActor = Annotated[Actor, Depends(current_actor)]
