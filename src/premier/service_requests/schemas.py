from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from premier.kit.ids import Id
from premier.kit.input import Input
from premier.service_requests.models import (
    Priority,
    RequestKind,
    RequestStatus,
    ServiceRequest,
)


class ServiceRequestCreate(Input):
    kind: RequestKind
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)
    ]
    priority: Priority = Priority.NORMAL
    booking_id: Id | None = None
    room_number: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,16}$")] | None = None


class Assignment(Input):
    assignee_id: Id


class StatusChange(Input):
    status: RequestStatus


class ServiceRequestOut(BaseModel):
    id: int
    guest_id: int | None  # None: a task the hotel raised itself (a departure's cleaning)
    guest_name: str | None
    booking_id: int | None
    room_number: str | None
    kind: RequestKind
    description: str
    priority: Priority
    status: RequestStatus
    assignee_id: int | None
    assignee_name: str | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None

    @classmethod
    def of(cls, request: ServiceRequest) -> "ServiceRequestOut":
        return cls(
            id=request.id,
            guest_id=request.guest_id,
            guest_name=request.guest.full_name if request.guest else None,
            booking_id=request.booking_id,
            room_number=request.room_number,
            kind=request.kind,
            description=request.description,
            priority=request.priority,
            status=request.status,
            assignee_id=request.assignee_id,
            assignee_name=request.assignee.full_name if request.assignee else None,
            created_at=request.created_at,
            updated_at=request.updated_at,
            completed_at=request.completed_at,
        )
