"""The development provider: mail is stored in email_capture and shown in the viewer of
captured mail (like a mail catcher), never sent anywhere.

The email worker sends many mails at once; their rows are written together (a group
commit), one transaction for all that arrive meanwhile, as a real provider would take
them over many connections, so capturing does not cost `make run` a commit a mail."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from premier.db import Database, core_table
from premier.db.group_commit import GroupCommit
from premier.email.models import CapturedEmail
from premier.email.providers.base import OutgoingEmail, SendResult
from premier.kit.time import utcnow

CAPTURED = core_table(CapturedEmail)


class CaptureProvider:
    name = "capture"

    def __init__(self, *, database: Database) -> None:
        self.database = database
        self._queue: GroupCommit[dict[str, Any], None] = GroupCommit(database, _write)

    async def send(self, email: OutgoingEmail) -> SendResult:
        await self._queue.submit(
            {
                "message_id": email.message_id,
                "to_address": email.to_address,
                "from_address": email.from_address,
                "subject": email.subject,
                "headers": dict(email.headers),
                "body_text": email.text,
                "body_html": email.html,
                "attachments": [
                    {"filename": a.filename, "content_type": a.content_type, "size": len(a.content)}
                    for a in email.attachments
                ],
                "created_at": utcnow(),
            }
        )
        return SendResult(provider_message_id=email.message_id.strip("<>"))

    async def aclose(self) -> None:
        return None


async def _write(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[None]:
    connection = await session.connection()
    await connection.execute(CAPTURED.insert(), list(rows))
    return [None] * len(rows)
