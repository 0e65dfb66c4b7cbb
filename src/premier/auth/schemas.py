from pydantic import BaseModel, Field

from premier.kit.email_address import EmailAddress
from premier.kit.input import Input
from premier.users.schemas import FullName, Password, Phone


class RegisterRequest(Input):
    email: EmailAddress
    password: Password
    full_name: FullName
    phone: Phone | None = None


class LoginRequest(Input):
    email: EmailAddress
    password: str = Field(min_length=1, max_length=128)


class RefreshRequest(Input):
    """API clients send their refresh token here; the web UI sends none and its cookie
    carries it."""

    refresh_token: str | None = Field(default=None, min_length=1, max_length=4096)


class TokenPair(BaseModel):
    access_token: str
    # Only for API clients: a browser request (X-Requested-With) gets it as an httpOnly
    # cookie instead, out of reach of the page's scripts.
    refresh_token: str | None = None
    token_type: str = "bearer"  # noqa: S105 - OAuth2 token type, not a secret
    expires_in: int
