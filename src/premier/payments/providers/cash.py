"""Cash at the front desk: the money has changed hands before the payment is recorded, so
it succeeds as it starts; nothing ever calls back, and a refund is cash handed back."""

from premier.kit.money import MINOR_UNITS
from premier.payments.providers.base import (
    Attempt,
    Charge,
    Incoming,
    InvalidWebhook,
    NextAction,
    PaymentEvent,
    Refunded,
    Started,
)


class CashProvider:
    name = "cash"
    methods = frozenset({"cash"})
    currencies = frozenset(MINOR_UNITS)
    restart_safe = True
    amount_step = 1

    async def start(self, charge: Charge) -> Started:
        return Started(
            provider_reference=None,
            next_action=NextAction.NONE,
            message="Cash received at the front desk.",
        )

    async def parse(self, incoming: Incoming) -> list[PaymentEvent]:
        raise InvalidWebhook("cash has no webhooks")

    async def query(self, attempt: Attempt) -> PaymentEvent | None:
        return None

    async def refund(self, attempt: Attempt, *, amount: int, reason: str, key: str) -> Refunded:
        return Refunded(refund_id=f"cash-{key}", amount=amount, done=True)

    async def aclose(self) -> None:
        return None
