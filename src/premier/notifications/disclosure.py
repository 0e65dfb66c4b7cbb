"""What the API shows of a message the hotel queued or sent.

Account messages (a password reset link, a phone verification code) carry a secret that
hands the account to whoever reads it, and ordinary mail carries each recipient's own
unsubscribe link, a signed token that acts for them without signing in. Managers browse the
queues and the development capture viewer; none of them may read another person's secrets there.

The queue row keeps the rendered body, and the API withholds it. Rendering the secret only at
send time from a reference was the alternative, and it is worse here: a reset token exists
only as its hash once issued, so the sender could not render the link again without minting
tokens itself; the provider must send exactly what was rendered when the change committed
(a rollback sends nothing, a crash after commit loses nothing); and the row stays the record
of what went out. So the rule sits where the bodies leave: the response schemas of every
endpoint that returns a body (`EmailDetail`, `OutboxDetail`, `SmsOut`) call `shown` or
`withheld`, and they withhold unless their caller passes `REVEAL` in the validation context.
Only the development capture viewer does, and only when `environment == "development"`,
where the mail catcher is the way to follow a reset link at all.

- The body of an account message (category `account`, an essential event, any `auth.*`
  template) is replaced by `WITHHELD`, whoever asks.
- Any other body or header shown has its `token=` query values replaced by `[redacted]`.
"""

import re
from typing import Any, Self

from pydantic import BaseModel, PrivateAttr, ValidationInfo, model_validator

from premier.config import Settings
from premier.notifications.catalog import ACCOUNT_CATEGORY, spec_for

REVEAL = "reveal_secrets"
WITHHELD = "[withheld: account messages carry one-time secrets and are never shown]"
REDACTED = "[redacted]"
_TOKEN = re.compile(r"([?&](?:amp;)?token=)[^\s\"'<>&]+", re.IGNORECASE)


def is_account_message(*, category: str | None, template: str | None) -> bool:
    """Whether a message may carry a secret of the recipient's account."""
    if category == ACCOUNT_CATEGORY:
        return True
    if template is None:
        return False
    spec = spec_for(template)
    return template.startswith("auth.") or (spec is not None and spec.essential)


def capture_reveals(settings: Settings) -> bool:
    """The development capture viewer shows messages whole; elsewhere it withholds too."""
    return settings.environment == "development"


def reveals(context: Any) -> bool:
    return isinstance(context, dict) and context.get(REVEAL) is True


def redact(text: str) -> str:
    """The text with every link's `token=` value replaced."""
    return _TOKEN.sub(lambda match: match.group(1) + REDACTED, text)


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {name: redact(value) for name, value in headers.items()}


def shown(text: str, *, account: bool) -> str:
    """What a reader sees of a body: nothing of an account message, no token of any other."""
    return WITHHELD if account else redact(text)


class WithholdsSecrets(BaseModel):
    """A response schema that shows a message: `hide_secrets` runs once, unless the caller
    passed REVEAL in the validation context."""

    # Set once the rule has run: FastAPI validates the response again, without context.
    _disclosed: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _no_secrets(self, info: ValidationInfo) -> Self:
        if not self._disclosed:
            self._disclosed = True
            if not reveals(info.context):
                self.hide_secrets(info.context if isinstance(info.context, dict) else {})
        return self

    def hide_secrets(self, context: dict[str, Any]) -> None:
        raise NotImplementedError
