"""How far an announcement has got, per recipient and channel, read from where each
message really is: the in-app notification (delivered, read) and each queued channel's row
(queued, sent, failed), found through the delivery log's line for it. Nothing is copied,
so the totals follow the queue workers as they send, and always add up to the rows."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from premier.announcements.models import Announcement, AnnouncementRecipient
from premier.announcements.schemas import Acknowledgement, Acknowledgements, Progress
from premier.notifications import channels
from premier.notifications.models import DeliveryLog, Notification
from premier.users.models import User

# A queue row's status, as a step of the announcement's progress.
STEP = {
    "queued": "queued",
    "sending": "queued",
    "sent": "sent",
    "failed": "failed",
    "cancelled": "failed",
    "suppressed": "failed",
}


async def progress(*, session: AsyncSession, announcement: Announcement) -> Progress:
    recipients = AnnouncementRecipient.announcement_id == announcement.id
    totals: dict[str, dict[str, int]] = {}
    in_app = (
        await session.execute(
            select(func.count(Notification.id), func.count(Notification.read_at))
            .select_from(AnnouncementRecipient)
            .join(Notification, Notification.id == AnnouncementRecipient.notification_id)
            .where(recipients)
        )
    ).one()
    if in_app[0]:
        totals["in_app"] = {"delivered": in_app[0] - in_app[1], "read": in_app[1]}
    for channel in channels.registered():
        model = getattr(channel, "queue_model", None)
        if model is None:
            continue
        found = await session.execute(
            select(DeliveryLog.status, model.status, func.count())
            .select_from(AnnouncementRecipient)
            .join(DeliveryLog, DeliveryLog.notification_id == AnnouncementRecipient.notification_id)
            .outerjoin(model, model.id == DeliveryLog.queue_id)
            .where(recipients, DeliveryLog.channel == channel.name.value)
            .group_by(DeliveryLog.status, model.status)
        )
        steps: dict[str, int] = {}
        for logged, queued, n in found:
            step = STEP.get(queued, "failed") if queued else "skipped"
            if queued is None and logged == "failed":
                step = "failed"
            steps[step] = steps.get(step, 0) + n
        if steps:
            totals[channel.name.value] = steps
    acknowledged = await session.scalar(
        select(func.count()).where(recipients, AnnouncementRecipient.acknowledged_at.is_not(None))
    )
    return Progress(
        status=announcement.status,
        recipients=announcement.recipient_count or 0,
        acknowledged=acknowledged or 0,
        channels=totals,
    )


async def acknowledgements(*, session: AsyncSession, announcement_id: int) -> Acknowledgements:
    rows = (
        await session.execute(
            select(User.id, User.full_name, AnnouncementRecipient.acknowledged_at)
            .join(User, User.id == AnnouncementRecipient.user_id)
            .where(AnnouncementRecipient.announcement_id == announcement_id)
            .order_by(AnnouncementRecipient.acknowledged_at.is_(None), User.full_name)
        )
    ).all()
    people = [Acknowledgement(user_id=i, name=n, acknowledged_at=a) for i, n, a in rows]
    done = sum(1 for p in people if p.acknowledged_at is not None)
    return Acknowledgements(acknowledged=done, waiting=len(people) - done, people=people)
