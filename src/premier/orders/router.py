from typing import Annotated

from fastapi import APIRouter, Depends, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import ReadSession, WriteSession
from premier.kit.ids import PathId
from premier.kit.pagination import Page, PageParams, page_params
from premier.orders import service
from premier.orders.models import OrderStatus
from premier.orders.schemas import (
    MenuItemCreate,
    MenuItemOut,
    MenuItemUpdate,
    OrderCreate,
    OrderOut,
    OrderStatusChange,
)

router = APIRouter(prefix="/api/v1", tags=["room service"])


@router.get("/menu")
@access("menu", "read")
async def menu(session: ReadSession, include_unavailable: bool = False) -> list[MenuItemOut]:
    items = await service.list_menu(session=session, include_unavailable=include_unavailable)
    return [MenuItemOut.model_validate(i) for i in items]


@router.post("/menu", status_code=status.HTTP_201_CREATED)
@access("menu", "write")
async def create_menu_item(
    data: MenuItemCreate, actor: CurrentActor, session: WriteSession
) -> MenuItemOut:
    return MenuItemOut.model_validate(await service.create_menu_item(session=session, data=data))


@router.patch("/menu/{item_id}")
@access("menu", "write")
async def update_menu_item(
    item_id: PathId, data: MenuItemUpdate, actor: CurrentActor, session: WriteSession
) -> MenuItemOut:
    item = await service.update_menu_item(session=session, item_id=item_id, data=data)
    return MenuItemOut.model_validate(item)


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
