"""An email address type that accepts the `.test` domain our demo hotel uses.

Pydantic's EmailStr refuses special-use domains such as `.test`; we only need the syntax
checked (deliverability is the mail provider's business), and we store addresses lowercased.
"""

from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field


def _normalise(value: str) -> str:
    try:
        checked = validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from exc
    return checked.normalized.lower()


EmailAddress = Annotated[
    str, Field(max_length=320, json_schema_extra={"format": "email"}), AfterValidator(_normalise)
]
