from typing import Annotated

from fastapi import Depends, Query, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import Images, ReadSession, WriteSession
from premier.http.routing import Router
from premier.kit.ids import PathId
from premier.kit.pagination import Page, PageParams, page_params
from premier.reviews import service
from premier.reviews.schemas import ReviewCreate, ReviewOut, ReviewReply

router = Router(prefix="/api/v1/reviews", tags=["reviews"])


@router.post("", status_code=status.HTTP_201_CREATED)
@access("review", "create")
async def create_review(
    data: ReviewCreate, actor: CurrentActor, session: WriteSession, images: Images
) -> ReviewOut:
    review = await service.create_review(session=session, images=images, actor=actor, data=data)
    [out] = await service.with_photos(
        session=session, images=images, reviews=[ReviewOut.of(review)]
    )
    return out


@router.get("")
@access("review", "read")
async def list_reviews(
    actor: CurrentActor,
    session: ReadSession,
    images: Images,
    page: Annotated[PageParams, Depends(page_params)],
    rating: Annotated[int | None, Query(ge=1, le=5)] = None,
) -> Page[ReviewOut]:
    return await service.list_reviews(
        session=session, images=images, actor=actor, page=page, rating=rating
    )


@router.put("/{review_id}/reply")
@access("review", "reply")
async def reply_to_review(
    review_id: PathId, data: ReviewReply, actor: CurrentActor, session: WriteSession, images: Images
) -> ReviewOut:
    """Answer a guest's review (the same again changes it; an empty text takes it back)."""
    review = await service.reply_to(session=session, actor=actor, review_id=review_id, data=data)
    [out] = await service.with_photos(
        session=session, images=images, reviews=[ReviewOut.of(review)]
    )
    return out
