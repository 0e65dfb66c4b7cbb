"""Guest profiles: who a guest is, what they like, every stay they booked, and the notes
staff keep about them.

A guest reads and changes their own profile and preferences; the seats the access table
gives `guest` reach read everyone's. Anyone the table does not reach, and any id that is
not a guest's, is 'not found', so a guessed id tells a guest nothing. Notes have their own
permission, which no guest holds, and no answer a guest can get carries them.
"""

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.bookings.schemas import BookingOut
from premier.bookings.search import guest_matching
from premier.guests.models import GuestNote, GuestPreferences
from premier.guests.schemas import (
    Amount,
    GuestContact,
    GuestNoteCreate,
    GuestNoteOut,
    GuestPreferencesIn,
    GuestPreferencesOut,
    GuestProfile,
    GuestSummary,
    StayTotals,
)
from premier.kit.errors import NotFound
from premier.kit.pagination import Page, PageParams
from premier.users.models import Role, User

# A booking that was stayed in, and one that is billed (a no-show pays its first night).
STAYED = (BookingStatus.CHECKED_IN, BookingStatus.CHECKED_OUT)
BILLED = (*STAYED, BookingStatus.NO_SHOW)


async def find_guest(
    *, session: AsyncSession, actor: Actor, guest_id: int, resource: str = "guest",
    action: str = "read",
) -> User:  # fmt: skip
    """The guest, if the actor's grant reaches them; otherwise 'not found'."""
    user = await session.get(User, guest_id)
    if (
        user is None
        or user.role != Role.GUEST
        or not access.reaches(actor, resource, action, owner_id=user.id)
    ):
        raise NotFound(f"guest {guest_id} not found")
    return user


async def search_guests(
    *, session: AsyncSession, page: PageParams, q: str | None
) -> Page[GuestSummary]:
    """Guests by part of their name, email or phone number; the latest to arrive first."""
    counts = (
        select(
            Booking.guest_id,
            func.count(Booking.id).label("bookings"),
            func.max(Booking.check_in).label("last_check_in"),
        )
        .group_by(Booking.guest_id)
        .subquery()
    )
    query = (
        select(User, counts.c.bookings, counts.c.last_check_in)
        .outerjoin(counts, counts.c.guest_id == User.id)
        .where(User.role == Role.GUEST)
    )
    if q:
        query = query.where(guest_matching(q))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(
        query.order_by(counts.c.last_check_in.desc().nulls_last(), User.full_name, User.id)
        .limit(page.limit)
        .offset(page.offset)
    )
    items = [
        GuestSummary(
            **GuestContact.model_validate(user).model_dump(),
            bookings=bookings or 0,
            last_check_in=last_check_in,
        )
        for user, bookings, last_check_in in rows.tuples()
    ]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def profile(*, session: AsyncSession, actor: Actor, guest_id: int) -> GuestProfile:
    user = await find_guest(session=session, actor=actor, guest_id=guest_id)
    bookings = list(
        await session.scalars(
            select(Booking)
            .where(Booking.guest_id == user.id)
            .order_by(Booking.check_in.desc(), Booking.id.desc())
        )
    )
    return GuestProfile(
        guest=GuestContact.model_validate(user),
        preferences=await _preferences(session, user.id),
        stays=[BookingOut.of(b) for b in bookings],
        totals=_totals(bookings),
    )


def _totals(bookings: list[Booking]) -> StayTotals:
    billed: dict[str, int] = defaultdict(int)
    for booking in bookings:
        if booking.status in BILLED:
            billed[booking.currency] += booking.total_amount
    stayed = [b for b in bookings if b.status in STAYED]
    return StayTotals(
        bookings=len(bookings),
        stays=len(stayed),
        nights=sum(b.nights for b in stayed),
        billed=[Amount(amount=amount, currency=c) for c, amount in sorted(billed.items())],
    )


async def _preferences(session: AsyncSession, guest_id: int) -> GuestPreferencesOut:
    row = await session.get(GuestPreferences, guest_id)
    return GuestPreferencesOut() if row is None else GuestPreferencesOut.model_validate(row)


async def set_preferences(
    *, session: AsyncSession, actor: Actor, guest_id: int, data: GuestPreferencesIn
) -> GuestPreferencesOut:
    """Replace the guest's preferences with these; sending the same again changes nothing."""
    user = await find_guest(
        session=session, actor=actor, guest_id=guest_id, resource="guest_preferences",
        action="update",
    )  # fmt: skip
    row = await session.get(GuestPreferences, user.id)
    if row is None:
        row = GuestPreferences(guest_id=user.id, created_by_id=actor.id)
        session.add(row)
    values = data.model_dump(mode="json")
    for field, value in values.items():
        setattr(row, field, value)
    row.updated_by_id = actor.id
    await session.flush()
    out = GuestPreferencesOut.model_validate(row)
    await events.commit(session)
    return out


async def list_notes(
    *, session: AsyncSession, actor: Actor, guest_id: int, page: PageParams
) -> Page[GuestNoteOut]:
    """Staff notes about the guest, the newest first, each with its author."""
    user = await find_guest(
        session=session, actor=actor, guest_id=guest_id, resource="guest_note", action="read"
    )
    author = User.__table__.alias("author")
    query = (
        select(GuestNote, author.c.full_name)
        .join(author, author.c.id == GuestNote.author_id)
        .where(GuestNote.guest_id == user.id)
    )
    total = await session.scalar(select(func.count()).where(GuestNote.guest_id == user.id)) or 0
    rows = await session.execute(
        query.order_by(GuestNote.created_at.desc(), GuestNote.id.desc())
        .limit(page.limit)
        .offset(page.offset)
    )
    items = [_note_out(note, name) for note, name in rows.tuples()]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def add_note(
    *, session: AsyncSession, actor: Actor, guest_id: int, data: GuestNoteCreate
) -> GuestNoteOut:
    user = await find_guest(
        session=session, actor=actor, guest_id=guest_id, resource="guest_note", action="write"
    )
    note = GuestNote(guest_id=user.id, author_id=actor.id, body=data.body)
    session.add(note)
    await session.flush()
    name = await session.scalar(select(User.full_name).where(User.id == actor.id))
    out = _note_out(note, name)
    await events.commit(session)
    return out


def _note_out(note: GuestNote, author_name: str | None) -> GuestNoteOut:
    return GuestNoteOut(
        id=note.id, guest_id=note.guest_id, body=note.body, author_id=note.author_id,
        author_name=author_name, created_at=note.created_at,
    )  # fmt: skip
