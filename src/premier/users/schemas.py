from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from premier.kit.email_address import EmailAddress
from premier.kit.ids import Id
from premier.kit.images import ImageRef
from premier.kit.input import Input
from premier.kit.patch import PatchModel
from premier.kit.schema_rules import all_of, equals, given, one_of_shapes
from premier.users.models import Department, Role

Password = Annotated[str, Field(min_length=8, max_length=128)]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# Spaces around the number are trimmed before the pattern is checked, so the pattern the
# document states does not allow them at the ends.
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9()-][0-9 ()-]{4,18}[0-9()-]$"),
]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    phone: str | None
    role: Role
    department: Department | None
    is_vip: bool
    is_active: bool
    locale: str
    created_at: datetime
    updated_at: datetime | None = None
    created_by_id: int | None = None
    updated_by_id: int | None = None
    # Filled where the picture is shown (one's own profile); lists leave it out.
    avatar: ImageRef | None = None


class StaffCreate(Input):
    """Without a password, the new account's owner gets an email with a link to choose one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=one_of_shapes(
            given("department"),
            all_of(
                {"required": ["role"]}, equals("role", *(r.value for r in Role if r != Role.STAFF))
            ),
        ),
    )

    email: EmailAddress
    password: Password | None = None
    full_name: FullName
    phone: Phone | None = None
    role: Role = Role.STAFF
    department: Department | None = None
    is_vip: bool = False

    @model_validator(mode="after")
    def _staff_need_a_department(self) -> "StaffCreate":
        if self.role == Role.STAFF and self.department is None:
            raise ValueError("staff accounts need a department")
        return self


class UserUpdate(PatchModel):
    """What an admin may change on an account; omitted fields stay as they are."""

    clearable = frozenset({"phone", "department"})

    full_name: FullName | None = None
    phone: Phone | None = None
    role: Role | None = None
    department: Department | None = None
    is_vip: bool | None = None
    is_active: bool | None = None


class GuestCreate(Input):
    """A guest the front desk books for (a walk-in, a phone call): no password; the guest is
    emailed a link to choose one if they want to sign in."""

    email: EmailAddress
    full_name: FullName
    phone: Phone | None = None
    is_vip: bool = False


class ProfileUpdate(PatchModel):
    """What anyone may change on their own account. The phone number changes through its
    verification (`/sms/verify`), the email address not at all."""

    clearable = frozenset({"avatar_upload_id"})

    full_name: FullName | None = None
    # An upload of one's own, purpose `avatar`; null removes the picture.
    avatar_upload_id: Id | None = None


class ResetSent(BaseModel):
    status: str
