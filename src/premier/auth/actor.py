"""Who is making a request, independent of any database session. What they may do is
decided by the access table, premier.auth.access."""

from dataclasses import dataclass

from premier.users.models import Department, Role, User


@dataclass(frozen=True, slots=True)
class Actor:
    id: int
    email: str
    role: Role
    department: Department | None
    is_vip: bool

    @classmethod
    def of(cls, user: User) -> "Actor":
        return cls(
            id=user.id,
            email=user.email,
            role=Role(user.role),
            department=Department(user.department) if user.department else None,
            is_vip=user.is_vip,
        )
