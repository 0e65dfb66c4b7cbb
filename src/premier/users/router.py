from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import ReadSession, WriteSession
from premier.kit.ids import PathId
from premier.kit.pagination import Page, PageParams, page_params
from premier.users import service
from premier.users.models import Role
from premier.users.schemas import StaffCreate, UserOut, UserUpdate

router = APIRouter(prefix="/api/v1/users", tags=["users"])


@router.get("")
@access("user", "read")
async def list_users(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    role: Role | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[UserOut]:
    return await service.list_users(
        session=session, actor=actor, page=page, role=role, search=search
    )


@router.post("", status_code=status.HTTP_201_CREATED)
@access("user", "create")
async def create_account(data: StaffCreate, actor: CurrentActor, session: WriteSession) -> UserOut:
    """Admins create staff, manager and guest accounts and choose their role and department."""
    return UserOut.model_validate(await service.create_staff(session=session, data=data))


@router.patch("/{user_id}")
@access("user", "update")
async def update_account(
    user_id: PathId, data: UserUpdate, actor: CurrentActor, session: WriteSession
) -> UserOut:
    return UserOut.model_validate(
        await service.update_user(session=session, user_id=user_id, data=data)
    )
