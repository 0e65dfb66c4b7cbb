from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from premier.bookings.schemas import BookingOut
from premier.guests.models import Diet, Floor, Pillow
from premier.kit.input import Input

Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2})?$")]


class GuestPreferencesIn(Input):
    """What a guest likes, set by the guest or the desk. Sent whole: what is left out is
    cleared."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    pillow: Pillow | None = None
    floor: Floor | None = None
    dietary: Annotated[list[Diet], Field(max_length=len(Diet))] = []
    allergies: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    language: Language | None = Field(default=None, description="a language code: en, sw, fr")
    other: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = Field(
        default="", description="anything else, in the guest's or the desk's words"
    )

    @field_validator("dietary")
    @classmethod
    def _each_once(cls, value: list[Diet]) -> list[Diet]:
        return list(dict.fromkeys(value))


class GuestPreferencesOut(GuestPreferencesIn):
    updated_at: datetime | None = None
    updated_by_id: int | None = None


class GuestContact(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    full_name: str
    email: str
    phone: str | None
    is_vip: bool
    locale: str
    created_at: datetime


class GuestSummary(GuestContact):
    """A guest in the desk's list: who, and how often they have booked."""

    bookings: int
    last_check_in: date | None


class Amount(BaseModel):
    amount: int = Field(description="minor units")
    currency: str


class StayTotals(BaseModel):
    """Across every booking of the guest. Stays are bookings checked in or out; `billed` adds
    up what stays and no-shows cost, per currency (cancelled and unconfirmed bookings cost
    nothing)."""

    bookings: int
    stays: int
    nights: int
    billed: list[Amount]


class GuestProfile(BaseModel):
    """A guest as the desk and the guest see them. Staff notes are never part of it: they
    have their own endpoint, which guests cannot call."""

    guest: GuestContact
    preferences: GuestPreferencesOut
    stays: list[BookingOut] = Field(description="every booking, newest arrival first")
    totals: StayTotals


class GuestNoteCreate(Input):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class GuestNoteOut(BaseModel):
    id: int
    guest_id: int
    body: str
    author_id: int
    author_name: str | None
    created_at: datetime
