from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)

from premier.kit.input import Input
from premier.kit.schema_rules import all_of, given, not_given, one_of_shapes
from premier.notifications import disclosure
from premier.notifications.catalog import EVENTS

OneLine = Annotated[str, StringConstraints(pattern=r"^[^\r\n]*$", min_length=1, max_length=200)]


class SendEmailIn(Input):
    """Either a template (event type + its variables) or a plain subject and message, which
    is escaped into the hotel's branded layout. CR/LF in the subject is refused."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=one_of_shapes(
            all_of(given("template"), not_given("subject", "message")),
            all_of(given("subject", "message"), not_given("template")),
        ),
    )

    to: Annotated[list[EmailStr], Field(min_length=1, max_length=100)]
    template: (
        Annotated[str, Field(max_length=64, json_schema_extra={"enum": sorted(EVENTS)})] | None
    ) = None
    context: dict[str, Any] | None = None
    subject: OneLine | None = None
    message: Annotated[str, Field(min_length=1, max_length=20_000)] | None = None
    category: Annotated[str, Field(max_length=32)] = "general"
    locale: Annotated[str, Field(pattern=r"^(en|sw)$")] = "en"

    @model_validator(mode="after")
    def _template_or_text(self) -> "SendEmailIn":
        if self.template is None and (self.subject is None or self.message is None):
            raise ValueError("give a template, or a subject and a message")
        if self.template is not None and (self.subject or self.message):
            raise ValueError("give a template or a subject and message, not both")
        return self


class QueuedOut(BaseModel):
    queued: list[int]
    suppressed: list[str]


class EmailOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    delivery_status: str | None
    to_address: str
    subject: str
    template: str | None
    category: str
    locale: str
    priority: int
    attempts: int
    max_attempts: int
    next_attempt_at: datetime
    last_error: str | None
    provider: str | None
    provider_message_id: str | None
    sent_at: datetime | None
    delivered_at: datetime | None
    opened_at: datetime | None
    created_at: datetime


class EmailDetail(EmailOut, disclosure.WithholdsSecrets):
    message_id: str
    from_address: str
    headers: dict[str, str]
    body_text: str
    body_html: str
    attachments: list[dict[str, Any]]

    @model_validator(mode="before")
    @classmethod
    def _attachment_summaries(cls, value: Any) -> Any:
        # The web UI needs names and sizes, not the base64 contents.
        if hasattr(value, "attachments"):
            summaries = [
                {
                    "filename": a["filename"],
                    "content_type": a["content_type"],
                    "size": len(a.get("content_b64", "")) * 3 // 4,
                }
                for a in value.attachments
            ]
            data = {k: getattr(value, k) for k in cls.model_fields if k != "attachments"}
            return data | {"attachments": summaries}
        return value

    def hide_secrets(self, context: dict[str, Any]) -> None:
        """Never another person's reset link or unsubscribe token (see disclosure)."""
        account = disclosure.is_account_message(category=self.category, template=self.template)
        self.body_text = disclosure.shown(self.body_text, account=account)
        self.body_html = disclosure.shown(self.body_html, account=account)
        self.headers = disclosure.redact_headers(self.headers)


class CapturedEmailOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    message_id: str
    to_address: str
    from_address: str
    subject: str
    created_at: datetime


class CapturedEmailDetail(CapturedEmailOut, disclosure.WithholdsSecrets):
    """A captured mail whole. The caller says in the validation context whether it is an
    account message (`ACCOUNT_KEY`, withheld when unsaid) and whether to reveal secrets."""

    ACCOUNT_KEY: ClassVar[str] = "account_message"

    headers: dict[str, str]
    body_text: str
    body_html: str
    attachments: list[dict[str, Any]]

    def hide_secrets(self, context: dict[str, Any]) -> None:
        account = context.get(self.ACCOUNT_KEY) is not False
        self.body_text = disclosure.shown(self.body_text, account=account)
        self.body_html = disclosure.shown(self.body_html, account=account)
        self.headers = disclosure.redact_headers(self.headers)


class DayCount(BaseModel):
    """One hotel day: every email queued that day, by what became of it."""

    day: date
    total: int
    queued: int = Field(description="still waiting to go (queued or sending)")
    sent: int
    failed: int = Field(description="never sent: failed, cancelled or suppressed")


class EmailStats(BaseModel):
    """The figures of premier.delivery.stats (one definition for email and SMS)."""

    since: date
    until: date
    total: int
    sent: int
    reported: int = Field(description="sent, with a delivery report back")
    delivered: int
    by_status: dict[str, int]
    by_delivery_status: dict[str, int]
    by_provider: dict[str, int]
    by_template: dict[str, int]
    by_day: list[DayCount]
    delivery_rate: float | None = Field(description="delivered / reported")
    open_rate: float | None = Field(description="opened or clicked / delivered")
    bounce_rate: float | None = Field(description="bounced or failed / reported")
