from typing import Annotated

from fastapi import Depends, Query

from premier.audit import service
from premier.audit.schemas import AuditEntryOut, AuditFilters
from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import ReadSession
from premier.http.routing import Router
from premier.kit.ids import QueryId
from premier.kit.pagination import Page, PageParams, page_params

router = Router(prefix="/api/v1/audit", tags=["audit"])


@router.get("")
@access("audit", "read")
async def audit_trail(
    actor: CurrentActor,
    session: ReadSession,
    page: Annotated[PageParams, Depends(page_params)],
    resource: Annotated[str | None, Query(max_length=40, examples=["bookings"])] = None,
    resource_id: QueryId = None,
    actor_id: QueryId = None,
) -> Page[AuditEntryOut]:
    """Who changed what and when, newest first: every change made through the API."""
    filters = AuditFilters(resource=resource, resource_id=resource_id, actor_id=actor_id)
    return await service.list_entries(session=session, filters=filters, page=page)
