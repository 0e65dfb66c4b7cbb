"""A guest downloads the receipt of a stay the front desk took cash for."""

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.web.demo import FRONT_DESK, guest_books, signed_in
from tests.web.test_browser import GUEST, _sign_in

PHONE = {"width": 390, "height": 844}


def _paid_stay(base_url: str) -> str:
    stay = guest_books(base_url, days_ahead=40)
    with httpx.Client(base_url=base_url) as http:
        paid = http.post(
            "/api/v1/payments/cash",
            json={"booking_id": stay["id"], "amount": stay["total_amount"],
                  "currency": stay["currency"]},
            headers=signed_in(http, FRONT_DESK),
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
