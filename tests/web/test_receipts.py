"""A guest downloads the receipt of a stay the front desk took cash for."""

from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.web.test_browser import GUEST, _sign_in
from tests.web.test_long_text import _signed_in

PHONE = {"width": 390, "height": 844}


def _paid_stay(base_url: str) -> str:
    check_in = date.today() + timedelta(days=40)
    with httpx.Client(base_url=base_url) as http:
        guest = _signed_in(http, GUEST)
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        booking = http.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(check_in),
                  "check_out": str(check_in + timedelta(days=1))},
            headers=guest,
        )  # fmt: skip
        assert booking.status_code == 201, booking.text
        stay = booking.json()
        desk = _signed_in(http, "frontdesk@premier.test")
        paid = http.post(
            "/api/v1/payments/cash",
            json={"booking_id": stay["id"], "amount": stay["total_amount"],
                  "currency": stay["currency"]},
            headers=desk,
        )  # fmt: skip
        assert paid.status_code == 201, paid.text
        reference: str = paid.json()["reference"]
        return reference


@pytest.mark.timeout(120)
def test_a_guest_downloads_the_pdf_receipt_of_a_paid_stay(
    chromium: Browser, live_server: str
) -> None:
    reference = _paid_stay(live_server)
    page = chromium.new_context(viewport=PHONE, accept_downloads=True).new_page()  # type: ignore[arg-type]
    _sign_in(page, live_server, GUEST)
    page.goto(f"{live_server}/my-bookings")
    button = page.get_by_role("button", name=f"Receipt {reference}")
    expect(button).to_be_visible()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == f"receipt-{reference}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")
