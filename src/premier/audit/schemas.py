from datetime import datetime

from pydantic import BaseModel, ConfigDict


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int
    actor_name: str | None = None
    method: str
    path: str
    resource: str
    resource_id: int | None
    action: str
    status: int


class AuditFilters(BaseModel):
    resource: str | None = None
    resource_id: int | None = None
    actor_id: int | None = None
