from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class PublicKey(BaseModel):
    """The hotel's VAPID public key: the browser's `applicationServerKey`."""

    public_key: str


class SubscriptionKeys(BaseModel):
    p256dh: str = Field(min_length=80, max_length=128, pattern=r"^[A-Za-z0-9_-]+=*$")
    auth: str = Field(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+=*$")


class SubscriptionIn(BaseModel):
    """What `PushManager.subscribe()` returned (`subscription.toJSON()`), and which device."""

    endpoint: HttpUrl
    keys: SubscriptionKeys
    device_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    user_agent: str = Field(default="", max_length=300)


class UnsubscribeIn(BaseModel):
    device_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class SubscriptionOut(BaseModel):
    """One of your devices; the endpoint is a capability and is never shown back."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    device_id: str
    user_agent: str
    created_at: datetime
    last_sent_at: datetime | None
