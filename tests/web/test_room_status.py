"""The room status board in a real browser: the desk checks a guest out, the room turns
dirty, housekeeping marks it cleaned from a phone and the desk's board turns clean live."""

import re
from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from premier.seed import DEMO_PASSWORD
from tests.helpers import hotel_date

FRONT_DESK = "frontdesk@premier.test"
HOUSEKEEPING = "housekeeping@premier.test"
GUEST = "guest@premier.test"


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_role("button", name=re.compile(re.escape(email))).click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _headers(http: httpx.Client, email: str) -> dict[str, str]:
    login = http.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _guest_in_the_house(base_url: str, steps: tuple[str, ...] = ("confirm", "check-in")) -> dict:
    """A one-night stay from today for the demo guest, confirmed and checked in by the front
    desk (or only as far as `steps` go)."""
    today = hotel_date()
    tomorrow = today + timedelta(days=1)
    with httpx.Client(base_url=base_url) as http:
        desk = _headers(http, FRONT_DESK)
        guest_id = http.get("/api/v1/auth/me", headers=_headers(http, GUEST)).json()["id"]
        options = http.get(
            "/api/v1/rooms/availability",
            params={"check_in": str(today), "check_out": str(tomorrow)},
        ).json()["options"]
        body = {"room_type_id": options[0]["room_type"]["id"], "guest_id": guest_id,
                "check_in": str(today), "check_out": str(tomorrow)}  # fmt: skip
        booking = http.post("/api/v1/bookings", json=body, headers=desk).json()
        for step in steps:
            answer = http.post(f"/api/v1/bookings/{booking['id']}/{step}", headers=desk)
            assert answer.status_code == 200, answer.text
        stay: dict = answer.json()
        return stay


@pytest.mark.timeout(120)
def test_checkout_dirties_the_room_and_housekeeping_cleans_it_from_a_phone(
    chromium: Browser, live_server: str
) -> None:
    stay = _guest_in_the_house(live_server)
    room = stay["room_number"]
    with httpx.Client(base_url=live_server) as http:
        paid = http.post(
            "/api/v1/payments/cash",
            json={"booking_id": stay["id"], "amount": stay["total_amount"], "currency": "KES"},
            headers=_headers(http, FRONT_DESK),
        )
        assert paid.status_code == 201, paid.text  # check-out waits for a settled bill

    desk_context = chromium.new_context(viewport={"width": 1280, "height": 900})
    desk = desk_context.new_page()
    _sign_in(desk, live_server, FRONT_DESK)
    arrival = desk.locator(f'[data-testid="booking"][data-reference="{stay["reference"]}"]')
    expect(arrival).to_contain_text("checked in")
    # Check-out asks first, showing the settled bill.
    arrival.get_by_role("button", name="Check out").click()
    expect(arrival).to_contain_text("The bill is settled.")
    arrival.get_by_role("button", name=f"Yes, check out room {room}").click()
    expect(arrival).to_contain_text("checked out")

    desk.get_by_role("link", name="Room status").click()
    desk_tile = desk.locator(f'[data-testid="room-tile"][data-room="{room}"]')
    expect(desk_tile).to_have_attribute("data-status", "vacant_dirty")
    expect(desk_tile).to_contain_text("Dirty")
    # The desk does not clean rooms.
    expect(desk_tile.get_by_role("button", name="Cleaned")).to_have_count(0)

    phone = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    housekeeping = phone.new_page()
    _sign_in(housekeeping, live_server, HOUSEKEEPING)
    housekeeping.goto(f"{live_server}/room-status")
    housekeeping.get_by_role("button", name=re.compile("^Dirty")).tap()
    tile = housekeeping.locator(f'[data-testid="room-tile"][data-room="{room}"]')
    expect(tile).to_have_attribute("data-status", "vacant_dirty")
    cleaned = tile.get_by_role("button", name="Cleaned")
    # Fits the phone's width, and is big enough for a thumb.
    box = cleaned.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390 and box["height"] >= 36
    cleaned.tap()
    expect(tile).to_have_count(0)  # no longer among the dirty rooms

    # The desk's board, left open, follows live.
    expect(desk_tile).to_have_attribute("data-status", "vacant_clean")
    expect(desk_tile).to_contain_text("Clean")
    desk_context.close()
    phone.close()


@pytest.mark.timeout(90)
def test_the_desk_extends_a_stay_after_seeing_the_new_total(
    chromium: Browser, live_server: str
) -> None:
    stay = _guest_in_the_house(live_server, steps=("confirm",))
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, live_server, FRONT_DESK)
    card = page.locator(f'[data-testid="booking"][data-reference="{stay["reference"]}"]')
    expect(card).to_contain_text("1 night")
    card.get_by_label("Change stay").select_option(label="Extend the stay")
    card.get_by_role("button", name="See new total").click()
    quote = card.get_by_test_id("stay-quote")
    expect(quote).to_contain_text("New total")
    card.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(card).to_contain_text("2 nights")
    expect(card.get_by_test_id("stay-change")).to_have_count(0)
    context.close()
