"""The payment status machine: every move a payment may make, and nothing else."""

from premier.kit.errors import Conflict
from premier.payments.models import Payment, PaymentStatus

S = PaymentStatus
ALLOWED: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    S.PENDING: frozenset({S.PROCESSING, S.SUCCEEDED, S.FAILED, S.CANCELLED}),
    S.PROCESSING: frozenset({S.SUCCEEDED, S.FAILED, S.CANCELLED}),
    S.SUCCEEDED: frozenset({S.REFUNDED, S.PARTIALLY_REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}


def move(payment: Payment, target: PaymentStatus) -> PaymentStatus:
    """Move the payment to `target` and return where it was; refuse any other move."""
    current = PaymentStatus(payment.status)
    if target not in ALLOWED[current]:
        raise Conflict(
            f"a {current} payment cannot become {target}",
            details={"status": current, "allowed": sorted(ALLOWED[current])},
        )
    payment.status = target
    return current
