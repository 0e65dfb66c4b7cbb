"""A walk-in from the door to a cleaned room, as the front desk clerk sees it on a desktop and
on a phone: she adds the guest, books and checks them in to a clean room, moves them to
another room, checks them out; the room turns dirty on her board, and when housekeeping marks
it cleaned from a phone her board, left open, turns it clean without a reload."""

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers import hotel_date
from tests.web.demo import FRONT_DESK, signed_in
from tests.web.test_browser import _book_first_room, _sign_in

HOUSEKEEPING = "housekeeping@premier.test"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def _shot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.screenshot(path=str(folder / f"front-desk-flow-{name}.png"), full_page=True)


def _housekeeping_done(base_url: str) -> None:
    """Every vacant room cleaned, as at the start of a shift: a booking gets a clean room
    whichever one it is given."""
    with httpx.Client(base_url=base_url) as http:
        headers = signed_in(http, HOUSEKEEPING)
        for room in http.get("/api/v1/rooms/status", headers=headers).json():
            if room["status"] == "vacant_dirty":
                done = http.post(f"/api/v1/rooms/{room['room_id']}/clean", headers=headers)
                assert done.status_code == 200, done.text


def _a_free_clean_room(base_url: str, *, besides: str) -> tuple[str, str]:
    """A vacant, clean room nobody arrives in today, other than `besides`: its number and
    the label the desk chooses it by."""
    with httpx.Client(base_url=base_url) as http:
        board = http.get("/api/v1/rooms/status", headers=signed_in(http, FRONT_DESK)).json()
    free = [
        (room["number"], f"{room['number']} · {room['room_type_name']}")
        for room in board
        if room["status"] == "vacant_clean"
        and room["arrival"] is None
        and room["number"] != besides
    ]
    assert free, board
    return free[0]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_walk_in_from_arrival_to_a_cleaned_room(
    chromium: Browser, live_server: str, screenshot_dir: Path | None, viewport: str
) -> None:
    width, height = VIEWPORTS[viewport]
    phone = viewport == "phone"
    name = f"Wanjiru Walkin {viewport.title()}"
    today = hotel_date()
    _housekeeping_done(live_server)
    clerk = chromium.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
    )
    page = clerk.new_page()
    _sign_in(page, live_server, FRONT_DESK)

    # A new guest, booked for tonight.
    page.goto(f"{live_server}/desk/new-booking")
    page.get_by_label("Find the guest").fill(name)
    expect(page.get_by_text("No guest matches.")).to_be_visible()
    page.get_by_role("button", name="New guest").click()
    form = page.get_by_role("form", name="New guest")
    form.get_by_label("Email").fill(f"wanjiru.{viewport}@example.com")
    form.get_by_role("button", name="Add guest and book").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Book for {name}")
    reference = _book_first_room(page, today)
    _shot(page, screenshot_dir, f"{viewport}-1-booked")

    page.get_by_role("link", name="See all bookings").click()
    row = page.locator(f'[data-testid="booking-row"][data-reference="{reference}"]')
    expect(row).to_contain_text(name)
    room_cell = row.locator('[data-label="Room"]')
    expect(room_cell).to_contain_text(re.compile(r"· \S+"))
    first_room = re.search(r"· (\S+)", room_cell.inner_text())
    assert first_room is not None
    first = first_room.group(1)

    # Her room is clean: she may check the guest in.
    board = clerk.new_page()
    board.goto(f"{live_server}/room-status")
    expect(board.locator(f'[data-testid="room-tile"][data-room="{first}"]')).to_have_attribute(
        "data-status", "vacant_clean"
    )
    board.close()
    row.get_by_role("button", name="Confirm", exact=True).click()
    expect(row).to_contain_text("confirmed")
    row.get_by_role("button", name="Check in").click()
    expect(row).to_contain_text("checked in")

    # The guest asks for another room.
    second, second_label = _a_free_clean_room(live_server, besides=first)
    row.get_by_label("Change stay").select_option(label="Move to another room")
    change = row.get_by_test_id("stay-change")
    change.get_by_label("New room").select_option(label=second_label)
    change.get_by_role("button", name="See new total").click()
    expect(change.get_by_test_id("stay-quote")).to_contain_text(second)
    _shot(page, screenshot_dir, f"{viewport}-2-move-quote")
    change.get_by_role("button", name=re.compile("^Confirm · move")).click()
    expect(row.get_by_test_id("stay-change")).to_have_count(0)
    expect(room_cell).to_contain_text(f"· {second}")

    # Check-out asks first, and holds while the stay is unpaid: the clerk takes the cash.
    row.get_by_role("button", name="Check out").click()
    checkout = row.get_by_role("group", name=f"Check out room {second}")
    expect(checkout.get_by_role("alert")).to_contain_text("is still due")
    checkout.get_by_role("button", name="Pay balance").click()
    checkout.get_by_role("button", name="Record cash payment").click()
    expect(checkout).to_contain_text("The bill is settled.")
    checkout.get_by_role("button", name=f"Yes, check out room {second}").click()
    expect(row).to_contain_text("checked out")
    _shot(page, screenshot_dir, f"{viewport}-3-checked-out")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Room status").click()
    desk_tile = page.locator(f'[data-testid="room-tile"][data-room="{second}"]')
    expect(desk_tile).to_have_attribute("data-status", "vacant_dirty")
    expect(desk_tile).to_contain_text("Dirty")
    _shot(page, screenshot_dir, f"{viewport}-4-board-dirty")

    # Housekeeping, on a phone, cleans it.
    hand = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    housekeeping = hand.new_page()
    _sign_in(housekeeping, live_server, HOUSEKEEPING)
    housekeeping.goto(f"{live_server}/room-status")
    housekeeping.get_by_role("button", name=re.compile("^Dirty")).tap()
    tile = housekeeping.locator(f'[data-testid="room-tile"][data-room="{second}"]')
    expect(tile).to_have_attribute("data-status", "vacant_dirty")
    _shot(housekeeping, screenshot_dir, f"{viewport}-5-housekeeping")
    tile.get_by_role("button", name="Cleaned").tap()
    expect(tile).to_have_count(0)

    # The clerk's board, left open, follows live.
    expect(desk_tile).to_have_attribute("data-status", "vacant_clean")
    expect(desk_tile).to_contain_text("Clean")
    _shot(page, screenshot_dir, f"{viewport}-6-board-clean")
    hand.close()
    clerk.close()
