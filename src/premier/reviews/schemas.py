from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from premier.kit.ids import Id
from premier.kit.images import ImageRef
from premier.kit.input import Input
from premier.reviews.models import Review

MAX_PHOTOS = 4


class ReviewCreate(Input):
    booking_id: Id
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=4000)] = ""
    # Photos the guest uploaded for this review (`POST /uploads/image`, purpose `review`).
    photo_upload_ids: Annotated[list[Id], Field(max_length=MAX_PHOTOS)] = []


class ReviewReply(Input):
    """The hotel's answer to a review; an empty one takes the answer back."""

    reply: Annotated[str, Field(max_length=2000)]


class ReviewOut(BaseModel):
    id: int
    booking_id: int
    guest_id: int
    guest_name: str
    rating: int
    comment: str
    created_at: datetime
    photos: list[ImageRef] = []
    reply: str | None = None
    replied_at: datetime | None = None

    @classmethod
    def of(cls, review: Review) -> "ReviewOut":
        return cls(
            id=review.id,
            booking_id=review.booking_id,
            guest_id=review.guest_id,
            guest_name=review.guest.full_name,
            rating=review.rating,
            comment=review.comment,
            created_at=review.created_at,
            reply=review.reply,
            replied_at=review.replied_at,
        )
