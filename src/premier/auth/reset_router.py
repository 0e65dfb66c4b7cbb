from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from premier.auth import reset
from premier.auth.access import access
from premier.deps import AppSettings, WriteSession
from premier.users.schemas import Password

router = APIRouter(prefix="/api/v1/auth/password", tags=["auth"])


class ForgotRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr


class ResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=16, max_length=200)
    password: Password


@router.post("/forgot", status_code=status.HTTP_202_ACCEPTED)
@access("password", "forgot")
async def forgot_password(
    data: ForgotRequest, session: WriteSession, settings: AppSettings
) -> dict[str, str]:
    """Email a reset link if the address has an account; the answer is the same either way."""
    await reset.request_reset(session=session, settings=settings, email=data.email)
    return {"status": "if this address has an account, a reset link is on its way"}


@router.post("/reset")
@access("password", "reset")
async def reset_password(data: ResetRequest, session: WriteSession) -> dict[str, str]:
    await reset.reset_password(session=session, token=data.token, new_password=data.password)
    return {"status": "password changed; sign in again"}
