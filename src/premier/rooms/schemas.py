from datetime import date
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from premier.kit.ids import Id
from premier.kit.money import Currency, MinorUnits
from premier.kit.patch import PatchModel
from premier.rooms.models import RoomStatus

Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_-]{1,32}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
RoomNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9-]{1,16}$")
]
Capacity = Annotated[int, Field(ge=1, le=20)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class RoomTypeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    description: str
    capacity: int
    base_rate: int
    currency: str
    image_urls: list[str]
    amenities: list[str]
    is_active: bool


class RoomTypeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Name
    description: Annotated[str, Field(max_length=4000)] = ""
    capacity: Capacity
    base_rate: MinorUnits
    currency: Currency
    image_urls: Annotated[list[AnyHttpUrl], Field(max_length=20)] = []
    amenities: Annotated[list[Tag], Field(max_length=50)] = []


class RoomTypeUpdate(PatchModel):
    name: Name | None = None
    description: Annotated[str, Field(max_length=4000)] | None = None
    capacity: Capacity | None = None
    base_rate: MinorUnits | None = None
    image_urls: Annotated[list[AnyHttpUrl], Field(max_length=20)] | None = None
    amenities: Annotated[list[Tag], Field(max_length=50)] | None = None
    is_active: bool | None = None


class RoomOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    floor: int
    room_type_id: int
    status: RoomStatus
    notes: str


class RoomCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: RoomNumber
    floor: Annotated[int, Field(ge=-5, le=200)] = 1
    room_type_id: Id
    status: RoomStatus = RoomStatus.IN_SERVICE
    notes: Annotated[str, Field(max_length=2000)] = ""


class RoomUpdate(PatchModel):
    floor: Annotated[int, Field(ge=-5, le=200)] | None = None
    room_type_id: Id | None = None
    status: RoomStatus | None = None
    notes: Annotated[str, Field(max_length=2000)] | None = None


class RoomRateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_date: date
    end_date: date
    nightly_rate: MinorUnits
    label: Annotated[str, Field(max_length=80)] = ""

    @model_validator(mode="after")
    def _range(self) -> "RoomRateCreate":
        if self.end_date <= self.start_date:
            raise ValueError("end_date must be after start_date")
        if (self.end_date - self.start_date).days > 366:
            raise ValueError("a rate covers at most a year")
        return self


class RoomRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    room_type_id: int
    start_date: date
    end_date: date
    nightly_rate: int
    label: str


class NightlyRate(BaseModel):
    date: date
    amount: int


class AvailabilityOption(BaseModel):
    room_type: RoomTypeOut
    available_rooms: int
    nightly_rates: list[NightlyRate]
    total_amount: int
    currency: str


class Availability(BaseModel):
    check_in: date
    check_out: date
    nights: int
    guests: int
    options: list[AvailabilityOption]
