"""The development provider: mail is stored in email_capture and shown in the viewer of
captured mail (like a mail catcher), never sent anywhere."""

from premier.db import Database
from premier.email.models import CapturedEmail
from premier.email.providers.base import OutgoingEmail, SendResult
from premier.kit.time import utcnow


class CaptureProvider:
    name = "capture"

    def __init__(self, *, database: Database) -> None:
        self.database = database

    async def send(self, email: OutgoingEmail) -> SendResult:
        async with self.database.writing() as session:
            session.add(
                CapturedEmail(
                    message_id=email.message_id,
                    to_address=email.to_address,
                    from_address=email.from_address,
                    subject=email.subject,
                    headers=dict(email.headers),
                    body_text=email.text,
                    body_html=email.html,
                    attachments=[
                        {
                            "filename": a.filename,
                            "content_type": a.content_type,
                            "size": len(a.content),
                        }
                        for a in email.attachments
                    ],
                    created_at=utcnow(),
                )
            )
            await session.commit()
        return SendResult(provider_message_id=email.message_id.strip("<>"))

    async def aclose(self) -> None:
        return None
