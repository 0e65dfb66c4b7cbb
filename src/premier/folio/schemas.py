from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from premier.bookings.models import BookingStatus
from premier.folio.models import ChargeCategory
from premier.kit.input import Input

Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ChargeCreate(Input):
    """Something the guest owes for, posted to their stay: `unit_amount` in the booking's
    currency (minor units), times `quantity`."""

    category: ChargeCategory
    description: Description
    unit_amount: Annotated[int, Field(gt=0, le=10**10, description="minor units, each")]
    quantity: Annotated[int, Field(ge=1, le=100)] = 1


class ChargeVoid(Input):
    """Why a charge is struck out; the charge stays on the folio, shown as voided."""

    reason: Reason


class ChargeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    booking_id: int
    category: ChargeCategory
    description: str
    unit_amount: int
    quantity: int
    amount: int
    currency: str
    posted_by_id: int
    posted_at: datetime
    voided_at: datetime | None
    voided_by_id: int | None
    void_reason: str | None


LineKind = Literal["room", "charge", "order", "payment", "refund"]


class FolioLine(BaseModel):
    """One line of the bill. `amount` is what the line adds to the balance: positive for
    what is charged and for money given back by a refund, negative for a payment, zero for
    a line struck out (`voided`). `balance` is the running balance after the line."""

    kind: LineKind
    at: datetime
    description: str
    amount: int
    balance: int
    voided: bool = False
    void_reason: str | None = None
    voided_at: datetime | None = None
    charge_id: int | None = None
    category: ChargeCategory | None = None
    quantity: int | None = None
    unit_amount: int | None = None
    order_id: int | None = None
    payment_id: int | None = None
    method: str | None = None
    reference: str | None = None


class CheckoutOverrideOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    manager_id: int
    reason: str
    balance_due: int
    currency: str
    created_at: datetime


class FolioOut(BaseModel):
    """A stay's running bill: what was charged, what was paid and refunded, and what is
    still due, all in the booking's currency (minor units)."""

    booking_id: int
    reference: str
    guest_id: int
    guest_name: str
    room_number: str
    status: BookingStatus
    currency: str
    lines: list[FolioLine]
    charges_total: int
    payments_total: int
    refunds_total: int
    balance_due: int
    open_for_charges: bool = Field(
        description="charges may be posted: the booking is confirmed or checked in"
    )
    checkout_overrides: list[CheckoutOverrideOut] = Field(
        description="check-outs a manager let go with money owed (shown to staff only)"
    )
