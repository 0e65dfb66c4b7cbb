"""Email as a channel of `notify()`: a message becomes a branded email_queue row (HTML
layout, text footer, one-click unsubscribe), sent later by the email queue's worker."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.email.compose import add_emails, new_email, unsubscribe_headers
from premier.email.models import EmailQueue
from premier.notifications.channels import Delivery, Message
from premier.notifications.models import PRIORITY_RANK, Channel
from premier.notifications.render import branding, text_footer, wrap_email_html
from premier.users.models import User


class EmailChannel:
    name = Channel.EMAIL
    # Where its messages wait to be sent: how far each has got (announcement progress).
    queue_model = EmailQueue

    def address_of(self, user: User) -> str | None:
        return user.email or None

    async def deliver(
        self, *, session: AsyncSession, settings: Settings, messages: Sequence[Message]
    ) -> list[Delivery]:
        hotel = branding(settings)
        rows = [compose(settings, message, hotel=hotel) for message in messages]
        ids = await add_emails(
            session=session, rows=rows, essential=[m.essential for m in messages]
        )
        return [
            Delivery(
                row["status"], recipient=row["to_address"], queue_id=i, detail=row["last_error"]
            )
            for row, i in zip(rows, ids, strict=True)
        ]


def compose(
    settings: Settings,
    message: Message,
    *,
    template: str | None = None,
    hotel: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The queue row's values for one message: the hotel's layout around it, and the unsubscribe
    link in the footer and the List-Unsubscribe headers unless the message is essential."""
    hotel = hotel or branding(settings)
    link = message.unsubscribe_url
    return new_email(
        settings=settings,
        to_address=message.address,
        to_name=message.recipient_name or None,
        subject=message.subject,
        body_text=message.text
        + text_footer(hotel=hotel, unsubscribe_url=link, locale=message.locale),
        body_html=wrap_email_html(
            body_html=message.html,
            subject=message.subject,
            locale=message.locale,
            hotel=hotel,
            unsubscribe_url=link,
        ),
        category=message.category,
        template=template or message.event_type,
        locale=message.locale,
        headers=unsubscribe_headers(link) if link else None,
        attachments=message.attachments,
        priority=PRIORITY_RANK[message.priority],
        user_id=message.user_id,
        notification_id=message.notification_id,
        created_by=message.created_by,
        not_before=message.not_before,
    )
