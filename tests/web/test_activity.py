"""A manager sees who checked a guest in, and when."""

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.web.demo import FRONT_DESK, guest_books, signed_in
from tests.web.test_browser import _sign_in


def _desk_confirms_a_booking(base_url: str) -> int:
    booking: int = guest_books(base_url, days_ahead=70)["id"]
    with httpx.Client(base_url=base_url) as http:
        desk = signed_in(http, FRONT_DESK)
        assert http.post(f"/api/v1/bookings/{booking}/confirm", headers=desk).is_success
    return booking


@pytest.mark.timeout(60)
def test_a_manager_reads_who_confirmed_a_booking(chromium: Browser, live_server: str) -> None:
    booking = _desk_confirms_a_booking(live_server)
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(page, live_server, "manager@premier.test")
    page.get_by_role("link", name="Activity").click()
    page.get_by_label("What").select_option("bookings")
    page.get_by_label("Number").fill(str(booking))
    rows = page.get_by_test_id("audit-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("confirm")
    expect(rows.first).to_contain_text("Faith Frontdesk")
    expect(rows.nth(1)).to_contain_text("Grace Guest")
