from typing import Annotated

from fastapi import Depends, Query, Response, status

from premier.auth import reset
from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import AppSettings, ReadSession, WriteSession
from premier.http.openapi import replayed
from premier.http.routing import Router
from premier.kit.errors import Conflict, RateLimited
from premier.kit.ids import PathId
from premier.kit.pagination import Page, PageParams, page_params
from premier.users import service
from premier.users.models import Role
from premier.users.schemas import GuestCreate, ResetSent, StaffCreate, UserOut, UserUpdate

router = Router(prefix="/api/v1/users", tags=["users"])


@router.get("")
@access("user", "read")
async def list_users(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    role: Role | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
    staff_only: bool = False,
) -> Page[UserOut]:
    """`staff_only` leaves guests out: the staff, managers and admins."""
    return await service.list_users(
        session=session, actor=actor, page=page, role=role, search=search, staff_only=staff_only
    )


@router.post("", status_code=status.HTTP_201_CREATED, responses=replayed(UserOut))
@access("user", "create")
async def create_account(
    data: StaffCreate,
    actor: CurrentActor,
    session: WriteSession,
    settings: AppSettings,
    response: Response,
) -> UserOut:
    """Admins create any account; managers create staff accounts. Without a password the
    new owner is emailed a link to choose one. The same account sent again answers 200."""
    user, created = await service.create_staff(session=session, actor=actor, data=data)
    if not created:
        response.status_code = status.HTTP_200_OK
    elif data.password is None:
        await reset.send_reset_link(session=session, settings=settings, user=user)
    return UserOut.model_validate(user)


@router.post("/guests", status_code=status.HTTP_201_CREATED)
@access("guest_profile", "create")
async def create_guest_profile(
    data: GuestCreate, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> UserOut:
    """The front desk adds a guest who has no account (a walk-in, a phone booking); the
    guest is emailed a link to choose a password, should they want to sign in."""
    user = await service.create_guest(session=session, actor=actor, data=data)
    await reset.send_reset_link(session=session, settings=settings, user=user)
    return UserOut.model_validate(user)


@router.patch("/{user_id}")
@access("user", "update")
async def update_account(
    user_id: PathId, data: UserUpdate, actor: CurrentActor, session: WriteSession
) -> UserOut:
    """Admins change any account; managers change staff accounts (never their own role)."""
    return UserOut.model_validate(
        await service.update_user(session=session, actor=actor, user_id=user_id, data=data)
    )


@router.post("/{user_id}/password-reset", status_code=status.HTTP_202_ACCEPTED)
@access("user", "reset_password")
async def send_password_reset(
    user_id: PathId, actor: CurrentActor, session: WriteSession, settings: AppSettings
) -> ResetSent:
    """Email the account's owner a link to choose a new password. The link goes only to
    their inbox: this answer never carries it."""
    user = await service.get(session=session, user_id=user_id)
    service.check_may_manage(actor, Role(user.role))
    if not user.is_active:
        raise Conflict(
            "this account is deactivated; reactivate it before sending a reset link",
            code="account_inactive",
        )
    if not await reset.send_reset_link(session=session, settings=settings, user=user):
        raise RateLimited(
            f"{reset.MAX_REQUESTS_PER_HOUR} reset links went to this account in the last hour;"
            " ask its owner to use the latest one",
            retry_after_seconds=3600,
        )
    return ResetSent(status=f"a reset link is on its way to {user.email}")
