"""A stay as a calendar entry, attached to the booking confirmation."""

from datetime import date

from premier.delivery.attachment import Attachment
from premier.kit.time import utcnow


def booking_calendar(
    *, uid: str, summary: str, start: date, end: date, location: str, description: str
) -> Attachment:
    """An iCalendar (RFC 5545) all-day event from check-in to check-out."""

    def esc(text: str) -> str:
        return (
            text.replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\r", "")
            .replace("\n", "\\n")
        )

    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Premier Hotel//Bookings//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{esc(uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{esc(summary)}",
        f"LOCATION:{esc(location)}",
        f"DESCRIPTION:{esc(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return Attachment(
        "booking.ics", "text/calendar; method=PUBLISH", ("\r\n".join(lines) + "\r\n").encode()
    )
