from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from premier.announcements.models import AnnouncementPriority, AnnouncementStatus
from premier.announcements.targets import Target
from premier.announcements.templates import TEMPLATES
from premier.kit.input import Input
from premier.kit.schema_rules import given, one_of_shapes

TemplateKey = Annotated[str, Field(max_length=32, json_schema_extra={"enum": sorted(TEMPLATES)})]
Title = Annotated[str, Field(max_length=200)]
Body = Annotated[str, Field(max_length=4000)]
Variables = Annotated[dict[str, Annotated[str, Field(max_length=500)]], Field(max_length=20)]


class AnnouncementIn(Input):
    """Either a template with its variables, or a title and a body (English; Swahili too,
    optionally). `scheduled_for` without a zone is the hotel's local time; leave it out for
    a draft to send later with send-now."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=one_of_shapes(
            given("template"),
            {
                "required": ["title", "body"],
                "properties": {"title": {"pattern": r"\S"}, "body": {"pattern": r"\S"}},
            },
        ),
    )

    template: TemplateKey | None = None
    variables: Variables = {}
    title: Title = ""
    body: Body = ""
    title_sw: Title = ""
    body_sw: Body = ""
    priority: AnnouncementPriority | None = None
    target: Target
    scheduled_for: datetime | None = None
    # The same key twice (a double submit) returns the first announcement.
    client_key: Annotated[str, Field(min_length=8, max_length=64)] | None = None

    @model_validator(mode="after")
    def _has_text(self) -> "AnnouncementIn":
        if self.template is None and not (self.title.strip() and self.body.strip()):
            raise ValueError("give a template, or a title and a body")
        return self


class AnnouncementUpdate(Input):
    """Only a draft or a scheduled announcement changes; omitted fields stay."""

    title: Title | None = None
    body: Body | None = None
    title_sw: Title | None = None
    body_sw: Body | None = None
    priority: AnnouncementPriority | None = None
    target: Target | None = None
    scheduled_for: datetime | None = None


class AnnouncementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    body: str
    title_sw: str
    body_sw: str
    template: str | None
    priority: AnnouncementPriority
    target: dict[str, Any]
    status: AnnouncementStatus
    scheduled_for: datetime | None
    scheduled_for_local: str | None = None  # in the hotel's time zone, "YYYY-MM-DDTHH:MM"
    sent_at: datetime | None
    recipient_count: int | None
    created_at: datetime
    # For a recipient reading it: when they acknowledged it.
    acknowledged_at: datetime | None = None


class AnnouncementPage(BaseModel):
    items: list[AnnouncementOut]
    total: int


class AnnouncementPreviewIn(Input):
    target: Target
    template: TemplateKey | None = None
    variables: Variables = {}
    title: Title = ""
    body: Body = ""
    title_sw: Title = ""
    body_sw: Body = ""


class AnnouncementPreviewOut(BaseModel):
    recipients: int
    title: str
    body: str
    title_sw: str
    body_sw: str


class AnnouncementTemplateOut(BaseModel):
    key: str
    name: str
    priority: AnnouncementPriority
    variables: list[str]
    title: str
    body: str
    title_sw: str
    body_sw: str


class Progress(BaseModel):
    """Per channel, how many messages are at each step: queued, sent, delivered, read,
    failed (and skipped: someone the channel cannot reach, such as no push device)."""

    status: AnnouncementStatus
    recipients: int
    acknowledged: int
    channels: dict[str, dict[str, int]]


class Acknowledgement(BaseModel):
    user_id: int
    name: str
    acknowledged_at: datetime | None


class Acknowledgements(BaseModel):
    acknowledged: int
    waiting: int
    people: list[Acknowledgement]
