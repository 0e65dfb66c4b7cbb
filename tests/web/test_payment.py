"""A guest pays their booking with M-Pesa from a phone: the prompt goes out, the page says
to check the phone, and it flips to paid by itself when Safaricom's callback lands."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.fakes import daraja
from tests.fakes.server import serve
from tests.web.demo import FRONT_DESK, guest_books, signed_in
from tests.web.test_browser import GUEST, _shot, _sign_in

PHONE = {"width": 390, "height": 844}
# Daraja calls back over HTTPS only: the server names a tunnel to itself, as in development.
TUNNEL = "https://tunnel.premier.test"


@pytest.fixture(scope="module")
def fake_daraja() -> Iterator[daraja.FakeDaraja]:
    fake = daraja.FakeDaraja()
    with serve(fake.app()) as url:
        fake.url = url
        yield fake


@pytest.fixture(scope="module")
def mpesa_settings(fake_daraja: daraja.FakeDaraja) -> Iterator[None]:
    """The server started for this module offers M-Pesa, against the fake Daraja."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "BASE_URL": fake_daraja.url,
            "CONSUMER_KEY": daraja.CONSUMER_KEY,
            "CONSUMER_SECRET": daraja.CONSUMER_SECRET,
            "SHORTCODE": daraja.SHORTCODE,
            "PASSKEY": daraja.PASSKEY,
        }.items():
            patch.setenv(f"PREMIER_PAYMENTS_MPESA_{name}", value)
        patch.setenv("PREMIER_PAYMENTS_CALLBACK_BASE_URL", TUNNEL)
        yield


@pytest.fixture(scope="module")
def live_server(mpesa_settings: None, live_server: str) -> str:
    assert os.environ["PREMIER_PAYMENTS_MPESA_SHORTCODE"] == daraja.SHORTCODE
    return live_server


@pytest.mark.timeout(120)
def test_a_guest_pays_with_mpesa_and_sees_it_go_through_live(
    chromium: Browser, live_server: str, fake_daraja: daraja.FakeDaraja, screenshot_dir: Path | None
) -> None:
    booking = guest_books(live_server, days_ahead=60)
    reference = booking["reference"]
    with httpx.Client(base_url=live_server) as http:  # the desk adds parking before arrival
        desk = signed_in(http, FRONT_DESK)
        assert http.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=desk).is_success
        charge = {"category": "parking", "description": "Parking", "unit_amount": 150_000}
        posted = http.post(f"/api/v1/bookings/{booking['id']}/folio/charges", json=charge,
                           headers=desk)  # fmt: skip
        assert posted.status_code == 201, posted.text
    bill = (booking["total_amount"] + 150_000) / 100
    page = chromium.new_context(viewport=PHONE).new_page()  # type: ignore[arg-type]
    _sign_in(page, live_server, GUEST)
    page.goto(f"{live_server}/my-bookings")
    card = page.get_by_test_id("booking").filter(has_text=reference)
    card.get_by_role("button", name="Pay now").click()
    dialog = page.get_by_role("dialog")
    # What the payment takes: the whole bill, the parking with the room.
    expect(dialog.get_by_role("heading")).to_have_text(re.compile(rf"Pay KES\s{bill:,.2f}"))
    dialog.get_by_role("radio", name=re.compile(r"^M-Pesa")).check()
    dialog.get_by_role("button", name="Send the M-Pesa prompt").click()
    expect(dialog.get_by_text("Enter the M-Pesa phone number")).to_be_visible()
    dialog.get_by_label("M-Pesa phone number").fill("0712 345678")
    dialog.get_by_role("button", name="Send the M-Pesa prompt").dblclick()
    expect(dialog.get_by_text("Check your phone.")).to_be_visible()
    _shot(page, screenshot_dir, "phone-payment-mpesa-waiting")
    assert len(fake_daraja.pushes) == 1, "a double click prompts the phone once"

    push = fake_daraja.pushes[0]
    assert push["PhoneNumber"] == "254712345678"
    fake_daraja.settle(push["CheckoutRequestID"], "0")
    assert push["CallBackURL"].startswith(f"{TUNNEL}/api/v1/payments/callbacks/")
    called_back = httpx.post(  # through the tunnel
        push["CallBackURL"].replace(TUNNEL, live_server),
        content=fake_daraja.callback_body(push["CheckoutRequestID"], "0"),
    )
    assert called_back.status_code == 200, called_back.text
    expect(dialog.get_by_text("Paid. Thank you!")).to_be_visible()
    dialog.get_by_role("button", name="Done").click()
    expect(card.get_by_role("button", name="Pay now")).to_have_count(0)
    expect(card.get_by_role("button", name="Receipt")).to_be_visible()
