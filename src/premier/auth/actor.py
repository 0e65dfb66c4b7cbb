"""Who is making a request, independent of any database session."""

from dataclasses import dataclass

from premier.kit.errors import PermissionDenied
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

    @property
    def is_guest(self) -> bool:
        return self.role == Role.GUEST

    @property
    def is_management(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    def works_in(self, *departments: Department) -> bool:
        """Staff of one of these departments, or management, who may act for every department."""
        return self.is_management or (self.role == Role.STAFF and self.department in departments)

    def require_staff(self, *departments: Department) -> None:
        if departments and not self.works_in(*departments):
            names = ", ".join(d.value for d in departments)
            raise PermissionDenied(f"only {names} staff or managers may do this")
        if not departments and self.is_guest:
            raise PermissionDenied("only hotel staff may do this")

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise PermissionDenied(
                f"requires role {' or '.join(r.value for r in roles)}",
                details={"role": self.role.value},
            )
