"""In a real browser: the front desk takes a larger note and sees the change to give, a
manager voids a mistaken cash payment, and the kitchen sees how long orders have waited."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from premier.seed import DEMO_PASSWORD
from tests.web.test_browser import _shot, _sign_in

GUEST = "guest@premier.test"


def _api(base_url: str, email: str) -> httpx.Client:
    """A client signed in as `email` (open: use it in a `with`)."""
    with httpx.Client(base_url=base_url) as http:
        login = http.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    token = login.json()["access_token"]
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})


def _booking(base_url: str, check_in: date) -> dict[str, Any]:
    with _api(base_url, GUEST) as http:
        room_type = http.get("/api/v1/rooms/types").json()
        first = room_type[0] if isinstance(room_type, list) else room_type["items"][0]
        made = http.post(
            "/api/v1/bookings",
            json={"room_type_id": first["id"], "check_in": str(check_in),
                  "check_out": str(check_in + timedelta(days=1)), "guests": 1},
        )  # fmt: skip
        assert made.status_code == 201, made.text
        booking: dict[str, Any] = made.json()
        return booking


@pytest.mark.timeout(120)
def test_the_desk_sees_the_change_due_and_a_manager_voids_a_mistake(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    check_in = date.today() + timedelta(days=45)
    booking = _booking(live_server, check_in)
    due = booking["total_amount"]

    desk = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    staff = desk.new_page()
    _sign_in(staff, live_server, "frontdesk@premier.test")
    staff.get_by_label("Day", exact=True).fill(check_in.isoformat())
    arrival = staff.locator(f'[data-testid="booking"][data-reference="{booking["reference"]}"]')
    arrival.get_by_role("button", name="Payments").click()
    amount = arrival.get_by_label(re.compile("Cash received"))
    amount.fill(f"{(due + 50_000) / 100:.2f}")
    expect(arrival).to_contain_text("Change due: KES 500.00")
    arrival.get_by_role("button", name="Record cash payment").click()
    expect(arrival.get_by_role("alert")).to_contain_text("is more than the")
    _shot(staff, screenshot_dir, "desk-cash-change-due")
    arrival.get_by_role("button", name=re.compile("Yes, change given")).click()
    expect(arrival).to_contain_text("settled")
    expect(arrival).to_contain_text("KES 500.00 change given")

    office = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    manager = office.new_page()
    _sign_in(manager, live_server, "manager@premier.test")
    manager.goto(f"{live_server}/desk")
    manager.get_by_label("Day", exact=True).fill(check_in.isoformat())
    same = manager.locator(f'[data-testid="booking"][data-reference="{booking["reference"]}"]')
    same.get_by_role("button", name="Payments").click()
    same.get_by_role("button", name="Void").click()
    same.get_by_label("Why void this payment?").fill("recorded twice by mistake")
    same.get_by_role("button", name="Void payment").click()
    expect(same).to_contain_text("Voided: recorded twice by mistake")
    expect(same).to_contain_text("due")
    _shot(manager, screenshot_dir, "manager-voided-cash")
    # The clerk's open panel hears of the void without a reload.
    expect(arrival).to_contain_text("Voided: recorded twice by mistake")
    expect(arrival.get_by_role("button", name="Record cash payment")).to_be_visible()
    # A clerk is offered no void.
    expect(arrival.get_by_role("button", name="Void")).to_have_count(0)
    desk.close()
    office.close()


@pytest.mark.timeout(90)
def test_the_kitchen_board_shows_waits_and_marks_late_orders_as_time_passes(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    with _api(live_server, GUEST) as http:
        menu = http.get("/api/v1/menu").json()
        items = menu if isinstance(menu, list) else menu["items"]
        dish = next(i for i in items if i["is_available"])
        placed = http.post(
            "/api/v1/orders",
            json={"items": [{"menu_item_id": dish["id"], "quantity": 1}], "notes": "Wait test"},
        )
        assert placed.status_code == 201, placed.text

    kitchen = chromium.new_context(viewport={"width": 1280, "height": 900})
    board = kitchen.new_page()
    board.clock.install(time=datetime.now())
    _sign_in(board, live_server, "kitchen@premier.test")
    ticket = board.get_by_test_id("order").filter(has_text="Wait test")
    expect(ticket.get_by_test_id("waited")).to_have_text(re.compile(r"^[01] min$"))
    board.clock.fast_forward("31:00")
    expect(ticket.get_by_test_id("waited")).to_have_text(re.compile(r"^Late · 3[12] min$"))
    expect(ticket).to_have_class(re.compile("order-late"))
    _shot(board, screenshot_dir, "kitchen-late-order")
    kitchen.close()
