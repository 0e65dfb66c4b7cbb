"""Announcements in real browsers: the management composes one with its reach shown first,
and the guest's open page shows an emergency at once, in the bell and as a banner that
stays until the guest acknowledges it; the manager then sees who did."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.web.test_notification_center import VIEWPORTS, shot, sign_in

GUEST = "guest@premier.test"
ADMIN = "admin@premier.test"
MANAGER = "manager@premier.test"


@pytest.mark.timeout(150)
def test_an_emergency_reaches_the_open_guest_page_live_until_acknowledged(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    guest_context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    guest = guest_context.new_page()
    sign_in(guest, live_server, GUEST)
    expect(guest.get_by_test_id("emergency-banner")).to_have_count(0)

    office = chromium.new_context(viewport={"width": 1280, "height": 900})
    admin = office.new_page()
    sign_in(admin, live_server, ADMIN)
    admin.goto(f"{live_server}/announcements")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Announcements")
    admin.get_by_label("Template").select_option("emergency")
    admin.get_by_label("instructions", exact=True).fill("Please leave by the nearest stairs.")
    admin.get_by_label("Send to").select_option("guests")
    expect(admin.get_by_test_id("recipient-count")).to_contain_text(re.compile(r"Reaches \d+"))
    expect(admin.get_by_label("Preview")).to_contain_text("nearest stairs")
    shot(admin, screenshot_dir, "desktop-announcements-compose")
    admin.get_by_role("button", name="Send now").first.click()
    row = admin.get_by_test_id("announcement").first
    expect(row).to_contain_text("Emergency: please read now")
    expect(row).to_contain_text("sent")

    # The guest did nothing: the WebSocket brings the bell's count and the banner.
    banner = guest.get_by_test_id("emergency-banner")
    expect(banner).to_contain_text("nearest stairs")
    expect(guest.get_by_test_id("unread-count")).to_have_text(re.compile(r"^[1-9]"))
    shot(guest, screenshot_dir, "phone-emergency-banner")
    guest.goto(f"{live_server}/requests")
    expect(banner).to_be_visible(), "on every page until acknowledged"
    guest.get_by_role("button", name="I have read this").click()
    expect(banner).to_have_count(0)
    guest.reload()
    expect(guest.get_by_test_id("current-user")).to_be_visible()
    expect(banner).to_have_count(0)

    # Sent from this page, its progress is open already.
    expect(row.get_by_role("button", name="Hide progress")).to_be_visible()
    expect(admin.get_by_test_id("progress")).to_contain_text("in-app")
    expect(admin.get_by_test_id("acknowledgements")).to_contain_text("Grace Guest")
    shot(admin, screenshot_dir, "desktop-announcements-progress")
    office.close()
    guest_context.close()


@pytest.mark.timeout(120)
def test_a_vip_offer_shows_its_reach_and_lands_with_the_vip_only(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    width, height = VIEWPORTS["phone"]
    office = chromium.new_context(viewport={"width": width, "height": height}, is_mobile=True)
    manager = office.new_page()
    sign_in(manager, live_server, MANAGER)
    manager.goto(f"{live_server}/announcements")
    manager.get_by_label("Template").select_option("special_offer")
    manager.get_by_label("offer", exact=True).fill("a free spa hour")
    manager.get_by_label("until", exact=True).fill("Sunday")
    manager.get_by_label("Send to").select_option("vips")
    expect(manager.get_by_test_id("recipient-count")).to_have_text("Reaches 1 person")
    shot(manager, screenshot_dir, "phone-announcements-compose")
    manager.get_by_role("button", name="Send now").first.click()
    expect(manager.get_by_test_id("announcement").first).to_contain_text("a free spa hour")
    office.close()

    for email, count in (("vip@premier.test", 1), (GUEST, 0)):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, live_server, email)
        page.goto(f"{live_server}/notifications")
        expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
        expect(page.get_by_test_id("notification").filter(has_text="free spa hour")).to_have_count(
            count
        )
        context.close()
