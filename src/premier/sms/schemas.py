from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from premier.kit.input import Input
from premier.kit.schema_rules import all_of, given, not_given, one_of_shapes
from premier.notifications import disclosure
from premier.sms.phone import PhoneNumber

MessageText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1600)
]
Category = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]


class SmsSendRequest(Input):
    """Send to a phone number, or to a user's phone on file."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=one_of_shapes(
            all_of(given("to"), not_given("user_id")), all_of(given("user_id"), not_given("to"))
        ),
    )

    to: PhoneNumber | None = None
    user_id: int | None = Field(default=None, ge=1)
    message: MessageText
    category: Category = "general"
    emergency: bool = False

    @model_validator(mode="after")
    def _one_recipient(self) -> "SmsSendRequest":
        if (self.to is None) == (self.user_id is None):
            raise ValueError("give exactly one of 'to' or 'user_id'")
        return self


class EmergencyAlertRequest(Input):
    message: MessageText
    audience: Literal["guests", "staff", "everyone"] = "everyone"


class EmergencyAlertResult(BaseModel):
    queued: int
    skipped_without_valid_phone: int


class SmsOut(disclosure.WithholdsSecrets):
    model_config = ConfigDict(from_attributes=True)

    id: int
    to_phone: str
    body: str
    category: str
    template: str | None
    status: str
    delivery_status: str | None
    priority: int
    emergency: bool
    attempts: int
    provider: str | None
    provider_message_id: str | None
    country: str | None
    encoding: str | None
    segments: int
    estimated_cost: int
    cost_currency: str | None
    price: int | None
    price_currency: str | None
    error_code: str | None
    last_error: str | None
    user_id: int | None
    created_by: int | None
    next_attempt_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime

    def hide_secrets(self, context: dict[str, object]) -> None:
        """A verification code is never shown (see disclosure)."""
        account = disclosure.is_account_message(category=self.category, template=self.template)
        self.body = disclosure.shown(self.body, account=account)


class SmsQueueFilter(BaseModel):
    status: str | None = None
    delivery_status: str | None = None
    to: str | None = None
    provider: str | None = None
    template: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class DayStats(BaseModel):
    """Texts sent on one hotel day through one provider: they add up to `sent`."""

    day: date
    provider: str
    messages: int
    segments: int
    estimated_cost: int
    reported_cost: int


class SmsStats(BaseModel):
    """The figures of premier.delivery.stats (one definition for email and SMS)."""

    since: date
    until: date
    currency: str
    total: int
    by_status: dict[str, int]
    by_delivery_status: dict[str, int]
    by_provider: dict[str, int]
    sent: int
    reported: int = Field(description="sent, with a delivery report back")
    delivered: int
    delivery_rate: float | None = Field(description="delivered / reported")
    segments: int
    estimated_cost: int
    by_day: list[DayStats]


class VerifyStartRequest(Input):
    phone: PhoneNumber


class VerifyStartResult(BaseModel):
    phone: str
    expires_in: int
    resend_after: int


class VerifyCheckRequest(Input):
    phone: PhoneNumber
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{6}$")]


class VerifyCheckResult(BaseModel):
    phone: str
    verified: bool
