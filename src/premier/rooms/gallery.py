"""Room-type galleries: uploads linked to a room type, in the order guests see them."""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.kit.errors import NotFound
from premier.kit.images import ImageLibrary
from premier.kit.time import utcnow
from premier.rooms.models import RoomType, RoomTypeImage
from premier.rooms.schemas import RoomTypeGallery, RoomTypeOut

GALLERY_PURPOSE = "room_type"


async def gallery_ids(
    *, session: AsyncSession, room_type_ids: Sequence[int]
) -> dict[int, list[int]]:
    """Each room type's upload ids, in gallery order."""
    if not room_type_ids:
        return {}
    rows = await session.execute(
        select(RoomTypeImage.room_type_id, RoomTypeImage.upload_id)
        .where(RoomTypeImage.room_type_id.in_(room_type_ids))
        .order_by(RoomTypeImage.room_type_id, RoomTypeImage.position)
    )
    found: dict[int, list[int]] = defaultdict(list)
    for room_type_id, upload_id in rows:
        found[room_type_id].append(upload_id)
    return dict(found)


async def with_galleries(
    *, session: AsyncSession, images: ImageLibrary, room_types: Sequence[RoomTypeOut]
) -> list[RoomTypeOut]:
    """The room types with their galleries' URLs, asked of the image library at once."""
    ids = await gallery_ids(session=session, room_type_ids=[t.id for t in room_types])
    refs = await images.resolve(session, [u for uploads in ids.values() for u in uploads])
    return [
        t.model_copy(update={"gallery": [refs[u] for u in ids.get(t.id, []) if u in refs]})
        for t in room_types
    ]


async def room_type_out(
    *, session: AsyncSession, images: ImageLibrary, room_type: RoomType
) -> RoomTypeOut:
    shown = await with_galleries(
        session=session, images=images, room_types=[RoomTypeOut.model_validate(room_type)]
    )
    return shown[0]


async def set_gallery(
    *,
    session: AsyncSession,
    images: ImageLibrary,
    actor: Actor,
    room_type_id: int,
    data: RoomTypeGallery,
) -> RoomType:
    """Make the gallery exactly `data.upload_ids`, in that order. New photos are claimed
    from the image library (which refuses unknown ones), dropped ones handed back."""
    room_type = await session.get(RoomType, room_type_id)
    if room_type is None:
        raise NotFound(f"room type {room_type_id} not found")
    rows = {
        row.upload_id: row
        for row in await session.scalars(
            select(RoomTypeImage).where(RoomTypeImage.room_type_id == room_type_id)
        )
    }
    wanted = data.upload_ids
    added = [u for u in wanted if u not in rows]
    removed = [u for u in rows if u not in set(wanted)]
    await images.attach(session, added, purpose=GALLERY_PURPOSE, actor_id=actor.id)
    for upload_id in removed:
        await session.delete(rows.pop(upload_id))
    for position, upload_id in enumerate(wanted):
        if upload_id in rows:
            rows[upload_id].position = position
        else:
            session.add(
                RoomTypeImage(
                    room_type_id=room_type_id, upload_id=upload_id, position=position,
                    created_by_id=actor.id,
                )
            )  # fmt: skip
    await images.detach(session, removed)
    room_type.updated_by_id = actor.id
    room_type.updated_at = utcnow()
    await events.commit(session)
    return room_type
