from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.kit.errors import Conflict, InvalidInput, NotFound
from premier.kit.images import ImageLibrary
from premier.kit.pagination import Page, PageParams, paginate
from premier.kit.time import utcnow
from premier.reviews.models import Review, ReviewImage
from premier.reviews.schemas import ReviewCreate, ReviewOut, ReviewReply

PHOTO_PURPOSE = "review"


async def create_review(
    *, session: AsyncSession, images: ImageLibrary, actor: Actor, data: ReviewCreate
) -> Review:
    """One review per stay, by its guest, once the stay is over, with the guest's own
    photos."""
    access.check(actor, "review", "create")
    booking = await session.get(Booking, data.booking_id)
    if booking is None or booking.guest_id != actor.id:
        raise NotFound(f"booking {data.booking_id} not found")
    if booking.status != BookingStatus.CHECKED_OUT:
        raise Conflict("a stay can be reviewed after check-out", details={"status": booking.status})
    if await session.scalar(select(Review.id).where(Review.booking_id == booking.id)):
        raise Conflict("this stay has been reviewed already")
    review = Review(
        booking_id=booking.id, guest_id=actor.id, rating=data.rating, comment=data.comment
    )
    session.add(review)
    await session.flush()
    await _add_photos(session=session, images=images, actor=actor, review=review, data=data)
    await session.refresh(review)
    await events.emit(
        session,
        events.ReviewCreated(
            review_id=review.id, booking_id=booking.id, guest_id=actor.id,
            rating=review.rating, comment=review.comment,
        ),
    )  # fmt: skip
    await events.commit(session)
    return review


async def _add_photos(
    *,
    session: AsyncSession,
    images: ImageLibrary,
    actor: Actor,
    review: Review,
    data: ReviewCreate,
) -> None:
    upload_ids = data.photo_upload_ids
    if len(set(upload_ids)) != len(upload_ids):
        raise InvalidInput("the same photo is named twice", details={"field": "photo_upload_ids"})
    await images.attach(session, upload_ids, purpose=PHOTO_PURPOSE, actor_id=actor.id, own=True)
    session.add_all(
        ReviewImage(review_id=review.id, upload_id=upload_id, position=position)
        for position, upload_id in enumerate(upload_ids)
    )


async def with_photos(
    *, session: AsyncSession, images: ImageLibrary, reviews: list[ReviewOut]
) -> list[ReviewOut]:
    """The reviews with their photos' links, asked for at once."""
    if not reviews:
        return reviews
    rows = (
        await session.execute(
            select(ReviewImage.review_id, ReviewImage.upload_id)
            .where(ReviewImage.review_id.in_([review.id for review in reviews]))
            .order_by(ReviewImage.review_id, ReviewImage.position)
        )
    ).tuples()
    photos: dict[int, list[int]] = {}
    for review_id, upload_id in rows:
        photos.setdefault(review_id, []).append(upload_id)
    refs = await images.resolve(session, [u for ids in photos.values() for u in ids])
    for review in reviews:
        review.photos = [refs[u] for u in photos.get(review.id, []) if u in refs]
    return reviews


async def list_reviews(
    *,
    session: AsyncSession,
    images: ImageLibrary,
    actor: Actor,
    page: PageParams,
    rating: int | None,
) -> Page[ReviewOut]:
    """Guests see their own reviews; staff see all of them."""
    query = select(Review)
    if access.scope_of(actor, "review", "read") is access.OWN:
        query = query.where(Review.guest_id == actor.id)
    if rating is not None:
        query = query.where(Review.rating == rating)
    found = await paginate(
        session, query.order_by(Review.created_at.desc(), Review.id.desc()), page, ReviewOut.of
    )
    await with_photos(session=session, images=images, reviews=found.items)
    return found


async def reply_to(
    *, session: AsyncSession, actor: Actor, review_id: int, data: ReviewReply
) -> Review:
    """A manager answers a review (or, with an empty text, takes the answer back); the guest
    is told through the notification centre."""
    access.check(actor, "review", "reply")
    review = await session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found")
    text = data.reply.strip()
    review.reply = text or None
    review.replied_by_id = actor.id if text else None
    review.replied_at = utcnow() if text else None
    if text:
        await events.emit(
            session,
            events.ReviewReplied(
                review_id=review.id, booking_id=review.booking_id, guest_id=review.guest_id
            ),
        )
    await events.commit(session)
    return review
