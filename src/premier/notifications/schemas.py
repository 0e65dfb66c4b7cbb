from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    field_validator,
)

from premier.kit.ids import Id
from premier.kit.input import Input
from premier.notifications.catalog import CATEGORIES, EVENTS
from premier.notifications.links import target_of
from premier.notifications.models import Channel

HourMinute = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_type: str
    category: str
    priority: str
    title: str
    body: str
    data: dict[str, Any]
    read_at: datetime | None
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def target(self) -> str:
        """The page of what it is about (a path of the web UI)."""
        return target_of(self.data)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_cursor: int | None


class UnreadCount(BaseModel):
    unread: int


class Changed(BaseModel):
    changed: int


class PreferencesOut(BaseModel):
    channels: dict[str, dict[str, bool]]
    quiet_hours_start: str | None
    quiet_hours_end: str | None
    locale: str | None


class PreferencesIn(Input):
    """Omitted fields stay as they are; `channels` may name only the switches to change."""

    channels: (
        Annotated[
            dict[str, dict[Channel, bool]],
            Field(json_schema_extra={"propertyNames": {"enum": list(CATEGORIES)}}),
        ]
        | None
    ) = None
    quiet_hours_start: HourMinute | None = None
    quiet_hours_end: HourMinute | None = None
    locale: Annotated[str, Field(pattern=r"^(en|sw)$")] | None = None

    @field_validator("channels")
    @classmethod
    def _known_categories(
        cls, value: dict[str, dict[Channel, bool]] | None
    ) -> dict[str, dict[Channel, bool]] | None:
        unknown = sorted(set(value or {}) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; expected some of {list(CATEGORIES)}")
        return value


# The catalog's event types, listed in the document as well as checked by the service.
EventType = Annotated[
    str, Field(min_length=1, max_length=64, json_schema_extra={"enum": sorted(EVENTS)})
]


class TemplateIn(Input):
    event_type: EventType
    channel: Channel
    locale: Annotated[str, Field(pattern=r"^(en|sw)$")] = "en"
    subject: Annotated[str, Field(max_length=998)] = ""
    body_text: Annotated[str, Field(max_length=100_000)] = ""
    body_html: Annotated[str, Field(max_length=200_000)] = ""
    is_active: bool = True


class TemplateUpdate(Input):
    subject: Annotated[str, Field(max_length=998)] = ""
    body_text: Annotated[str, Field(max_length=100_000)] = ""
    body_html: Annotated[str, Field(max_length=200_000)] = ""
    is_active: bool = True


class TemplateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_type: str
    channel: str
    locale: str
    subject: str
    body_text: str
    body_html: str
    is_active: bool
    updated_at: datetime


class CatalogEntry(BaseModel):
    event_type: str
    category: str
    channels: list[str]
    variables: list[str]
    essential: bool
    sample: dict[str, Any]
    builtin: dict[str, dict[str, dict[str, str]]]  # locale → channel → parts


class PreviewIn(Input):
    """Render a template (the given parts, or the current one) with sample data."""

    event_type: EventType
    channel: Channel = Channel.EMAIL
    locale: Annotated[str, Field(pattern=r"^(en|sw)$")] = "en"
    subject: Annotated[str, Field(max_length=998)] | None = None
    body_text: Annotated[str, Field(max_length=100_000)] | None = None
    body_html: Annotated[str, Field(max_length=200_000)] | None = None
    context: dict[str, Any] | None = None


class PreviewOut(BaseModel):
    subject: str
    text: str
    html: str


class GroupIn(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    description: Annotated[str, Field(max_length=2000)] = ""
    user_ids: Annotated[list[Id], Field(max_length=10_000)] = []


class GroupMembersIn(Input):
    user_ids: Annotated[list[Id], Field(max_length=10_000)]


class GroupOut(BaseModel):
    id: int
    name: str
    description: str
    user_ids: list[int]
