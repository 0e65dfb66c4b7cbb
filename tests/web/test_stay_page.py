"""The desk opens one booking's page and the guest's profile, at desktop and phone width:
the stay, its bill, requests, conversations and history in one place, updated live; a
preference and a note added on the profile; a 500-character word in the note never widens
the page; and the guest sees their preferences but never the note."""

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.demo import FRONT_DESK, GUEST, signed_in
from tests.web.test_browser import _sign_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _book_from_today(
    http: httpx.Client, guest: dict[str, str], nights: int, **extra: Any
) -> dict[str, Any]:
    """A booking from today in the first room type with a room free: earlier tests in this
    module have taken some."""
    today = date.today()
    stay = {"check_in": str(today), "check_out": str(today + timedelta(days=nights)), **extra}
    for room_type in http.get("/api/v1/rooms/types").json():
        made = http.post(
            "/api/v1/bookings", json={"room_type_id": room_type["id"], **stay}, headers=guest
        )
        if made.status_code == 201:
            booking: dict[str, Any] = made.json()
            return booking
        assert made.status_code == 409, made.text
    raise AssertionError("no room is free from today")


def _busy_stay(base_url: str) -> dict[str, Any]:
    """The demo guest in house: booked from today, checked in, part paid in cash, with a
    request and a conversation about the stay."""
    with httpx.Client(base_url=base_url) as http:
        guest, desk = signed_in(http, GUEST), signed_in(http, FRONT_DESK)
        booking = _book_from_today(http, guest, nights=2)
        for step in ("confirm", "check-in"):
            moved = http.post(f"/api/v1/bookings/{booking['id']}/{step}", headers=desk)
            assert moved.is_success, moved.text
        paid = http.post(
            "/api/v1/payments/cash",
            json={"booking_id": booking["id"], "amount": 100_000, "currency": booking["currency"]},
            headers=desk,
        )
        assert paid.status_code == 201, paid.text
        asked = http.post(
            "/api/v1/service-requests",
            json={"kind": "housekeeping", "description": "Extra pillows, please",
                  "booking_id": booking["id"]},
            headers=guest,
        )  # fmt: skip
        assert asked.status_code == 201, asked.text
        talk = http.post(
            "/api/v1/messages/conversations",
            json={"department": "front_desk", "subject": "Airport transfer",
                  "booking_id": booking["id"]},
            headers=guest,
        )  # fmt: skip
        assert talk.status_code == 201, talk.text
        booking["desk_name"] = http.get("/api/v1/auth/me", headers=desk).json()["full_name"]
        return booking


def _pay_cash(base_url: str, booking: dict[str, Any], amount: int) -> None:
    with httpx.Client(base_url=base_url) as http:
        paid = http.post(
            "/api/v1/payments/cash",
            json={"booking_id": booking["id"], "amount": amount, "currency": booking["currency"]},
            headers=signed_in(http, FRONT_DESK),
        )
        assert paid.status_code == 201, paid.text


def _no_wider_than(page: Page, viewport: dict[str, int]) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide"


def _shot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_desk_opens_a_booking_and_the_guests_profile_and_keeps_notes(
    size: str, chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    viewport = DESKTOP if size == "desktop" else PHONE
    booking = _busy_stay(live_server)
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    _sign_in(page, live_server, FRONT_DESK)

    # The room board links the stay in each room to its page.
    page.goto(f"{live_server}/room-status")
    page.get_by_role("link", name=booking["reference"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Booking {booking['reference']}")

    # So does the bookings list.
    page.goto(f"{live_server}/desk/bookings")
    page.get_by_label("Find a booking").fill(booking["reference"])
    page.get_by_role("link", name=booking["reference"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Booking {booking['reference']}")
    stay = page.get_by_role("region", name="Stay")
    expect(stay.get_by_text("checked in")).to_be_visible()
    expect(stay.get_by_text("2 nights")).to_be_visible()
    expect(stay.get_by_role("button", name="Check out")).to_be_visible()
    bill = page.locator("[data-section=bill]")
    expect(bill.locator(".folio-payment")).to_have_count(1)
    expect(page.get_by_role("region", name="Service requests")).to_contain_text(
        "Extra pillows, please"
    )
    talk = page.get_by_role("region", name="Conversations").get_by_role(
        "link", name="Airport transfer"
    )
    expect(talk).to_have_attribute("href", re.compile(r"^/messages\?c=\d+$"))
    history = page.get_by_role("region", name="History")
    expect(history.get_by_text("Checked in")).to_be_visible()
    expect(history.get_by_text("Cash taken")).to_be_visible()
    expect(history).to_contain_text(booking["desk_name"])
    _no_wider_than(page, viewport)
    _shot(page, screenshot_dir, f"booking-page-{size}")

    # A payment taken elsewhere shows on the open page without a reload.
    _pay_cash(live_server, booking, 50_000)
    expect(bill.locator(".folio-payment")).to_have_count(2)

    # On to the guest's profile: every stay, a preference and a note.
    page.get_by_role("region", name="Guest").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/guests/{booking['guest_id']}$"))
    stays = page.get_by_role("region", name="Stays")
    expect(stays.get_by_role("link", name=booking["reference"])).to_be_visible()
    expect(stays.get_by_test_id("stay-totals")).to_contain_text("stay")
    prefs = page.get_by_role("form", name="Preferences")
    prefs.get_by_label("Pillow").select_option("feather")
    prefs.get_by_label("Vegetarian").check()
    prefs.get_by_label("Allergies").fill(f"peanuts ({size})")
    prefs.get_by_role("button", name="Save preferences").click()
    expect(prefs.get_by_text("Preferences saved.")).to_be_visible()
    expect(page.get_by_test_id("likes")).to_contain_text(f"Allergies: peanuts ({size})")

    notes = page.get_by_role("region", name=re.compile("Staff notes"))
    notes.get_by_role("button", name="Add note").click()
    expect(notes.get_by_text("Write the note first.")).to_be_visible()
    word = f"{size}-" + "x" * 500
    notes.get_by_label("New note").fill(f"Prefers the quiet side {word}")
    notes.get_by_role("button", name="Add note").dblclick()
    expect(notes.get_by_test_id("note").filter(has_text=word)).to_have_count(1)
    expect(notes.get_by_test_id("note").first).to_contain_text(booking["desk_name"])
    expect(notes.get_by_label("New note")).to_have_value("")
    _no_wider_than(page, viewport)
    _shot(page, screenshot_dir, f"guest-profile-{size}")

    # The guest sees their preferences on their own profile, and never the note.
    guest = chromium.new_context(viewport=viewport).new_page()
    _sign_in(guest, live_server, GUEST)
    guest.goto(f"{live_server}/profile")
    mine = guest.get_by_role("form", name="Preferences")
    expect(mine.get_by_label("Pillow")).to_have_value("feather")
    expect(mine.get_by_label("Vegetarian")).to_be_checked()
    expect(mine.get_by_label("Allergies")).to_have_value(f"peanuts ({size})")
    mine.get_by_label("Floor").select_option("low")
    mine.get_by_role("button", name="Save preferences").click()
    expect(mine.get_by_text("Your preferences are saved.")).to_be_visible()
    _shot(guest, screenshot_dir, f"guest-own-profile-{size}")
    guest.goto(f"{live_server}/bookings/{booking['id']}")
    expect(guest.get_by_role("heading", level=1)).to_have_text(f"Booking {booking['reference']}")
    expect(guest.locator("[data-section=bill]")).to_be_visible()
    expect(guest.get_by_role("region", name="History")).to_have_count(0)
    expect(guest.get_by_role("button", name="Check out")).to_have_count(0)
    _shot(guest, screenshot_dir, f"guest-booking-page-{size}")
    for path in ("/profile", f"/bookings/{booking['id']}", f"/guests/{booking['guest_id']}"):
        guest.goto(f"{live_server}{path}")
        expect(guest.locator(".state-loading")).to_have_count(0)
        expect(guest.get_by_text("Prefers the quiet side")).to_have_count(0)
    guest.context.close()

    # The desk sees the guest's own change.
    page.reload()
    expect(page.get_by_role("form", name="Preferences").get_by_label("Floor")).to_have_value("low")
    context.close()


WORD = "Ω" + "x" * 250 + "😀" + "ناموس" * 20 + "漢字" * 60
LONG = f"Please {WORD} — Привет, 你好, مرحبا 🛎️ {WORD}"


@pytest.mark.timeout(120)
def test_long_words_everywhere_on_the_booking_and_guest_pages_fit_a_phone(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    with httpx.Client(base_url=live_server) as http:
        guest, desk = signed_in(http, GUEST), signed_in(http, FRONT_DESK)
        guest_id = http.get("/api/v1/auth/me", headers=guest).json()["id"]
        renamed = http.patch(
            f"/api/v1/users/{guest_id}",
            json={"full_name": LONG[:200]},
            headers=signed_in(http, "admin@premier.test"),
        )
        assert renamed.is_success, renamed.text
        booking = _book_from_today(http, guest, nights=1, special_requests=LONG)
        assert http.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=desk).is_success
        for url, body, who in (
            ("/api/v1/service-requests",
             {"kind": "concierge", "description": LONG, "booking_id": booking["id"]}, guest),
            ("/api/v1/messages/conversations",
             {"department": "front_desk", "subject": LONG[:200], "booking_id": booking["id"]},
             guest),
            (f"/api/v1/guests/{guest_id}/notes", {"body": LONG[:2000]}, desk),
        ):  # fmt: skip
            assert http.post(url, json=body, headers=who).status_code == 201
        liked = http.put(
            f"/api/v1/guests/{guest_id}/preferences",
            json={"allergies": LONG[:500], "other": LONG[:2000]},
            headers=desk,
        )
        assert liked.is_success, liked.text

    too_wide = []
    for email, path in (
        (FRONT_DESK, f"/bookings/{booking['id']}"),
        (FRONT_DESK, f"/guests/{guest_id}"),
        (FRONT_DESK, "/guests"),
        (GUEST, f"/bookings/{booking['id']}"),
        (GUEST, "/profile"),
    ):
        context = chromium.new_context(viewport=PHONE)
        page = context.new_page()
        _sign_in(page, live_server, email)
        page.goto(f"{live_server}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator(".state-loading")).to_have_count(0)
        expect(page.get_by_text(re.compile("Please Ωxxxx")).first).to_be_attached()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{path} as {email}: {width}px")
        _shot(page, screenshot_dir, "long-text" + re.sub(r"[^a-z0-9]+", "-", path))
        context.close()
    assert not too_wide, "pages wider than the phone: " + "; ".join(too_wide)
