"""The development provider: nothing leaves the machine; the queue row is the outbox entry
that the admin outbox API shows."""

from premier.sms.providers.base import Accepted, OutboundSms
from premier.sms.segments import count_segments


class OutboxProvider:
    name = "outbox"

    async def send(self, message: OutboundSms) -> Accepted:
        return Accepted(
            provider=self.name,
            provider_message_id=f"outbox-{message.reference}",
            status="sent",
            segments=count_segments(message.body).segments,
        )
