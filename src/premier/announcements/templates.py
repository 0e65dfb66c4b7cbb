"""Ready-made announcements, in English and Swahili, with `{variables}` to fill in."""

import string
from dataclasses import dataclass

from premier.kit.errors import InvalidInput


@dataclass(frozen=True)
class AnnouncementTemplate:
    key: str
    name: str
    priority: str
    variables: tuple[str, ...]
    title: str
    body: str
    title_sw: str
    body_sw: str


TEMPLATES = {
    t.key: t
    for t in (
        AnnouncementTemplate(
            "maintenance",
            "Maintenance",
            "important",
            ("area", "date", "start", "end"),
            "Maintenance: {area} on {date}",
            "The {area} will be closed for maintenance on {date} from {start} to {end}. "
            "We are sorry for the inconvenience.",
            "Matengenezo: {area} tarehe {date}",
            "{area} itafungwa kwa matengenezo tarehe {date} kuanzia {start} hadi {end}. "
            "Samahani kwa usumbufu.",
        ),
        AnnouncementTemplate(
            "special_offer",
            "Special offer",
            "normal",
            ("offer", "until"),
            "Special offer: {offer}",
            "Enjoy {offer}, until {until}. Ask the front desk for details.",
            "Ofa maalum: {offer}",
            "Furahia {offer}, hadi {until}. Uliza mapokezi kwa maelezo zaidi.",
        ),
        AnnouncementTemplate(
            "emergency",
            "Emergency",
            "emergency",
            ("instructions",),
            "Emergency: please read now",
            "{instructions} Follow the staff's directions and keep this message at hand.",
            "Dharura: tafadhali soma sasa",
            "{instructions} Fuata maelekezo ya wafanyakazi na uweke ujumbe huu karibu.",
        ),
        AnnouncementTemplate(
            "policy_update",
            "Policy update",
            "normal",
            ("policy", "effective"),
            "Policy update: {policy}",
            "Our {policy} policy changes from {effective}. The front desk will gladly explain.",
            "Mabadiliko ya sera: {policy}",
            "Sera yetu ya {policy} inabadilika kuanzia {effective}. Mapokezi watafurahi kueleza.",
        ),
        AnnouncementTemplate(
            "event",
            "Event",
            "normal",
            ("event", "date", "time", "place"),
            "You are invited: {event}",
            "Join us for {event} on {date} at {time}, {place}.",
            "Unakaribishwa: {event}",
            "Jiunge nasi kwa {event} tarehe {date} saa {time}, {place}.",
        ),
    )
}


def fill(key: str, variables: dict[str, str]) -> dict[str, str]:
    """The four texts of a template with its variables filled in; every variable is needed
    and no other is taken (a typo must not go out as `{aera}`)."""
    template = TEMPLATES.get(key)
    if template is None:
        raise InvalidInput(f"no template {key!r}; there are {sorted(TEMPLATES)}", code="template")
    missing = [name for name in template.variables if not str(variables.get(name, "")).strip()]
    unknown = sorted(set(variables) - set(template.variables))
    if missing or unknown:
        raise InvalidInput(
            f"template {key!r} needs {list(template.variables)}"
            + (f"; missing {missing}" if missing else "")
            + (f"; unknown {unknown}" if unknown else ""),
            code="template_variables",
        )
    values = {name: str(variables[name]).strip() for name in template.variables}
    formatter = string.Formatter()
    return {
        part: formatter.vformat(getattr(template, part), (), values)
        for part in ("title", "body", "title_sw", "body_sw")
    }
