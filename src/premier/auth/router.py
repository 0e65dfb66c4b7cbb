from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from premier.auth import service
from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.auth.schemas import LoginRequest, RefreshRequest, RegisterRequest, TokenPair
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.users import service as users
from premier.users.schemas import UserOut

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/register", status_code=status.HTTP_201_CREATED)
@access("account", "register")
async def register(
    data: RegisterRequest, session: WriteSession, settings: AppSettings
) -> TokenPair:
    """Create a guest account and sign it in."""
    return await service.register_guest(session=session, settings=settings, data=data)


@router.post("/login")
@access("session", "sign_in")
async def login(data: LoginRequest, session: WriteSession, settings: AppSettings) -> TokenPair:
    return await service.login(
        session=session, settings=settings, email=data.email, password=data.password
    )


@router.post("/token", include_in_schema=True)
@access("session", "sign_in")
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: WriteSession,
    settings: AppSettings,
) -> TokenPair:
    """OAuth2 password flow, so the interactive docs can authorize."""
    return await service.login(
        session=session, settings=settings, email=form.username, password=form.password
    )


@router.post("/refresh")
@access("session", "refresh")
async def refresh(data: RefreshRequest, session: ReadSession, settings: AppSettings) -> TokenPair:
    return await service.refresh(
        session=session, settings=settings, refresh_token=data.refresh_token
    )


@router.get("/me")
@access("profile", "read")
async def me(actor: CurrentActor, session: ReadSession) -> UserOut:
    return UserOut.model_validate(await users.get(session=session, user_id=actor.id))
