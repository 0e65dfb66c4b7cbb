"""Sign-in endpoints, and where the refresh token travels.

API clients get the refresh token in the JSON body and send it back in the body of
/refresh and /logout, as before. The web UI marks its requests with `X-Requested-With`;
for those the refresh token travels only as an httpOnly, SameSite=Strict cookie scoped to
/api/v1/auth (Secure when the public URL is https), so no script on the page can read it,
and the access token stays in the page's memory.

A cookie is sent by the browser on its own, so /refresh and /logout act on it only for
requests that also carry `X-Requested-With` (a cross-site form cannot set a header, and a
cross-site script cannot without a CORS preflight we refuse) and whose Origin, when sent, is
ours. SameSite=Strict already keeps the cookie off cross-site requests; the header check
holds in browsers that ignore it.
"""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Body, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from premier.auth import service
from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.auth.schemas import LoginRequest, RefreshRequest, RegisterRequest, TokenPair
from premier.auth.service import SignedIn
from premier.auth.sessions import Client
from premier.config import Settings
from premier.deps import AppSettings, Images, ReadSession, WriteSession, app_database
from premier.http.routing import Router
from premier.kit.errors import NotAuthenticated, PermissionDenied
from premier.users import service as users
from premier.users.schemas import ProfileUpdate, UserOut

router = Router(prefix="/api/v1/auth", tags=["auth"])

REFRESH_COOKIE = "premier_refresh"
COOKIE_PATH = "/api/v1/auth"
BROWSER_HEADER = "X-Requested-With"


def client_of(request: Request) -> Client:
    return Client(
        address=request.client.host if request.client else "unknown",
        user_agent=request.headers.get("user-agent"),
    )


def _is_browser(request: Request) -> bool:
    return bool(request.headers.get(BROWSER_HEADER))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _require_same_site(request: Request, settings: Settings) -> None:
    """Refuse a cookie-carried request the page itself did not make (see the module)."""
    if not _is_browser(request):
        raise PermissionDenied(
            f"send the {BROWSER_HEADER} header with requests that use the session cookie",
            code="csrf_check_failed",
        )
    origin = request.headers.get("origin")
    allowed = {_origin(settings.public_base_url), _origin(str(request.base_url))}
    allowed |= {_origin(o) for o in settings.cors_origins}
    if origin is not None and origin.lower() not in allowed:
        raise PermissionDenied("this request comes from another site", code="csrf_check_failed")


def _hand_out(
    signed: SignedIn, *, request: Request, response: Response, settings: Settings
) -> TokenPair:
    if not _is_browser(request):
        return TokenPair(access_token=signed.access_token, refresh_token=signed.refresh_token,
                         expires_in=signed.expires_in)  # fmt: skip
    response.set_cookie(
        REFRESH_COOKIE,
        signed.refresh_token,
        max_age=settings.refresh_token_days * 86_400,
        path=COOKIE_PATH,
        secure=settings.public_base_url.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return TokenPair(access_token=signed.access_token, expires_in=signed.expires_in)


def _presented_token(
    request: Request, settings: Settings, data: RefreshRequest | None
) -> tuple[str | None, bool]:
    """The body's token (API clients), else the cookie's after the same-site check; and
    whether it came from the cookie."""
    if data is not None and data.refresh_token:
        return data.refresh_token, False
    cookie = request.cookies.get(REFRESH_COOKIE)
    if cookie:
        _require_same_site(request, settings)
    return cookie, True


@router.post("/register", status_code=status.HTTP_201_CREATED)
@access("account", "register")
async def register(
    data: RegisterRequest, request: Request, response: Response, settings: AppSettings
) -> TokenPair:
    """Create a guest account and sign it in. A few a hour per client address: the 409 for
    a taken email says the address has an account, and the limit keeps anyone from asking
    that about many addresses."""
    signed = await service.register_guest(
        database=app_database(request), settings=settings, data=data, client=client_of(request)
    )
    return _hand_out(signed, request=request, response=response, settings=settings)


@router.post("/login")
@access("session", "sign_in")
async def login(
    data: LoginRequest, request: Request, response: Response, settings: AppSettings
) -> TokenPair:
    signed = await service.login(
        database=app_database(request), settings=settings, email=data.email,
        password=data.password, client=client_of(request),
    )  # fmt: skip
    return _hand_out(signed, request=request, response=response, settings=settings)


@router.post("/token", include_in_schema=True)
@access("session", "sign_in")
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    response: Response,
    settings: AppSettings,
) -> TokenPair:
    """OAuth2 password flow, so the interactive docs can authorize."""
    signed = await service.login(
        database=app_database(request), settings=settings, email=form.username,
        password=form.password, client=client_of(request),
    )  # fmt: skip
    return _hand_out(signed, request=request, response=response, settings=settings)


@router.post("/refresh")
@access("session", "refresh")
async def refresh(
    request: Request,
    response: Response,
    settings: AppSettings,
    data: Annotated[RefreshRequest | None, Body()] = None,
) -> TokenPair:
    """Spend a refresh token for a new access token and the next refresh token. A token
    works once: presenting a spent one signs its whole session out."""
    presented, from_cookie = _presented_token(request, settings, data)
    if not presented:
        raise NotAuthenticated("no refresh token; sign in first", code="invalid_token")
    signed = await service.refresh(
        database=app_database(request), settings=settings, refresh_token=presented,
        client=client_of(request),
    )  # fmt: skip
    if from_cookie:  # the next token goes back the way this one came
        return _hand_out(signed, request=request, response=response, settings=settings)
    return TokenPair(access_token=signed.access_token, refresh_token=signed.refresh_token,
                     expires_in=signed.expires_in)  # fmt: skip


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
@access("session", "sign_out")
async def logout(
    request: Request,
    settings: AppSettings,
    data: Annotated[RefreshRequest | None, Body()] = None,
) -> Response:
    """End this session (its refresh token's family); the access token lapses within its
    lifetime. Idempotent: signing out twice, or with no session, also answers 204."""
    presented, _ = _presented_token(request, settings, data)
    await service.logout(database=app_database(request), refresh_token=presented)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(
        REFRESH_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict",
        secure=settings.public_base_url.startswith("https://"),
    )  # fmt: skip
    return response


@router.get("/me")
@access("profile", "read")
async def me(actor: CurrentActor, session: ReadSession, images: Images) -> UserOut:
    return await users.profile(session=session, images=images, user_id=actor.id)


@router.patch("/me")
@access("profile", "update")
async def update_me(
    data: ProfileUpdate, actor: CurrentActor, session: WriteSession, images: Images
) -> UserOut:
    """Change your own name or profile picture."""
    await users.update_profile(session=session, images=images, actor=actor, data=data)
    return await users.profile(session=session, images=images, user_id=actor.id)
