import secrets

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access, sessions
from premier.auth.actor import Actor
from premier.auth.passwords import hash_password
from premier.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from premier.kit.images import ImageLibrary
from premier.kit.pagination import Page, PageParams, paginate
from premier.users.models import Department, Role, User
from premier.users.schemas import GuestCreate, ProfileUpdate, StaffCreate, UserOut, UserUpdate


async def get_by_email(*, session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.lower()))


async def get(*, session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


async def create_user(
    *,
    session: AsyncSession,
    email: str,
    full_name: str,
    password: str | None = None,
    password_hash: str | None = None,
    role: Role = Role.GUEST,
    department: Department | None = None,
    phone: str | None = None,
    is_vip: bool = False,
) -> User:
    """A new account, from a password or its hash. Hashed before the email is looked up, so
    a taken email takes as long to answer as a new one."""
    if password_hash is None:
        if password is None:
            raise ValueError("an account needs a password or its hash")
        password_hash = await hash_password(password)
    email = email.lower()
    if await get_by_email(session=session, email=email) is not None:
        raise Conflict("an account with this email already exists", details={"email": email})
    user = User(
        email=email,
        password_hash=password_hash,
        full_name=full_name,
        role=role,
        department=department,
        phone=phone,
        is_vip=is_vip,
    )
    session.add(user)
    await session.flush()
    await events.emit(
        session, events.UserRegistered(user_id=user.id, email=user.email, role=user.role)
    )
    return user


# The roles a manager may give and manage: the hotel's staff, not its managers or admins.
MANAGER_MANAGES = (Role.STAFF,)


def check_may_manage(actor: Actor, role: Role) -> None:
    """Admins manage every account; managers only staff accounts."""
    if actor.role == Role.ADMIN or role in MANAGER_MANAGES:
        return
    raise PermissionDenied(
        f"only an admin may manage {role.value} accounts",
        code="admin_only",
        details={"field": "role", "role": role.value},
    )


async def create_staff(
    *, session: AsyncSession, actor: Actor, data: StaffCreate
) -> tuple[User, bool]:
    """A new account, or the one this same request already made (and False). An email
    another account holds is a conflict. Without a password the account gets an unusable
    one, and the caller sends its owner a link to choose theirs."""
    check_may_manage(actor, data.role)
    existing = await get_by_email(session=session, email=data.email)
    if existing is not None:
        same = (existing.full_name, existing.role, existing.department) == (
            data.full_name, data.role, data.department,
        )  # fmt: skip
        if same and existing.created_by_id == actor.id:
            return existing, False
        raise Conflict(
            "an account with this email already exists",
            code="email_taken",
            details={"field": "email"},
        )
    values = data.model_dump()
    if values["password"] is None:
        values["password"] = secrets.token_urlsafe(32)
    user = await create_user(session=session, **values)
    user.created_by_id = user.updated_by_id = actor.id
    await events.commit(session)
    return user, True


async def create_guest(*, session: AsyncSession, actor: Actor, data: GuestCreate) -> User:
    """A guest profile made at the desk. An email already known is a conflict naming the
    guest who has it, so the desk books for them instead of making a second profile."""
    access.check(actor, "guest_profile", "create")
    existing = await get_by_email(session=session, email=data.email)
    if existing is not None:
        is_guest = existing.role == Role.GUEST
        raise Conflict(
            f"{existing.full_name} already has this email: book for them instead"
            if is_guest
            else "a staff account has this email",
            code="email_taken",
            details={"field": "email", "user_id": existing.id if is_guest else None},
        )
    user = await create_user(
        session=session, email=data.email, full_name=data.full_name,
        password=secrets.token_urlsafe(32), phone=data.phone, is_vip=data.is_vip,
    )  # fmt: skip
    user.created_by_id = user.updated_by_id = actor.id
    await events.commit(session)
    return user


async def update_user(
    *, session: AsyncSession, actor: Actor, user_id: int, data: UserUpdate
) -> User:
    user = await get(session=session, user_id=user_id)
    changes = data.changes()
    check_may_manage(actor, Role(user.role))
    if "role" in changes:
        check_may_manage(actor, Role(changes["role"]))
    if user.id == actor.id and (
        changes.get("is_active") is False or changes.get("role", user.role) != user.role
    ):
        raise Conflict(
            "you cannot deactivate your own account or change your own role; ask another admin",
            code="own_account",
            details={"field": "is_active" if "is_active" in changes else "role"},
        )
    for field, value in changes.items():
        setattr(user, field, value)
    if changes.get("is_active") is False:
        await sessions.revoke_all(session=session, user_id=user.id)
    if user.role == Role.STAFF and user.department is None:
        raise InvalidInput("staff accounts need a department", details={"field": "department"})
    if user.role == Role.GUEST:
        user.department = None
    user.updated_by_id = actor.id
    await events.emit(session, events.UserChanged(user_id=user.id))
    await events.commit(session)
    return user


async def list_users(
    *,
    session: AsyncSession,
    actor: Actor,
    page: PageParams,
    role: Role | None,
    search: str | None,
    staff_only: bool = False,
) -> Page[UserOut]:
    """The directory; a grant reaching COLLEAGUES lists staff accounts only, so a guest's
    email and phone are for the seats that deal with guests (see premier.auth.access)."""
    query = select(User)
    if access.scope_of(actor, "user", "read") is access.COLLEAGUES:
        query = query.where(User.role != Role.GUEST)
    if role is not None:
        query = query.where(User.role == role)
    if staff_only:
        query = query.where(User.role != Role.GUEST)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            func.lower(User.email).like(pattern) | func.lower(User.full_name).like(pattern)
        )
    return await paginate(session, query.order_by(User.id), page, UserOut.model_validate)


AVATAR_PURPOSE = "avatar"


async def profile(*, session: AsyncSession, images: ImageLibrary, user_id: int) -> UserOut:
    """One's own account as the profile page shows it, picture included."""
    user = await get(session=session, user_id=user_id)
    out = UserOut.model_validate(user)
    if user.avatar_upload_id is not None:
        found = await images.resolve(session, [user.avatar_upload_id])
        out.avatar = found.get(user.avatar_upload_id)
    return out


async def update_profile(
    *, session: AsyncSession, images: ImageLibrary, actor: Actor, data: ProfileUpdate
) -> User:
    """Change one's own name or picture; the picture replaced is let go."""
    user = await get(session=session, user_id=actor.id)
    changes = data.changes()
    if "avatar_upload_id" in changes and changes["avatar_upload_id"] != user.avatar_upload_id:
        new = changes["avatar_upload_id"]
        if new is not None:
            await images.attach(session, [new], purpose=AVATAR_PURPOSE, actor_id=actor.id, own=True)
        if user.avatar_upload_id is not None:
            await images.detach(session, [user.avatar_upload_id])
    for field, value in changes.items():
        setattr(user, field, value)
    user.updated_by_id = actor.id
    await events.commit(session)
    return user
