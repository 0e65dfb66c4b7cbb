from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from premier.uploads.models import Purpose


class VariantLinks(BaseModel):
    thumbnail: str
    medium: str
    large: str


class UploadOut(BaseModel):
    """An upload and links to it. Private links are signed and expire (see docs/storage.md):
    fetch the upload again for fresh ones rather than storing them."""

    id: int
    kind: Literal["image", "file"]
    purpose: Purpose
    filename: str
    content_type: str
    size: int
    width: int | None = None
    height: int | None = None
    url: str
    variants: VariantLinks | None = None
    created_at: datetime


class UploadLinks(BaseModel):
    """What another domain shows for an attached upload (a room's gallery, a dish)."""

    id: int
    url: str
    width: int | None = None
    height: int | None = None
    variants: VariantLinks | None = None
