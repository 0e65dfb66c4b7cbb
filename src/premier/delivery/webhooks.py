"""What checking any provider's signed callback shares: the age of its timestamp.

The allowed skew is loose on purpose: providers retry a failed callback for hours, and the
event ids (and, for Mailgun, the spent tokens) make a replay harmless."""

from premier.kit.errors import PermissionDenied
from premier.kit.time import utcnow

MAX_SKEW_SECONDS = 60 * 60


def check_fresh(timestamp: str, max_age_seconds: int = MAX_SKEW_SECONDS) -> None:
    try:
        skew = abs(utcnow().timestamp() - float(timestamp))
    except ValueError as exc:
        raise PermissionDenied("bad webhook timestamp", code="bad_signature") from exc
    if not skew <= max_age_seconds:  # not `>`: a NaN timestamp fails this way too
        raise PermissionDenied("webhook timestamp too old", code="bad_signature")
