from datetime import datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from premier.kit.ids import Id
from premier.kit.images import ImageRef
from premier.kit.input import Input
from premier.kit.money import Currency, MinorUnits
from premier.kit.patch import PatchModel
from premier.orders.models import Order, OrderStatus

MAX_QUANTITY = 50
"""The most of one dish a single order may ask for. One tray from one kitchen: a larger
number is nearly always a slip of the thumb, and a real banquet is arranged with the
kitchen, not sent down the room-service line. Served with each dish (`max_quantity`) so
the web UI caps its + button at the same number the API accepts."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class MenuItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    category: str
    price: int
    currency: str
    is_available: bool
    image_url: str | None
    photo: ImageRef | None = None
    max_quantity: int = Field(
        default=MAX_QUANTITY, description="the most of this dish one order may ask for"
    )


class MenuItemCreate(Input):
    name: Name
    description: Annotated[str, Field(max_length=2000)] = ""
    category: Category
    price: MinorUnits
    currency: Currency
    is_available: bool = True
    image_url: AnyHttpUrl | None = None
    photo_upload_id: Id | None = None


class MenuItemUpdate(PatchModel):
    """`photo_upload_id` null removes the dish's photo."""

    clearable = frozenset({"image_url", "photo_upload_id"})

    name: Name | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None
    category: Category | None = None
    price: MinorUnits | None = None
    is_available: bool | None = None
    image_url: AnyHttpUrl | None = None
    photo_upload_id: Id | None = None


class MenuCategory(BaseModel):
    name: str
    items: int
    available: int


class CategoryRename(Input):
    """Every dish of one category moves to another name (which may already exist)."""

    name: Category
    new_name: Category


class OrderLine(Input):
    menu_item_id: Id
    # The upper bound is checked where the dish's name is known, so the error names it.
    quantity: Annotated[int, Field(ge=1, json_schema_extra={"maximum": MAX_QUANTITY})]


class OrderCreate(Input):
    items: Annotated[list[OrderLine], Field(min_length=1, max_length=50)]
    booking_id: Id | None = None
    room_number: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,16}$")] | None = None
    notes: Annotated[str, Field(max_length=1000)] = ""
    charge_to_room: bool = Field(
        default=False, description="put it on the stay's bill, paid at check-out"
    )

    @field_validator("items")
    @classmethod
    def _one_line_per_item(cls, items: list[OrderLine]) -> list[OrderLine]:
        ids = [line.menu_item_id for line in items]
        if len(ids) != len(set(ids)):
            raise ValueError("each menu item may appear once; raise its quantity instead")
        return items


class OrderStatusChange(Input):
    status: OrderStatus


class OrderItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    menu_item_id: int
    name: str
    unit_price: int
    quantity: int
    line_total: int


class OrderOut(BaseModel):
    id: int
    guest_id: int
    guest_name: str
    booking_id: int | None
    room_number: str | None
    status: OrderStatus
    items: list[OrderItemOut]
    total_amount: int
    currency: str
    notes: str
    charge_to_room: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, order: Order) -> "OrderOut":
        return cls(
            id=order.id,
            guest_id=order.guest_id,
            guest_name=order.guest.full_name,
            booking_id=order.booking_id,
            room_number=order.room_number,
            status=order.status,
            items=[OrderItemOut.model_validate(i) for i in order.items],
            total_amount=order.total_amount,
            currency=order.currency,
            notes=order.notes,
            charge_to_room=order.charge_to_room,
            created_at=order.created_at,
            updated_at=order.updated_at,
        )
