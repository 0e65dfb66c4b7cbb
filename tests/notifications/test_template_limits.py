"""Admin-edited templates render within time and size limits: a template built to stall or
exhaust the server is refused with a 422 that says so, quickly, while others are served."""

import asyncio
import time

import httpx
import pytest

from premier.db import Database
from premier.kit.errors import InvalidInput
from premier.notifications.render import TemplateParts, render_parts
from premier.users.models import Role
from tests.helpers import signed_in

TEMPLATES = "/api/v1/notification-templates"
NESTED_LOOPS = (
    "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
    "{% endfor %}{% endfor %}{% endfor %}"
)
HUGE_REPEAT = '{{ "x" * 10**9 }}'
ATTACKS = [
    NESTED_LOOPS,
    HUGE_REPEAT,
    '{{ "x"|center(10**9) }}',
    '{{ "{:>999999999}".format(1) }}',
    '{% set a = "x" * 900000 %}{{ a ~ a }}',
    '{% set ns = namespace(s="xx") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}'
    "{% endfor %}",
]


@pytest.mark.parametrize("body", [NESTED_LOOPS, HUGE_REPEAT])
async def test_an_expensive_preview_gets_422_quickly_while_others_are_served(
    client: httpx.AsyncClient, database: Database, body: str
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    started = time.monotonic()
    preview = asyncio.create_task(
        client.post(f"{TEMPLATES}/preview", headers=admin,
                    json={"event_type": "general", "subject": "hello", "body_text": body})
    )  # fmt: skip
    meanwhile = await client.get("/api/v1/health")
    assert meanwhile.status_code == 200
    answer = await preview
    assert time.monotonic() - started < 5
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "template_too_expensive"
    assert "too expensive to render" in error["message"]
    assert error["details"]["part"] == "body_text"


async def test_an_expensive_template_cannot_be_saved(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    created = await client.post(
        TEMPLATES, headers=admin,
        json={"event_type": "general", "channel": "in_app", "locale": "en",
              "subject": "hello", "body_text": NESTED_LOOPS},
    )  # fmt: skip
    assert created.status_code == 422
    assert created.json()["error"]["code"] == "template_too_expensive"


@pytest.mark.parametrize("body", ATTACKS)
def test_the_sending_path_stops_every_expensive_template(body: str) -> None:
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        render_parts(TemplateParts("hi", body, ""), {})
    assert refused.value.code == "template_too_expensive"
    assert time.monotonic() - started < 3


def test_ordinary_templates_still_render() -> None:
    parts = TemplateParts(
        "Booking {{ reference }}",
        '{% for item in items %}{{ item }} {% endfor %}{{ "{:,}".format(amount) }} '
        '{{ "%.2f" % 3.14159 }} {{ name|center(12) }} {{ "-" * 20 }} {{ name ~ "!" }}',
        "<p>{{ name }}</p>",
    )
    context = {"reference": "PH-1", "items": ["tea", "cake"], "amount": 5_000_000,
               "name": "Grace"}  # fmt: skip
    rendered = render_parts(parts, context)
    assert rendered.subject == "Booking PH-1"
    assert rendered.text == "tea cake 5,000,000 3.14    Grace     -------------------- Grace!"
    assert rendered.html == "<p>Grace</p>"
