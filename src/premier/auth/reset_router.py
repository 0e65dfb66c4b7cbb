from fastapi import BackgroundTasks, Request, status
from pydantic import Field

from premier.auth import reset, throttle
from premier.auth.access import access
from premier.auth.router import client_of
from premier.deps import AppSettings, WriteSession, app_database
from premier.http.routing import Router
from premier.kit.email_address import EmailAddress
from premier.kit.input import Input
from premier.users.schemas import Password

router = Router(prefix="/api/v1/auth/password", tags=["auth"])


class ForgotRequest(Input):
    email: EmailAddress  # accepts the hotel's own .test addresses, as sign-in does


class ResetRequest(Input):
    token: str = Field(min_length=16, max_length=200)
    password: Password


@router.post("/forgot", status_code=status.HTTP_202_ACCEPTED)
@access("password", "forgot")
async def forgot_password(
    data: ForgotRequest,
    request: Request,
    settings: AppSettings,
    background: BackgroundTasks,
) -> dict[str, str]:
    """Email a reset link if the address has an account. The answer is the same either way
    and is sent before the account is even looked up, so its timing tells nothing either.
    (The session is this function's own, closed before the work after the answer needs one.)
    """
    database = app_database(request)
    async with database.writing() as session:
        await throttle.check_and_count_request(
            session=session, settings=settings, action=throttle.FORGOT,
            address=client_of(request).address,
            limit=settings.password_forgot_per_address_per_hour,
        )  # fmt: skip
        await session.commit()
    background.add_task(reset.request_reset, database=database, settings=settings, email=data.email)
    return {"status": "if this address has an account, a reset link is on its way"}


@router.post("/reset")
@access("password", "reset")
async def reset_password(data: ResetRequest, session: WriteSession) -> dict[str, str]:
    await reset.reset_password(session=session, token=data.token, new_password=data.password)
    return {"status": "password changed; sign in again"}
