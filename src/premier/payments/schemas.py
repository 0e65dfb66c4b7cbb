from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from premier.kit.ids import Id
from premier.kit.money import Currency
from premier.payments.models import PaymentMethod, PaymentStatus

PositiveAmount = Annotated[int, Field(gt=0, le=10**12, description="minor units")]


class CashPayment(BaseModel):
    """Cash taken at the front desk, for a booking or a room-service order."""

    model_config = ConfigDict(extra="forbid")

    booking_id: Id | None = None
    order_id: Id | None = None
    amount: PositiveAmount
    currency: Currency

    @model_validator(mode="after")
    def _exactly_one_target(self) -> "CashPayment":
        if (self.booking_id is None) == (self.order_id is None):
            raise ValueError("give exactly one of booking_id or order_id")
        return self


class Refund(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: PositiveAmount
    reason: Annotated[str, Field(min_length=1, max_length=500)]


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
    created_at: datetime
    updated_at: datetime
