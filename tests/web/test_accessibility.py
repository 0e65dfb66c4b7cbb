"""Every page of the web UI passes axe-core, as the role that sees it, at desktop and phone
widths: a serious or critical violation fails the test, naming the rule, the element and the
page. The guest has a stay in the house with an order, a request, a conversation and a cash
payment, so the pages show their real content rather than their empty states."""

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.helpers import hotel_date
from tests.web.demo import signed_in

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
GUEST = "guest@premier.test"
FRONT_DESK = "frontdesk@premier.test"
KITCHEN = "kitchen@premier.test"
HOUSEKEEPING = "housekeeping@premier.test"
CONCIERGE = "concierge.a11y@premier.test"
MANAGER = "manager@premier.test"
ADMIN = "admin@premier.test"
CONCIERGE_PASSWORD = "Concierge-a11y-2026"

# (who, path, the page's main heading) for every route of the app, as the role that sees it.
PAGES: list[tuple[str | None, str, str]] = [
    (None, "/login", "Sign in"),
    (None, "/register", "Create your account"),
    (None, "/forgot-password", "Forgot your password?"),
    (None, "/reset-password?token=not-a-real-token", "Choose a new password"),
    (None, "/no-such-page", "Page not found"),
    (GUEST, "/rooms", "Find a room"),
    (GUEST, "/my-bookings", "My bookings"),
    (GUEST, "/room-service", "Room service"),
    (GUEST, "/requests", "Ask for something"),
    (GUEST, "/messages", "Messages"),
    (GUEST, "/messages?c={conversation}", "Messages"),
    (GUEST, "/notifications", "Notifications"),
    (GUEST, "/notifications/preferences", "Notification preferences"),
    (GUEST, "/profile", "Your profile"),
    (GUEST, "/payments/{payment}/result", "Your payment"),
    (FRONT_DESK, "/desk", "Today at the front desk"),
    (FRONT_DESK, "/desk/bookings", "Bookings"),
    (FRONT_DESK, "/desk/new-booking", "New booking"),
    (FRONT_DESK, "/room-status", "Room status"),
    (FRONT_DESK, "/service", "Service requests"),
    (FRONT_DESK, "/messages?c={conversation}", "Messages"),
    (KITCHEN, "/kitchen", "Kitchen orders"),
    (KITCHEN, "/manage/menu", "Menu"),
    (HOUSEKEEPING, "/room-status", "Room status"),
    (HOUSEKEEPING, "/service", "Service requests"),
    (CONCIERGE, "/service", "Service requests"),
    (CONCIERGE, "/messages", "Messages"),
    (MANAGER, "/room-status", "Room status"),
    (MANAGER, "/delivery", "Email & SMS"),
    (MANAGER, "/messaging", "Messaging stats"),
    (MANAGER, "/manage/rooms", "Rooms & rates"),
    (MANAGER, "/manage/reviews", "Reviews"),
    (MANAGER, "/manage/activity", "Activity"),
    (MANAGER, "/announcements", "Announcements"),
    (ADMIN, "/manage/staff", "Staff"),
    (ADMIN, "/manage/menu", "Menu"),
]


def _a_busy_stay(base_url: str) -> dict[str, int]:
    """The demo guest checked in today with a room-service order, a request, a conversation
    and cash paid at the desk; and a concierge to sign in as. Answers the ids pages need."""
    today = hotel_date()
    with httpx.Client(base_url=base_url) as http:
        guest = signed_in(http, GUEST)
        desk = signed_in(http, FRONT_DESK)
        admin = signed_in(http, ADMIN)
        concierge = http.post(
            "/api/v1/users",
            json={"email": CONCIERGE, "password": CONCIERGE_PASSWORD, "full_name": "Cleo Concierge",
                  "role": "staff", "department": "concierge"},
            headers=admin,
        )  # fmt: skip
        assert concierge.status_code == 201, concierge.text
        guest_id = http.get("/api/v1/auth/me", headers=guest).json()["id"]
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        booking = http.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(today),
                  "check_out": str(today + timedelta(days=2))},
            headers=guest,
        )  # fmt: skip
        assert booking.status_code == 201, booking.text
        stay = booking.json()["id"]
        for step in ("confirm", "check-in"):
            moved = http.post(f"/api/v1/bookings/{stay}/{step}", headers=desk)
            assert moved.is_success, moved.text
        future = http.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(today + timedelta(days=20)),
                  "check_out": str(today + timedelta(days=22))},
            headers=guest,
        )  # fmt: skip
        assert future.status_code == 201, future.text
        dish = http.get("/api/v1/menu", headers=guest).json()[0]["id"]
        order = http.post(
            "/api/v1/orders",
            json={"items": [{"menu_item_id": dish, "quantity": 2}], "booking_id": stay},
            headers=guest,
        )
        assert order.status_code == 201, order.text
        request = http.post(
            "/api/v1/service-requests",
            json={"kind": "housekeeping", "description": "Two more towels, please.",
                  "room_number": moved.json()["room_number"]},
            headers=guest,
        )  # fmt: skip
        assert request.status_code == 201, request.text
        conversation = http.post(
            "/api/v1/messages/conversations",
            json={"department": "front_desk", "subject": "Late arrival", "booking_id": stay},
            headers=guest,
        )
        assert conversation.status_code == 201, conversation.text
        sent = http.post(
            "/api/v1/messages/send",
            json={"conversation_id": conversation.json()["id"], "body": "We land at 11 pm.",
                  "client_message_id": "a11y-1"},
            headers=guest,
        )  # fmt: skip
        assert sent.status_code == 201, sent.text
        cash = http.post(
            "/api/v1/payments/cash",
            json={"booking_id": stay, "amount": 1000, "currency": "KES"},
            headers=desk,
        )
        assert cash.status_code == 201, cash.text
        return {
            "conversation": int(conversation.json()["id"]),
            "payment": int(cash.json()["id"]),
            "guest": int(guest_id),
        }


def _sign_in(context: BrowserContext, base_url: str, email: str) -> None:
    page = context.new_page()
    page.goto(f"{base_url}/login")
    if email == CONCIERGE:
        page.get_by_label("Email").fill(CONCIERGE)
        page.get_by_label("Password").fill(CONCIERGE_PASSWORD)
    else:
        page.get_by_role("button", name=re.compile(re.escape(email))).click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    page.close()


def _serious_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def busy_stay(live_server: str) -> dict[str, int]:
    return _a_busy_stay(live_server)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_passes_axe(
    chromium: Browser,
    live_server: str,
    busy_stay: dict[str, int],
    screenshot_dir: Path | None,
    viewport: str,
) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` in web/")
    width, height = VIEWPORTS[viewport]
    contexts: dict[str | None, BrowserContext] = {}
    found: list[str] = []
    for email, path, heading in PAGES:
        if email not in contexts:
            # The app's Content Security Policy forbids inline scripts, axe's among them.
            contexts[email] = chromium.new_context(
                viewport={"width": width, "height": height}, bypass_csp=True
            )
            if email:
                _sign_in(contexts[email], live_server, email)
        page = contexts[email].new_page()
        address = path.format(**busy_stay)
        page.goto(f"{live_server}{address}")
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator(".state-loading")).to_have_count(0)
        for violation in _serious_violations(page):
            for node in violation["nodes"]:
                found.append(
                    f"{viewport} {email or 'signed out'} {address}: {violation['id']} "
                    f"({violation['impact']}) at {' '.join(node['target'])}: "
                    f"{node.get('failureSummary', '').splitlines()[-1:]}"
                )
        if screenshot_dir is not None:
            name = re.sub(r"[^a-z0-9]+", "-", address.lower()).strip("-") or "home"
            page.screenshot(path=str(screenshot_dir / f"axe-{viewport}-{name}.png"), full_page=True)
        page.close()
    for context in contexts.values():
        context.close()
    assert not found, "axe-core finds serious or critical problems:\n" + "\n".join(found)
