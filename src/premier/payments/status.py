"""The payment status machine: every move a payment may make, and nothing else."""

from premier.kit.errors import Conflict
from premier.payments.models import Payment, PaymentStatus

S = PaymentStatus
ALLOWED: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    S.PENDING: frozenset({S.PROCESSING, S.SUCCEEDED, S.FAILED, S.CANCELLED}),
    S.PROCESSING: frozenset({S.SUCCEEDED, S.FAILED, S.CANCELLED}),
    S.SUCCEEDED: frozenset({S.REFUNDED, S.PARTIALLY_REFUNDED, S.VOIDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
    S.VOIDED: frozenset(),
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


# How far along a payment is. Provider news moves a payment forward only, so news applied
# in any order ends in the same place: a late `pending` never undoes `succeeded`, and a
# provider's confirmed capture wins over an earlier failed attempt (Flutterwave and Stripe
# report every declined try before the one that pays).
RANK: dict[PaymentStatus, int] = {
    S.PENDING: 0,
    S.PROCESSING: 1,
    S.FAILED: 2,
    S.CANCELLED: 2,
    S.SUCCEEDED: 3,
    S.PARTIALLY_REFUNDED: 4,
    S.REFUNDED: 5,
    S.VOIDED: 6,  # a manager's word on a mistake: no provider news moves it back
}
CREDITED = frozenset({S.SUCCEEDED, S.PARTIALLY_REFUNDED, S.REFUNDED})


def advance(payment: Payment, target: PaymentStatus) -> PaymentStatus | None:
    """Move to `target` if that is forward; returns the previous status, or None when the
    news is stale (or no news) and nothing changed."""
    current = PaymentStatus(payment.status)
    if current is S.PARTIALLY_REFUNDED and target is S.PARTIALLY_REFUNDED:
        return current  # a further partial refund: the amount moved, the status did not
    if RANK[target] <= RANK[current]:
        return None
    payment.status = target
    return current


def refunded_status(payment: Payment) -> PaymentStatus:
    return S.REFUNDED if payment.refunded_amount >= payment.amount else S.PARTIALLY_REFUNDED
