"""A manager sees who checked a guest in, and when."""

from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.web.test_browser import GUEST, _sign_in
from tests.web.test_long_text import _signed_in


def _desk_confirms_a_booking(base_url: str) -> int:
    check_in = date.today() + timedelta(days=70)
    with httpx.Client(base_url=base_url) as http:
        guest = _signed_in(http, GUEST)
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        made = http.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(check_in),
                  "check_out": str(check_in + timedelta(days=1))},
            headers=guest,
        )  # fmt: skip
        booking: int = made.json()["id"]
        desk = _signed_in(http, "frontdesk@premier.test")
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
