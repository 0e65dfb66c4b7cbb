from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.kit.errors import Conflict, NotFound
from premier.kit.pagination import Page, PageParams, paginate
from premier.reviews.models import Review
from premier.reviews.schemas import ReviewCreate, ReviewOut


async def create_review(*, session: AsyncSession, actor: Actor, data: ReviewCreate) -> Review:
    """One review per stay, by its guest, once the stay is over."""
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


async def list_reviews(
    *, session: AsyncSession, actor: Actor, page: PageParams, rating: int | None
) -> Page[ReviewOut]:
    """Guests see their own reviews; staff see all of them."""
    query = select(Review)
    if access.scope_of(actor, "review", "read") is access.OWN:
        query = query.where(Review.guest_id == actor.id)
    if rating is not None:
        query = query.where(Review.rating == rating)
    return await paginate(
        session, query.order_by(Review.created_at.desc(), Review.id.desc()), page, ReviewOut.of
    )
