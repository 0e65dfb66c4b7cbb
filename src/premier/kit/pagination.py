"""Offset pagination shared by list endpoints."""

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
Row = TypeVar("Row", bound=Any)


class PageParams(BaseModel):
    limit: int = 20
    offset: int = 0


async def page_params(
    limit: Annotated[int, Query(ge=1, le=100, description="page size")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


async def paginate(
    session: AsyncSession,
    query: Select[Row],
    page: PageParams,
    convert: Callable[[Row], T],
) -> Page[T]:
    """Count the whole query, then fetch one ordered page of it, converted for output."""
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.limit(page.limit).offset(page.offset))
    return Page(
        items=[convert(row) for row in rows.unique()],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
