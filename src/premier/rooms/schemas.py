from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from premier.kit.ids import Id
from premier.kit.images import ImageRef
from premier.kit.input import Input
from premier.kit.money import Currency, MinorUnits
from premier.kit.patch import PatchModel
from premier.rooms.models import BoardStatus, Housekeeping, RoomStatus

Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_-]{1,32}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
RoomNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9-]{1,16}$")
]
Capacity = Annotated[int, Field(ge=1, le=20)]
MAX_GALLERY = 20
MAX_RATE_DAYS = 366
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
    gallery: list[ImageRef] = []


class RoomTypeCreate(Input):
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


class RoomTypeGallery(Input):
    """The whole gallery in the order guests see it: uploads left out are removed."""

    upload_ids: Annotated[list[Id], Field(max_length=MAX_GALLERY)]

    @field_validator("upload_ids")
    @classmethod
    def _each_photo_once(cls, upload_ids: list[int]) -> list[int]:
        if len(upload_ids) != len(set(upload_ids)):
            raise ValueError("each photo may appear once in a gallery")
        return upload_ids


class RoomOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    floor: int
    room_type_id: int
    status: RoomStatus
    notes: str


class RoomCreate(Input):
    number: RoomNumber
    floor: Annotated[int, Field(ge=-5, le=200)] = 1
    room_type_id: Id
    status: RoomStatus = RoomStatus.IN_SERVICE
    notes: Annotated[str, Field(max_length=2000)] = ""


class RoomUpdate(PatchModel):
    number: RoomNumber | None = None
    floor: Annotated[int, Field(ge=-5, le=200)] | None = None
    room_type_id: Id | None = None
    status: RoomStatus | None = None
    notes: Annotated[str, Field(max_length=2000)] | None = None


class RoomRateCreate(Input):
    start_date: date
    end_date: date
    nightly_rate: MinorUnits
    label: Annotated[str, Field(max_length=80)] = ""

    @model_validator(mode="after")
    def _range(self) -> "RoomRateCreate":
        check_rate_range(self.start_date, self.end_date)
        return self


def check_rate_range(start_date: date, end_date: date) -> None:
    if end_date <= start_date:
        raise ValueError("end_date must be after start_date")
    if (end_date - start_date).days > MAX_RATE_DAYS:
        raise ValueError("a rate covers at most a year")


class RoomRateUpdate(PatchModel):
    """Omitted fields stay; the resulting range is checked as a new rate's is."""

    start_date: date | None = None
    end_date: date | None = None
    nightly_rate: MinorUnits | None = None
    label: Annotated[str, Field(max_length=80)] | None = None


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


class Arrival(BaseModel):
    """Today's arrival into a room, and whether the room is ready for them."""

    booking_id: int
    reference: str
    status: str
    guests: int
    ready: bool


class InHouse(BaseModel):
    """The stay in a room now: its booking, to open its page, and when it leaves."""

    booking_id: int
    reference: str
    check_out: date


class RoomBoardEntry(BaseModel):
    """One room on the status board (premier.rooms.housekeeping)."""

    room_id: int
    number: str
    floor: int
    room_type_id: int
    room_type_name: str
    status: BoardStatus
    housekeeping: Housekeeping
    out_of_service_reason: str
    changed_at: datetime | None
    changed_by_id: int | None
    changed_by_name: str | None
    departure_today: bool
    arrival: Arrival | None
    in_house: InHouse | None = None


class OutOfService(Input):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
