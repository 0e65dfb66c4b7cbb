"""The front desk finds a guest's bookings by typing what the guest says on the phone."""

import pytest
from playwright.sync_api import Browser, expect

from tests.web.test_browser import _sign_in

FRONT_DESK = "frontdesk@premier.test"


@pytest.mark.timeout(60)
def test_the_desk_finds_bookings_by_name_and_by_reference(
    chromium: Browser, live_server: str
) -> None:
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, live_server, FRONT_DESK)
    page.goto(f"{live_server}/desk/bookings")
    rows = page.get_by_test_id("booking-row")
    expect(rows.first).to_be_visible()
    page.get_by_label("Find a booking").fill("victor")
    expect(rows.filter(has_text="Grace Guest")).to_have_count(0)
    expect(rows.filter(has_text="Victor Vip").first).to_be_visible()
    reference = rows.first.get_attribute("data-reference")
    assert reference
    page.get_by_label("Find a booking").fill(reference.lower())
    expect(rows).to_have_count(1)
    page.get_by_label("Find a booking").fill("nobody-by-this-name")
    expect(page.get_by_text("No booking matches “nobody-by-this-name”.")).to_be_visible()
