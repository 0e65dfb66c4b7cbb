"""The notification centre in a real browser: news arrives live in the bell and the tab's
title, reading it in one tab shows in the other at once, and the full list and the
preferences page work on a phone and a desktop."""

import re
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

GUEST = "guest@premier.test"
DEMO_PASSWORD = "premier-demo"
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_role("button", name=re.compile(re.escape(email))).click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def shot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def book_as_guest(base_url: str, check_in: date) -> str:
    """A booking made through the API: the guest is told of it (an in-app notification)."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        login = http.post("/api/v1/auth/login", json={"email": GUEST, "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        body = {
            "room_type_id": room_type,
            "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=1)).isoformat(),
        }
        booked = http.post("/api/v1/bookings", json=body, headers=headers)
        assert booked.status_code == 201, booked.text
        return str(booked.json()["reference"])


def read_all_messages(base_url: str) -> None:
    """The tab's title counts unread messages too: read the guest's, so only news counts."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        login = http.post("/api/v1/auth/login", json={"email": GUEST, "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        unread = http.get("/api/v1/messages/unread", headers=headers).json()
        for item in unread["conversations"]:
            conversation = http.get(
                f"/api/v1/messages/conversations/{item['conversation_id']}",
                params={"limit": 1},
                headers=headers,
            ).json()
            newest = conversation["messages"][0]["id"]
            read = http.patch(f"/api/v1/messages/{newest}/read", headers=headers)
            assert read.is_success, read.text


def clear_inbox(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^Notifications")).click()
    panel = page.get_by_role("region", name="Notifications")
    expect(panel).to_be_visible()
    clear = panel.get_by_role("button", name="Clear all")
    if clear.count():
        clear.click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    page.keyboard.press("Escape")


@pytest.mark.timeout(120)
def test_news_arrives_live_and_reading_it_in_one_tab_shows_in_the_other(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    read_all_messages(live_server)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    first = context.new_page()
    sign_in(first, live_server, GUEST)
    clear_inbox(first)
    second = context.new_page()
    second.goto(f"{live_server}/my-bookings")
    expect(second.get_by_test_id("current-user")).to_be_visible()

    reference = book_as_guest(live_server, date.today() + timedelta(days=40))

    for page in (first, second):  # no reload: the WebSocket brings it
        expect(page.get_by_test_id("unread-count")).to_have_text("1")
        expect(page).to_have_title(re.compile(r"^\(1\) "))
    first.get_by_role("button", name=re.compile("^Notifications")).click()
    item = first.get_by_test_id("notification").first
    expect(item).to_contain_text(reference)
    shot(first, screenshot_dir, "desktop-notification-dropdown")
    link = item.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(r"^/my-bookings#booking-\d+$"))
    link.click()  # opening it marks it read, here and in the other tab
    expect(first).to_have_url(re.compile(r"/my-bookings#booking-\d+$"))
    for page in (first, second):
        expect(page.get_by_test_id("unread-count")).to_have_count(0)
        expect(page).not_to_have_title(re.compile(r"^\("))

    second.get_by_role("button", name=re.compile("^Notifications")).click()
    second.get_by_role("button", name=re.compile("^Mark unread")).first.click()
    expect(first.get_by_test_id("unread-count")).to_have_text("1")
    context.close()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_notifications_and_preferences_pages(
    chromium: Browser, live_server: str, screenshot_dir: Path | None, viewport: str
) -> None:
    width, height = VIEWPORTS[viewport]
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, live_server, GUEST)
    page.goto(f"{live_server}/notifications")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator(".state-loading")).to_have_count(0)
    page.get_by_label("Show").select_option("unread")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_label("Show").select_option("all")
    shot(page, screenshot_dir, f"{viewport}-notifications")

    page.get_by_role("link", name="Preferences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification preferences")
    page.get_by_label("promotions: Email").check()
    page.get_by_label("Quiet from").fill("22:00")
    page.get_by_label("Quiet until").fill("07:00")
    page.get_by_label("Language").select_option("sw")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    expect(page.get_by_test_id("push-state")).to_contain_text("Push notifications")
    shot(page, screenshot_dir, f"{viewport}-notification-preferences")
    page.reload()
    expect(page.get_by_label("promotions: Email")).to_be_checked()
    expect(page.get_by_label("Language")).to_have_value("sw")
    page.get_by_label("promotions: Email").uncheck()
    page.get_by_label("Language").select_option("")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    context.close()
