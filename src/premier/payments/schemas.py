from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from premier.kit.ids import Id
from premier.kit.input import Input
from premier.kit.money import Currency
from premier.kit.schema_rules import all_of, given, not_given, one_of_shapes
from premier.payments.models import PaymentMethod, PaymentStatus

PositiveAmount = Annotated[int, Field(gt=0, le=10**12, description="minor units")]
# A Kenyan mobile number as M-Pesa wants it (2547XXXXXXXX / 2541XXXXXXXX); +254 and 07/01
# forms are accepted and rewritten.
PhoneNumber = Annotated[str, Field(pattern=r"^(\+?254|0)[17]\d{8}$")]


# The document's statement of the rule below: a booking or an order, never both.
ONE_TARGET = one_of_shapes(
    all_of(given("booking_id"), not_given("order_id")),
    all_of(given("order_id"), not_given("booking_id")),
)


def _exactly_one(booking_id: int | None, order_id: int | None) -> None:
    if (booking_id is None) == (order_id is None):
        raise ValueError("give exactly one of booking_id or order_id")


class CashPayment(Input):
    """Cash taken at the front desk, for a booking's bill (its folio balance: the room,
    charges posted to the stay and orders charged to the room) or a room-service order.

    A payment never exceeds what is due. When the guest hands over more (a note too large
    for the bill), say so with `tendered`: the payment is then what is due, or `amount` when
    given, and the change to hand back is recorded beside it and printed on the receipt."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=all_of(ONE_TARGET, one_of_shapes(given("amount"), given("tendered"))),
    )

    booking_id: Id | None = None
    order_id: Id | None = None
    amount: PositiveAmount | None = Field(
        default=None, description="paid towards the bill; defaults to what is due (up to tendered)"
    )
    tendered: PositiveAmount | None = Field(
        default=None, description="the cash handed over, when change was given back"
    )
    currency: Currency

    @model_validator(mode="after")
    def _exactly_one_target(self) -> "CashPayment":
        _exactly_one(self.booking_id, self.order_id)
        if self.amount is None and self.tendered is None:
            raise ValueError("give the amount paid, or the cash tendered")
        return self


class PaymentVoid(Input):
    """Why a cash payment is struck out: kept on the payment for the audit."""

    reason: Annotated[str, Field(min_length=1, max_length=500)]


class PaymentCreate(Input):
    """Pay a booking's bill (its folio balance), or an order paid on its own: what is still
    due, unless `amount` says less, by one of the methods `GET /payments/methods` offers.
    Card details never come here: card and wallet methods send the guest to the provider's
    own page."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=ONE_TARGET)

    booking_id: Id | None = None
    order_id: Id | None = None
    method: PaymentMethod
    amount: PositiveAmount | None = Field(
        default=None, description="in the bill's currency; defaults to what is still due"
    )
    phone: PhoneNumber | None = Field(default=None, description="M-Pesa: the phone to prompt")

    @model_validator(mode="after")
    def _valid(self) -> "PaymentCreate":
        _exactly_one(self.booking_id, self.order_id)
        if self.method == PaymentMethod.MPESA and not self.phone:
            raise ValueError("M-Pesa needs the phone number to send the prompt to")
        return self

    def msisdn(self) -> str | None:
        if self.phone is None:
            return None
        digits = self.phone.removeprefix("+")
        return "254" + digits[1:] if digits.startswith("0") else digits


class Refund(Input):
    amount: PositiveAmount
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class PaymentOption(BaseModel):
    """A way to pay this bill: the amount and currency the method would charge."""

    method: PaymentMethod
    label: str = Field(description="the method's name, as guests see it")
    provider: str
    amount: int
    currency: str
    fx_rate: str | None
    fx_rate_at: datetime | None
    next_action: str
    needs_phone: bool


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    payer_id: int
    booking_id: int | None
    order_id: int | None
    amount: int
    currency: str
    method: PaymentMethod
    provider: str | None
    status: PaymentStatus
    refunded_amount: int
    failure_reason: str | None
    bill_amount: int | None = None
    bill_currency: str | None = None
    fx_rate: str | None = None
    fx_rate_at: datetime | None = None
    next_action: str | None = None
    redirect_url: str | None = None
    flagged_reason: str | None = None
    tendered_amount: int | None = None
    change_due: int | None = None
    voided_at: datetime | None = None
    voided_by_id: int | None = None
    void_reason: str | None = None
    created_at: datetime
    updated_at: datetime


class ReceiptOut(BaseModel):
    """A signed link to the receipt's PDF; it expires, so ask again for a fresh one."""

    url: str


class PaymentHistoryEntry(BaseModel):
    """One thing that happened to a payment, oldest first."""

    at: datetime
    what: Literal["recorded", "settled", "refunded", "voided", "failed"]
    by_id: int | None = None
    amount: int | None = None
    note: str | None = None
