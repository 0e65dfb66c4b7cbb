"""A manager answers a guest's review and the guest reads the answer under it."""

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.web.demo import signed_in as _signed_in
from tests.web.test_browser import GUEST, _sign_in

MANAGER = "manager@premier.test"
ANSWER = "Thank you, Grace. A second breakfast cook starts on Monday."


def _review_a_finished_stay(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as http:
        guest = _signed_in(http, GUEST)
        stays = http.get("/api/v1/bookings", params={"status": "checked_out"}, headers=guest)
        stay = stays.json()["items"][0]["id"]
        made = http.post(
            "/api/v1/reviews",
            json={"booking_id": stay, "rating": 3, "comment": "Slow breakfast"},
            headers=guest,
        )
        assert made.status_code == 201, made.text


@pytest.mark.timeout(90)
def test_a_manager_answers_a_review_and_the_guest_reads_it(
    chromium: Browser, live_server: str
) -> None:
    _review_a_finished_stay(live_server)
    manager = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(manager, live_server, MANAGER)
    manager.get_by_role("link", name="Reviews").click()
    card = manager.get_by_test_id("review").filter(has_text="Slow breakfast")
    card.get_by_role("button", name="Answer").click()
    card.get_by_label("The hotel's answer").fill(ANSWER)
    card.get_by_role("button", name="Publish answer").click()
    expect(card.get_by_text(ANSWER)).to_be_visible()

    guest = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(guest, live_server, GUEST)
    guest.goto(f"{live_server}/my-bookings")
    expect(guest.get_by_text(ANSWER)).to_be_visible()
