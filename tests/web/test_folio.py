"""The folio in a real browser: the front desk posts a charge to a stay, the guest's open
bill shows it live with the new balance, and check-out waits until the bill is paid."""

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, expect

from tests.helpers import hotel_date
from tests.web.demo import FRONT_DESK, GUEST, signed_in
from tests.web.test_browser import _shot, _sign_in


def _stay_from_today(base_url: str) -> dict[str, Any]:
    """A one-night stay from today for the demo guest, confirmed and checked in by the desk."""
    today = hotel_date()
    with httpx.Client(base_url=base_url) as http:
        desk = signed_in(http, FRONT_DESK)
        guest_id = http.get("/api/v1/auth/me", headers=signed_in(http, GUEST)).json()["id"]
        options = http.get(
            "/api/v1/rooms/availability",
            params={"check_in": str(today), "check_out": str(today + timedelta(days=1))},
        ).json()["options"]
        body = {"room_type_id": options[0]["room_type"]["id"], "guest_id": guest_id,
                "check_in": str(today), "check_out": str(today + timedelta(days=1))}  # fmt: skip
        booking = http.post("/api/v1/bookings", json=body, headers=desk).json()
        for step in ("confirm", "check-in"):
            answer = http.post(f"/api/v1/bookings/{booking['id']}/{step}", headers=desk)
            assert answer.status_code == 200, answer.text
        stay: dict[str, Any] = answer.json()
        return stay


def _kes(minor: int) -> re.Pattern[str]:
    """An amount as the page writes it (Intl puts a no-break space after the code)."""
    return re.compile(rf"KES\s{minor / 100:,.2f}".replace(".", r"\."))


def _fits(locator: Locator, width: int) -> None:
    box = locator.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width + 1, box


@pytest.mark.timeout(180)
@pytest.mark.parametrize(("desk_width", "guest_width"), [(1280, 390), (390, 1280)])
def test_the_desk_posts_a_charge_the_guest_sees_it_live_and_check_out_waits_for_payment(
    chromium: Browser,
    live_server: str,
    screenshot_dir: Path | None,
    desk_width: int,
    guest_width: int,
) -> None:
    stay = _stay_from_today(live_server)
    room, room_total = stay["room_number"], stay["total_amount"]
    charged = room_total + 2 * 45_000
    label = f"{desk_width}-desk"

    guest_context = chromium.new_context(
        viewport={"width": guest_width, "height": 900}, locale="en-US",
        is_mobile=guest_width < 500, has_touch=guest_width < 500,
    )  # fmt: skip
    guest = guest_context.new_page()
    _sign_in(guest, live_server, GUEST)
    guest.goto(f"{live_server}/my-bookings")
    mine = guest.locator(f'[data-testid="booking"][data-reference="{stay["reference"]}"]')
    guest_balance = mine.get_by_test_id("folio-balance")
    # A checked-in guest's bill is open: the room, and what is due for it.
    expect(mine.get_by_role("list", name="Bill lines")).to_contain_text(f"Room {room}")
    expect(guest_balance).to_contain_text(_kes(room_total))

    desk_context = chromium.new_context(
        viewport={"width": desk_width, "height": 900}, locale="en-US"
    )
    desk = desk_context.new_page()
    _sign_in(desk, live_server, FRONT_DESK)
    card = desk.locator(f'[data-testid="booking"][data-reference="{stay["reference"]}"]')
    card.get_by_role("button", name="Bill").click()
    card.get_by_role("button", name="Post charge").click()
    card.get_by_role("button", name="Post to the bill").click()
    # What is missing is said next to its field, and nothing is posted.
    expect(card).to_contain_text("Say what the charge is for.")
    card.get_by_label("Category").select_option(label="Minibar")
    card.get_by_label("Description").fill("Sodas from the minibar")
    card.get_by_label("Price each (KES)").fill("450")
    card.get_by_label("Quantity").fill("2")
    expect(card).to_contain_text(re.compile(r"Adds KES\s900\.00 to the bill"))
    card.get_by_role("button", name="Post to the bill").dblclick()
    desk_lines = card.get_by_role("list", name="Bill lines")
    expect(desk_lines).to_contain_text("Minibar: Sodas from the minibar (2 x KES 450.00)")
    expect(desk_lines.locator(".folio-charge")).to_have_count(1)  # a double click posts once
    _shot(desk, screenshot_dir, f"folio-{label}-charge-posted")

    # The guest's bill, left open, shows the charge and the new balance without a reload.
    expect(mine).to_contain_text("Sodas from the minibar")
    expect(guest_balance).to_contain_text(_kes(charged))
    _fits(mine.get_by_role("list", name="Bill lines"), guest_width)
    _shot(guest, screenshot_dir, f"folio-{label}-guest-sees-charge")

    # Check-out is refused while the balance is open: the desk sees how much is due.
    card.get_by_role("button", name="Hide bill").click()
    card.get_by_role("button", name="Check out").click()
    checkout = card.get_by_role("group", name=f"Check out room {room}")
    expect(checkout.get_by_role("alert")).to_contain_text(_kes(charged))
    expect(checkout.get_by_role("alert")).to_contain_text("is still due")
    expect(checkout.get_by_role("button", name=f"Yes, check out room {room}")).to_have_count(0)
    _fits(checkout, desk_width)
    _shot(desk, screenshot_dir, f"folio-{label}-checkout-refused")

    # The desk takes the balance in cash from the check-out panel; then the guest may go.
    checkout.get_by_role("button", name="Pay balance").click()
    expect(checkout.get_by_label("Cash received (KES)")).to_have_value(f"{charged / 100:.2f}")
    checkout.get_by_role("button", name="Record cash payment").click()
    expect(checkout).to_contain_text("The bill is settled.")
    expect(guest_balance).to_contain_text("Settled")
    checkout.get_by_role("button", name=f"Yes, check out room {room}").click()
    expect(card).to_contain_text("checked out")
    _shot(guest, screenshot_dir, f"folio-{label}-guest-settled")
    desk_context.close()
    guest_context.close()


@pytest.mark.timeout(120)
def test_a_guest_charges_room_service_to_their_room_from_a_phone(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    phone = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    _sign_in(page, live_server, GUEST)
    page.goto(f"{live_server}/room-service")
    page.get_by_role("button", name="Add Kenyan Coffee").tap()
    # The last dish sits just above the order, which may then be on screen already (the
    # "View order" bar stands aside while it is): the guest scrolls on to it.
    cart = page.get_by_role("form", name="Your order")
    cart.scroll_into_view_if_needed()
    expect(cart.get_by_label("Deliver to")).to_contain_text("Room 201")
    cart.get_by_label("Charge to my room").check()
    _shot(page, screenshot_dir, "folio-room-service-charge-to-room")
    cart.get_by_role("button", name="Place order").tap()
    notice = page.get_by_text(
        re.compile(r"Order #(\d+) is with the kitchen and charged to your room")
    )
    expect(notice).to_be_visible()
    order_id = re.search(r"#(\d+)", notice.inner_text())
    assert order_id is not None

    page.goto(f"{live_server}/my-bookings")
    stay = page.get_by_test_id("booking").filter(has_text="Room 201")
    lines = stay.get_by_role("list", name="Bill lines")
    expect(lines).to_contain_text(f"Room service #{order_id[1]}: 1 x Kenyan Coffee")
    _fits(lines, 390)
    _shot(page, screenshot_dir, "folio-room-service-on-the-bill")
    phone.close()
