"""Provider names that changed, still accepted in settings so that a deployment configured
with the old name keeps working; each use logs a deprecation warning naming the new one."""

from collections.abc import Iterable

import structlog

log = structlog.get_logger(__name__)

# The development catcher was the "outbox" provider; "outbox" now means only the domain
# event table.
RENAMED = {"outbox": "capture"}


def current_names(names: Iterable[str], *, setting: str) -> list[str]:
    """`names` with every old provider name replaced by its new one."""
    given = list(names)
    for old in dict.fromkeys(name for name in given if name in RENAMED):
        log.warning("provider_name_deprecated", setting=setting, old=old, new=RENAMED[old])
    return [RENAMED.get(name, name) for name in given]
