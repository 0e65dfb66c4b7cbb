from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access, sessions
from premier.auth.actor import Actor
from premier.auth.passwords import hash_password
from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.kit.pagination import Page, PageParams, paginate
from premier.users.models import Department, Role, User
from premier.users.schemas import StaffCreate, UserOut, UserUpdate


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


async def create_staff(*, session: AsyncSession, data: StaffCreate) -> User:
    user = await create_user(session=session, **data.model_dump())
    await events.commit(session)
    return user


async def update_user(*, session: AsyncSession, user_id: int, data: UserUpdate) -> User:
    user = await get(session=session, user_id=user_id)
    changes = data.changes()
    for field, value in changes.items():
        setattr(user, field, value)
    if changes.get("is_active") is False:
        await sessions.revoke_all(session=session, user_id=user.id)
    if user.role == Role.STAFF and user.department is None:
        raise InvalidInput("staff accounts need a department", details={"department": None})
    if user.role == Role.GUEST:
        user.department = None
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
) -> Page[UserOut]:
    """The directory; a grant reaching COLLEAGUES lists staff accounts only, so a guest's
    email and phone are for the seats that deal with guests (see premier.auth.access)."""
    query = select(User)
    if access.scope_of(actor, "user", "read") is access.COLLEAGUES:
        query = query.where(User.role != Role.GUEST)
    if role is not None:
        query = query.where(User.role == role)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            func.lower(User.email).like(pattern) | func.lower(User.full_name).like(pattern)
        )
    return await paginate(session, query.order_by(User.id), page, UserOut.model_validate)
