"""The room-service menu: dishes, their categories and photos.

A dish's photo is an upload (see premier.kit.images); the link lives in menu_item_images
and its URLs are asked for when the menu is read. `image_url`, an address typed by hand, is
what a dish without an uploaded photo shows.
"""

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth.actor import Actor
from premier.kit.errors import Conflict, NotFound
from premier.kit.images import ImageLibrary
from premier.orders.models import MenuItem, MenuItemImage
from premier.orders.schemas import (
    CategoryRename,
    MenuCategory,
    MenuItemCreate,
    MenuItemOut,
    MenuItemUpdate,
)

PHOTO_PURPOSE = "menu_item"


async def list_menu(*, session: AsyncSession, include_unavailable: bool) -> list[MenuItem]:
    query = select(MenuItem).order_by(MenuItem.category, MenuItem.name)
    if not include_unavailable:
        query = query.where(MenuItem.is_available)
    return list(await session.scalars(query))


async def with_photos(
    *, session: AsyncSession, images: ImageLibrary, items: Sequence[MenuItem]
) -> list[MenuItemOut]:
    """The dishes as guests see them, their photos' URLs asked for at once."""
    photos: dict[int, int] = {}
    if items:
        query = select(MenuItemImage.menu_item_id, MenuItemImage.upload_id).where(
            MenuItemImage.menu_item_id.in_([item.id for item in items])
        )
        photos = dict((await session.execute(query)).tuples().all())
    refs = await images.resolve(session, list(photos.values()))
    shown = []
    for item in items:
        out = MenuItemOut.model_validate(item)
        photo = refs.get(photos[item.id]) if item.id in photos else None
        if photo is not None:
            out.photo = photo
            out.image_url = photo.medium_url
        shown.append(out)
    return shown


async def get_menu_item(*, session: AsyncSession, item_id: int) -> MenuItem:
    item = await session.get(MenuItem, item_id)
    if item is None:
        raise NotFound(f"menu item {item_id} not found")
    return item


async def create_menu_item(
    *, session: AsyncSession, images: ImageLibrary, actor: Actor, data: MenuItemCreate
) -> tuple[MenuItem, bool]:
    """A new dish, or the one this same request already made (and False). Another dish of
    the same name in the same category is a conflict: guests could not tell them apart."""
    values = data.model_dump(mode="json", exclude={"photo_upload_id"})
    existing = await session.scalar(
        select(MenuItem).where(
            func.lower(MenuItem.name) == data.name.lower(),
            func.lower(MenuItem.category) == data.category.lower(),
        )
    )
    if existing is not None:
        if all(getattr(existing, k) == v for k, v in values.items()):
            return existing, False
        raise Conflict(
            f"{existing.name} is already on the menu under {existing.category}",
            code="dish_exists",
            details={"field": "name", "menu_item_id": existing.id},
        )
    item = MenuItem(**values, created_by_id=actor.id, updated_by_id=actor.id)
    session.add(item)
    await session.flush()
    if data.photo_upload_id is not None:
        await _set_photo(
            session=session, images=images, actor=actor, item=item, upload_id=data.photo_upload_id
        )
    await events.commit(session)
    return item, True


async def update_menu_item(
    *,
    session: AsyncSession,
    images: ImageLibrary,
    actor: Actor,
    item_id: int,
    data: MenuItemUpdate,
) -> MenuItem:
    item = await get_menu_item(session=session, item_id=item_id)
    changes = data.changes()
    if "photo_upload_id" in changes:
        await _set_photo(
            session=session, images=images, actor=actor, item=item,
            upload_id=changes.pop("photo_upload_id"),
        )  # fmt: skip
    for field, value in changes.items():
        setattr(item, field, value)
    item.updated_by_id = actor.id
    await events.commit(session)
    return item


async def _set_photo(
    *,
    session: AsyncSession,
    images: ImageLibrary,
    actor: Actor,
    item: MenuItem,
    upload_id: int | None,
) -> None:
    """The dish's photo becomes this upload (or none); the one it replaces is let go."""
    link = await session.get(MenuItemImage, item.id)
    if link is not None and link.upload_id == upload_id:
        return
    if upload_id is not None:
        await images.attach(session, [upload_id], purpose=PHOTO_PURPOSE, actor_id=actor.id)
    if link is not None:
        await images.detach(session, [link.upload_id])
        await session.delete(link)
        await session.flush()
    if upload_id is not None:
        session.add(
            MenuItemImage(menu_item_id=item.id, upload_id=upload_id, created_by_id=actor.id)
        )


async def list_categories(*, session: AsyncSession) -> list[MenuCategory]:
    rows = await session.execute(
        select(
            MenuItem.category,
            func.count(),
            func.count().filter(MenuItem.is_available),
        )
        .group_by(MenuItem.category)
        .order_by(MenuItem.category)
    )
    return [MenuCategory(name=name, items=n, available=a) for name, n, a in rows]


async def rename_category(
    *, session: AsyncSession, actor: Actor, data: CategoryRename
) -> MenuCategory:
    """Move every dish of a category to the new name; renaming twice changes nothing more."""
    moved = await session.execute(
        update(MenuItem)
        .where(MenuItem.category == data.name)
        .values(category=data.new_name, updated_by_id=actor.id)
    )
    if not moved.rowcount:  # type: ignore[attr-defined]
        already = await session.scalar(
            select(func.count()).where(MenuItem.category == data.new_name)
        )
        if not already:
            raise NotFound(f"no dish is in the category {data.name}", details={"field": "name"})
    await events.commit(session)
    for category in await list_categories(session=session):
        if category.name == data.new_name:
            return category
    raise NotFound(f"no dish is in the category {data.new_name}")
