from typing import Annotated

from fastapi import Depends, status

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import ReadSession, WriteSession
from premier.http.routing import Router
from premier.kit.ids import PathId, QueryId
from premier.kit.pagination import Page, PageParams, page_params
from premier.service_requests import service
from premier.service_requests.models import RequestKind, RequestStatus
from premier.service_requests.schemas import (
    Assignment,
    ServiceRequestCreate,
    ServiceRequestOut,
    StatusChange,
)

router = Router(prefix="/api/v1/service-requests", tags=["service requests"])


@router.post("", status_code=status.HTTP_201_CREATED)
@access("service_request", "create")
async def create_request(
    data: ServiceRequestCreate, actor: CurrentActor, session: WriteSession
) -> ServiceRequestOut:
    request = await service.create_request(session=session, actor=actor, data=data)
    return ServiceRequestOut.of(request)


@router.get("")
@access("service_request", "read")
async def list_requests(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    status: RequestStatus | None = None,
    kind: RequestKind | None = None,
    assignee_id: QueryId = None,
) -> Page[ServiceRequestOut]:
    """Guests see their own; staff see their department's and those assigned to them."""
    return await service.list_requests(
        session=session, actor=actor, page=page, status=status, kind=kind,
        assignee_id=assignee_id,
    )  # fmt: skip


@router.get("/{request_id}")
@access("service_request", "read")
async def get_request(
    request_id: PathId, actor: CurrentActor, session: ReadSession
) -> ServiceRequestOut:
    request = await service.get_request(session=session, actor=actor, request_id=request_id)
    return ServiceRequestOut.of(request)


@router.post("/{request_id}/assign")
@access("service_request", "assign")
async def assign(
    request_id: PathId, data: Assignment, actor: CurrentActor, session: WriteSession
) -> ServiceRequestOut:
    request = await service.assign(
        session=session, actor=actor, request_id=request_id, assignee_id=data.assignee_id
    )
    return ServiceRequestOut.of(request)


@router.post("/{request_id}/status")
@access("service_request", "update")
async def change_status(
    request_id: PathId, data: StatusChange, actor: CurrentActor, session: WriteSession
) -> ServiceRequestOut:
    request = await service.change_status(
        session=session, actor=actor, request_id=request_id, status=data.status
    )
    return ServiceRequestOut.of(request)
