from typing import Annotated

from fastapi import Depends, Response, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import Images, ReadSession, WriteSession
from premier.http.openapi import replayed
from premier.http.routing import Router
from premier.kit.ids import PathId
from premier.kit.pagination import Page, PageParams, page_params
from premier.orders import menu as menu_service
from premier.orders import service
from premier.orders.models import OrderStatus
from premier.orders.schemas import (
    CategoryRename,
    MenuCategory,
    MenuItemCreate,
    MenuItemOut,
    MenuItemUpdate,
    OrderCreate,
    OrderOut,
    OrderStatusChange,
)

router = Router(prefix="/api/v1", tags=["room service"])


@router.get("/menu")
@access("menu", "read")
async def menu(
    session: ReadSession, images: Images, include_unavailable: bool = False
) -> list[MenuItemOut]:
    items = await menu_service.list_menu(session=session, include_unavailable=include_unavailable)
    return await menu_service.with_photos(session=session, images=images, items=items)


@router.get("/menu/categories")
@access("menu", "read")
async def menu_categories(session: ReadSession) -> list[MenuCategory]:
    """The menu's categories, with how many dishes each has and how many are available."""
    return await menu_service.list_categories(session=session)


@router.post("/menu/categories/rename")
@access("menu", "write")
async def rename_menu_category(
    data: CategoryRename, actor: CurrentActor, session: WriteSession
) -> MenuCategory:
    return await menu_service.rename_category(session=session, actor=actor, data=data)


@router.post("/menu", status_code=status.HTTP_201_CREATED, responses=replayed(MenuItemOut))
@access("menu", "write")
async def create_menu_item(
    data: MenuItemCreate,
    actor: CurrentActor,
    session: WriteSession,
    images: Images,
    response: Response,
) -> MenuItemOut:
    """The same dish sent again answers 200 with the one already made."""
    item, created = await menu_service.create_menu_item(
        session=session, images=images, actor=actor, data=data
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return (await menu_service.with_photos(session=session, images=images, items=[item]))[0]


@router.patch("/menu/{item_id}")
@access("menu", "write")
async def update_menu_item(
    item_id: PathId,
    data: MenuItemUpdate,
    actor: CurrentActor,
    session: WriteSession,
    images: Images,
) -> MenuItemOut:
    item = await menu_service.update_menu_item(
        session=session, images=images, actor=actor, item_id=item_id, data=data
    )
    return (await menu_service.with_photos(session=session, images=images, items=[item]))[0]


@router.post("/orders", status_code=status.HTTP_201_CREATED)
@access("order", "create")
async def place_order(data: OrderCreate, actor: CurrentActor, session: WriteSession) -> OrderOut:
    """Delivered to the guest's current room unless a booking or room number is given."""
    return OrderOut.of(await service.place_order(session=session, actor=actor, data=data))


@router.get("/orders")
@access("order", "read")
async def list_orders(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    status: OrderStatus | None = None,
) -> Page[OrderOut]:
    return await service.list_orders(session=session, actor=actor, status=status, page=page)


@router.get("/orders/{order_id}")
@access("order", "read")
async def get_order(order_id: PathId, actor: CurrentActor, session: ReadSession) -> OrderOut:
    return OrderOut.of(await service.get_order(session=session, actor=actor, order_id=order_id))


@router.post("/orders/{order_id}/status")
@access("order", "update")
async def change_order_status(
    order_id: PathId, data: OrderStatusChange, actor: CurrentActor, session: WriteSession
) -> OrderOut:
    order = await service.change_status(
        session=session, actor=actor, order_id=order_id, status=data.status
    )
    return OrderOut.of(order)
