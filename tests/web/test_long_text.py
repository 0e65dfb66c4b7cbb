"""Every page holds long and unicode text at phone width: a guest's 500-character word in a
request, a booking, an order and their own name never makes a page wider than the phone."""

import re
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.web.demo import signed_in as _signed_in

PHONE = {"width": 390, "height": 844}
WORD = "Ω" + "x" * 250 + "😀" + "ناموس" * 20 + "漢字" * 60
LONG = f"Please {WORD} — Привет, 你好, مرحبا 🛎️ {WORD}"
PAGES = [
    ("guest@premier.test", "/rooms"),
    ("guest@premier.test", "/my-bookings"),
    ("guest@premier.test", "/room-service"),
    ("guest@premier.test", "/requests"),
    ("guest@premier.test", "/profile"),
    ("frontdesk@premier.test", "/desk"),
    ("frontdesk@premier.test", "/desk/bookings"),
    ("frontdesk@premier.test", "/desk/new-booking"),
    ("kitchen@premier.test", "/kitchen"),
    ("housekeeping@premier.test", "/service"),
    ("housekeeping@premier.test", "/room-status"),
    ("frontdesk@premier.test", "/room-status"),
    ("manager@premier.test", "/delivery"),
    ("guest@premier.test", "/messages"),
    ("guest@premier.test", "/messages?c={conversation}"),
    ("frontdesk@premier.test", "/messages"),
    ("frontdesk@premier.test", "/messages?c={conversation}"),
    ("manager@premier.test", "/messaging"),
]


def _leave_long_text(base_url: str) -> int:
    """As the demo guest: a long name, and a booking, an order, a request and a conversation
    full of it; answers the conversation's id."""
    check_in = date.today()
    with httpx.Client(base_url=base_url) as http:
        admin = _signed_in(http, "admin@premier.test")
        guest_id = http.get(
            "/api/v1/auth/me", headers=_signed_in(http, "guest@premier.test")
        ).json()["id"]
        renamed = http.patch(
            f"/api/v1/users/{guest_id}", json={"full_name": LONG[:200]}, headers=admin
        )
        assert renamed.is_success, renamed.text
        headers = _signed_in(http, "guest@premier.test")
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        booking = http.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(check_in),
                  "check_out": str(check_in + timedelta(days=2)), "special_requests": LONG},
            headers=headers,
        )  # fmt: skip
        assert booking.status_code == 201, booking.text
        request = http.post(
            "/api/v1/service-requests",
            json={"kind": "housekeeping", "description": LONG, "room_number": "101"},
            headers=headers,
        )
        assert request.status_code == 201, request.text
        desk = _signed_in(http, "frontdesk@premier.test")
        stay = booking.json()["id"]
        for step in ("confirm", "check-in"):
            moved = http.post(f"/api/v1/bookings/{stay}/{step}", headers=desk)
            assert moved.is_success, moved.text
        dish = http.get("/api/v1/menu", headers=headers).json()[0]["id"]
        order = http.post(
            "/api/v1/orders",
            json={"items": [{"menu_item_id": dish, "quantity": 1}], "booking_id": stay,
                  "notes": LONG[:1000]},
            headers=headers,
        )  # fmt: skip
        assert order.status_code == 201, order.text
        conversation = http.post(
            "/api/v1/messages/conversations",
            json={"department": "front_desk", "subject": LONG[:200], "booking_id": stay},
            headers=headers,
        )
        assert conversation.status_code == 201, conversation.text
        sent = http.post(
            "/api/v1/messages/send",
            json={"conversation_id": conversation.json()["id"], "body": LONG[:4000],
                  "client_message_id": "long-text"},
            headers=headers,
        )  # fmt: skip
        assert sent.status_code == 201, sent.text
    return int(conversation.json()["id"])


@pytest.mark.timeout(180)
def test_every_page_holds_a_500_character_word_on_a_phone(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    conversation = _leave_long_text(live_server)
    contexts = {}
    too_wide = []
    for email, path in PAGES:
        if email not in contexts:
            contexts[email] = chromium.new_context(viewport=PHONE)
            page = contexts[email].new_page()
            page.goto(f"{live_server}/login")
            page.get_by_role("button", name=re.compile(re.escape(email))).click()
            page.get_by_role("button", name="Sign in", exact=True).click()
            expect(page.get_by_test_id("current-user")).to_be_visible()
            page.close()
        page = contexts[email].new_page()
        path = path.format(conversation=conversation)
        page.goto(f"{live_server}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator(".state-loading")).to_have_count(0)
        width = page.evaluate("document.documentElement.scrollWidth")
        if screenshot_dir is not None:
            name = re.sub(r"[^a-z0-9]+", "-", path.strip("/"))
            page.screenshot(path=str(screenshot_dir / f"long-text-{name}.png"), full_page=True)
        if width > PHONE["width"]:
            too_wide.append(f"{path} as {email}: {width}px")
        page.close()
    for context in contexts.values():
        context.close()
    assert not too_wide, "pages wider than the phone: " + "; ".join(too_wide)
