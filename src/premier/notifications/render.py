"""Rendering templates: a sandboxed Jinja2 environment with a cost limit (templates may be
edited by admins; see sandbox.py), HTML autoescaped, a branded layout around every email,
and CSS inlined for mail clients."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import css_inline
from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes, pass_context
from jinja2.runtime import Context

from premier.config import Settings
from premier.kit.errors import InvalidInput
from premier.kit.money import format_amount
from premier.notifications.builtin import builtin
from premier.notifications.catalog import EventSpec
from premier.notifications.models import Channel
from premier.notifications.sandbox import BoundedEnvironment, TemplateTooExpensive, bounded_render
from premier.notifications.wording import day, label


@pass_context
def _label(context: Context, code: Any) -> str:
    return label(code, str(context.get("locale", "en")))


@pass_context
def _day(context: Context, value: Any) -> str:
    return day(value, str(context.get("locale", "en")))


def _environment(*, html: bool) -> BoundedEnvironment:
    env = BoundedEnvironment(autoescape=html, undefined=StrictUndefined, trim_blocks=True)
    env.filters["money"] = lambda amount, currency: format_amount(int(amount), str(currency))
    env.filters["label"] = _label
    env.filters["day"] = _day
    return env


HTML_ENV = _environment(html=True)
TEXT_ENV = _environment(html=False)


@lru_cache(maxsize=512)
def _compiled(source: str, html: bool) -> Any:
    return (HTML_ENV if html else TEXT_ENV).from_string(source)


@dataclass(frozen=True, slots=True)
class TemplateParts:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def builtin_parts(event_type: str, channel: Channel, locale: str) -> TemplateParts | None:
    template = builtin(event_type, locale)
    if template is None:
        return None
    if channel == Channel.EMAIL:
        return TemplateParts(template.subject, template.text, template.html)
    if channel == Channel.SMS:
        return TemplateParts("", template.short, "")
    return TemplateParts(template.subject, template.short, "")


def validate(spec: EventSpec, parts: TemplateParts) -> None:
    """Refuse a template that does not compile or uses a variable the event does not have,
    naming the part and the line."""
    for part, source, html in (
        ("subject", parts.subject, False),
        ("body_text", parts.text, False),
        ("body_html", parts.html, True),
    ):
        env = HTML_ENV if html else TEXT_ENV
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            raise InvalidInput(
                f"{part} line {exc.lineno}: {exc.message}",
                details={"part": part, "line": exc.lineno, "message": exc.message},
                code="template_syntax_error",
            ) from exc
        unknown = sorted(meta.find_undeclared_variables(tree) - spec.allowed_variables)
        if unknown:
            line = _first_line_of(tree, unknown[0])
            raise InvalidInput(
                f"{part} line {line}: unknown variable {unknown[0]!r}",
                details={
                    "part": part,
                    "line": line,
                    "variable": unknown[0],
                    "allowed": sorted(spec.allowed_variables),
                },
                code="template_unknown_variable",
            )


def _first_line_of(tree: nodes.Template, name: str) -> int:
    lines = [node.lineno for node in tree.find_all(nodes.Name) if node.name == name]
    return min(lines) if lines else 1


def branding(settings: Settings) -> dict[str, Any]:
    return {
        "name": settings.hotel_name,
        "logo_url": settings.hotel_logo_url,
        "brand_color": settings.hotel_brand_color,
        "address": settings.hotel_address,
        "support_email": settings.hotel_support_email,
        "base_url": settings.public_base_url,
    }


# What differs between the recipients of one notice. A part naming none of these reads the
# same for everyone of one language, so a notice to many renders it once per language.
PERSONAL = frozenset({"recipient", "unsubscribe_url"})
# Parts already rendered for a notice's recipients: (source, html, locale) → text.
Shared = dict[tuple[str, bool, str], str]


@lru_cache(maxsize=512)
def _personal(source: str, html: bool) -> bool:
    try:
        tree = (HTML_ENV if html else TEXT_ENV).parse(source)
    except TemplateSyntaxError:
        return True  # rendered each time, failing as it would anyway
    return bool(meta.find_undeclared_variables(tree) & PERSONAL)


def _render_part(source: str, html: bool, context: dict[str, Any], shared: Shared | None) -> str:
    if not source:
        return ""
    if shared is None or _personal(source, html):
        return bounded_render(_compiled(source, html), context)
    key = (source, html, str(context.get("locale", "en")))
    if key not in shared:
        shared[key] = bounded_render(_compiled(source, html), context)
    return shared[key]


def render_parts(
    parts: TemplateParts, context: dict[str, Any], shared: Shared | None = None
) -> Rendered:
    """Render within the sandbox's time and size limits, whoever wrote the template. With
    `shared`, the contexts differ only in the recipient (one notice to many people)."""
    part = "subject"
    try:
        subject = _render_part(parts.subject, False, context, shared)
        part = "body_text"
        text = _render_part(parts.text, False, context, shared)
        part = "body_html"
        html = _render_part(parts.html, True, context, shared)
    except TemplateTooExpensive as exc:
        raise InvalidInput(
            f"{part} is too expensive to render ({exc}); simplify the template",
            details={"part": part, "reason": str(exc)},
            code="template_too_expensive",
        ) from exc
    except Exception as exc:  # an admin's template may fail in any way: a client error
        raise InvalidInput(
            f"template could not be rendered: {exc}", code="template_render_error"
        ) from exc
    # A subject is one header line: whatever the context held, it never spans lines.
    return Rendered(" ".join(subject.split()), text, html)


_LAYOUT = _compiled(
    """<!doctype html>
<html lang="{{ locale }}"><head><meta charset="utf-8"><title>{{ subject }}</title>
<style>
body { margin: 0; padding: 0; background: #f4f5f7; font-family: Helvetica, Arial, sans-serif;
       color: #222222; }
.wrap { max-width: 600px; margin: 0 auto; background: #ffffff; }
.header { background: {{ hotel.brand_color }}; color: #ffffff; padding: 16px 24px; }
.header img { max-height: 40px; }
.content { padding: 24px; font-size: 15px; line-height: 1.5; }
.facts th { text-align: left; padding: 4px 12px 4px 0; color: #555555; }
.button { display: inline-block; background: {{ hotel.brand_color }}; color: #ffffff;
          padding: 10px 18px; border-radius: 4px; text-decoration: none; }
.footer { padding: 16px 24px; font-size: 12px; color: #777777; }
</style></head>
<body><div class="wrap">
<div class="header">{% if hotel.logo_url %}<img src="{{ hotel.logo_url }}" alt="{{ hotel.name }}">
{% else %}<strong>{{ hotel.name }}</strong>{% endif %}</div>
<div class="content">{{ body }}</div>
<div class="footer">{{ hotel.name }} · {{ hotel.address }} · {{ hotel.support_email }}
{% if unsubscribe_url %}<br><a href="{{ unsubscribe_url }}">{{ unsubscribe_label }}</a>{% endif %}
</div></div></body></html>""",
    True,
)
_UNSUBSCRIBE_LABEL = {"en": "Unsubscribe from these emails", "sw": "Jiondoe kwenye barua hizi"}
_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def wrap_email_html(
    *, body_html: str, subject: str, locale: str, hotel: dict[str, Any], unsubscribe_url: str | None
) -> str:
    from markupsafe import Markup

    page = _LAYOUT.render(
        body=Markup(body_html),  # noqa: S704 - rendered by the autoescaping environment
        subject=subject,
        locale=locale,
        hotel=hotel,
        unsubscribe_url=unsubscribe_url,
        unsubscribe_label=_UNSUBSCRIBE_LABEL.get(locale, _UNSUBSCRIBE_LABEL["en"]),
    )
    return str(_INLINER.inline(page))


def text_footer(*, hotel: dict[str, Any], unsubscribe_url: str | None, locale: str) -> str:
    lines = ["", "--", f"{hotel['name']} · {hotel['address']}"]
    if unsubscribe_url:
        lines.append(
            f"{_UNSUBSCRIBE_LABEL.get(locale, _UNSUBSCRIBE_LABEL['en'])}: {unsubscribe_url}"
        )
    return "\n".join(lines) + "\n"
