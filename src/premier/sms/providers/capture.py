"""The development provider: nothing leaves the machine; the queue row is the captured
message, which the viewer of captured SMS shows."""

from premier.sms.providers.base import Accepted, OutboundSms
from premier.sms.segments import count_segments


class CaptureProvider:
    name = "capture"

    async def send(self, message: OutboundSms) -> Accepted:
        return Accepted(
            provider=self.name,
            provider_message_id=f"capture-{message.reference}",
            status="sent",
            segments=count_segments(message.body).segments,
        )
