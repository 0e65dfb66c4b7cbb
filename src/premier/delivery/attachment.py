"""A file sent along with a message (a booking's calendar entry, a receipt)."""

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes

    def stored(self) -> dict[str, str]:
        """The JSON a queue row keeps it as, until a worker sends it."""
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "content_b64": base64.b64encode(self.content).decode(),
        }

    @classmethod
    def from_stored(cls, stored: Mapping[str, str]) -> "Attachment":
        return cls(
            stored["filename"], stored["content_type"], base64.b64decode(stored["content_b64"])
        )


def from_stored(rows: Iterable[Mapping[str, str]] | None) -> tuple[Attachment, ...]:
    return tuple(Attachment.from_stored(row) for row in rows or ())
