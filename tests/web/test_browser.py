"""The web UI in a real browser: a guest books a room and the front desk sees it arrive."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

GUEST = "guest@premier.test"
FRONT_DESK = "frontdesk@premier.test"


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_role("button", name=re.compile(re.escape(email))).click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _shot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.timeout(90)
def test_guest_books_a_room_and_the_front_desk_sees_it_arrive(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    check_in = date.today() + timedelta(days=30)
    check_out = check_in + timedelta(days=2)

    guest = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = guest.new_page()
    _sign_in(page, live_server, GUEST)
    expect(page).to_have_url(re.compile(r"/rooms$"))

    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Check-out").fill(check_out.isoformat())
    page.get_by_label("Guests").fill("2")
    page.get_by_role("button", name="Search").click()
    option = page.get_by_test_id("room-option").first
    expect(option).to_contain_text("total for 2 nights")
    _shot(page, screenshot_dir, "guest-find-room")
    option.get_by_role("button", name="Book this room").click()
    option.get_by_role("button", name=re.compile("Confirm booking")).click()

    reference = page.get_by_test_id("booking-reference")
    expect(reference).to_be_visible()
    booking_ref = reference.inner_text().strip()
    assert booking_ref

    page.get_by_role("link", name="See my bookings").click()
    mine = page.locator(f'[data-testid="booking"][data-reference="{booking_ref}"]')
    expect(mine).to_be_visible()
    expect(mine).to_contain_text("pending")
    _shot(page, screenshot_dir, "guest-my-bookings")

    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    _sign_in(staff, live_server, FRONT_DESK)
    expect(staff).to_have_url(re.compile(r"/desk$"))
    staff.get_by_label("Day", exact=True).fill(check_in.isoformat())
    arrivals = staff.get_by_role("region", name="Arrivals")
    arrival = arrivals.locator(f'[data-testid="booking"][data-reference="{booking_ref}"]')
    expect(arrival).to_be_visible()
    expect(arrival).to_contain_text("Grace Guest")
    _shot(staff, screenshot_dir, "desk-arrivals")

    arrival.get_by_role("button", name="Confirm").click()
    expect(arrival).to_contain_text("confirmed")

    # The guest sees the front desk's confirmation on their next look.
    page.reload()
    expect(mine).to_contain_text("confirmed")

    guest.close()
    desk.close()
