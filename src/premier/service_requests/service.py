from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from premier import events
from premier.auth import access
from premier.auth.actor import Actor
from premier.bookings.models import Booking, BookingStatus
from premier.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from premier.kit.pagination import Page, PageParams, paginate
from premier.kit.time import utcnow
from premier.service_requests.models import (
    DEPARTMENT_FOR,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)
from premier.service_requests.schemas import ServiceRequestCreate, ServiceRequestOut
from premier.users.models import Role, User

NEXT_STATUSES: dict[RequestStatus, tuple[RequestStatus, ...]] = {
    RequestStatus.OPEN: (RequestStatus.CANCELLED,),
    RequestStatus.ASSIGNED: (RequestStatus.IN_PROGRESS, RequestStatus.DONE,
                             RequestStatus.CANCELLED),
    RequestStatus.IN_PROGRESS: (RequestStatus.DONE, RequestStatus.CANCELLED),
    RequestStatus.DONE: (),
    RequestStatus.CANCELLED: (),
}  # fmt: skip


def _reaches(actor: Actor, action: str, request: ServiceRequest) -> bool:
    """Whether the actor's grant covers this request: their own as a guest, their
    department's kind or one assigned to them as staff, any as the front desk or a manager."""
    return access.reaches(
        actor, "service_request", action, owner_id=request.guest_id,
        departments=(DEPARTMENT_FOR[request.kind],), assignee_id=request.assignee_id,
    )  # fmt: skip


def _event_fields(request: ServiceRequest) -> dict[str, object]:
    return {
        "request_id": request.id, "guest_id": request.guest_id, "kind": request.kind,
        "status": request.status, "assignee_id": request.assignee_id,
        "room_number": request.room_number,
    }  # fmt: skip


async def create_request(
    *, session: AsyncSession, actor: Actor, data: ServiceRequestCreate
) -> ServiceRequest:
    access.check(actor, "service_request", "create")
    room_number = data.room_number
    if data.booking_id is not None:
        booking = await session.get(Booking, data.booking_id)
        if booking is None or booking.guest_id != actor.id:
            raise NotFound(f"booking {data.booking_id} not found")
        if booking.status in (BookingStatus.CANCELLED, BookingStatus.CHECKED_OUT):
            raise Conflict("this stay is over")
        room_number = booking.room.number
    request = ServiceRequest(
        guest_id=actor.id, booking_id=data.booking_id, room_number=room_number,
        kind=data.kind, description=data.description, priority=data.priority,
    )  # fmt: skip
    session.add(request)
    await session.flush()
    await session.refresh(request)
    await events.emit(session, events.ServiceRequestCreated(**_event_fields(request)))
    await events.commit(session)
    return request


async def get_request(*, session: AsyncSession, actor: Actor, request_id: int) -> ServiceRequest:
    """A request the actor's grant does not reach is 'not found', so ids reveal nothing."""
    request = await session.get(ServiceRequest, request_id)
    if request is None or not _reaches(actor, "read", request):
        raise NotFound(f"service request {request_id} not found")
    return request


async def list_requests(
    *,
    session: AsyncSession,
    actor: Actor,
    page: PageParams,
    status: RequestStatus | None,
    kind: RequestKind | None,
    assignee_id: int | None,
    booking_id: int | None = None,
) -> Page[ServiceRequestOut]:
    query = select(ServiceRequest)
    scope = access.scope_of(actor, "service_request", "read")
    if scope is access.OWN:
        query = query.where(ServiceRequest.guest_id == actor.id)
    elif scope is access.DEPARTMENT:
        departments = access.handled_departments(actor, "service_request", "read")
        handled = [kind for kind, d in DEPARTMENT_FOR.items() if d in departments]
        query = query.where(
            ServiceRequest.kind.in_(handled) | (ServiceRequest.assignee_id == actor.id)
        )
    if status is not None:
        query = query.where(ServiceRequest.status == status)
    if kind is not None:
        query = query.where(ServiceRequest.kind == kind)
    if assignee_id is not None:
        query = query.where(ServiceRequest.assignee_id == assignee_id)
    if booking_id is not None:
        query = query.where(ServiceRequest.booking_id == booking_id)
    return await paginate(
        session,
        query.order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc()),
        page,
        ServiceRequestOut.of,
    )


async def assign(
    *, session: AsyncSession, actor: Actor, request_id: int, assignee_id: int
) -> ServiceRequest:
    request = await get_request(session=session, actor=actor, request_id=request_id)
    if not _reaches(actor, "assign", request):
        raise PermissionDenied("this request belongs to another department")
    if request.status in (RequestStatus.DONE, RequestStatus.CANCELLED):
        raise Conflict(f"a {request.status} request cannot be assigned")
    assignee = await session.get(User, assignee_id)
    if assignee is None or assignee.role == Role.GUEST or not assignee.is_active:
        raise InvalidInput(
            f"no staff member with id {assignee_id}", details={"assignee_id": assignee_id}
        )
    request.assignee_id = assignee.id
    request.assigned_at = utcnow()
    if request.status == RequestStatus.OPEN:
        request.status = RequestStatus.ASSIGNED
    await session.flush()
    await session.refresh(request)
    await events.emit(session, events.ServiceRequestAssigned(**_event_fields(request)))
    await events.commit(session)
    return request


async def change_status(
    *, session: AsyncSession, actor: Actor, request_id: int, status: RequestStatus
) -> ServiceRequest:
    request = await get_request(session=session, actor=actor, request_id=request_id)
    if not _reaches(actor, "update", request):
        raise PermissionDenied("this request belongs to another department")
    guest = access.scope_of(actor, "service_request", "update") is access.OWN
    if guest and status != RequestStatus.CANCELLED:
        raise PermissionDenied("guests may only cancel their requests")
    if status not in NEXT_STATUSES[request.status]:
        raise Conflict(
            f"a {request.status} request cannot become {status}",
            details={"status": request.status, "allowed": list(NEXT_STATUSES[request.status])},
        )
    previous = request.status
    request.status = status
    if status == RequestStatus.DONE:
        request.completed_at = utcnow()
    await events.emit(
        session,
        events.ServiceRequestStatusChanged(**_event_fields(request), previous_status=previous),
    )
    await events.commit(session)
    return request
