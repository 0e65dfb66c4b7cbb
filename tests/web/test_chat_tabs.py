"""The front desk with two tabs open: a guest's message counts in both tabs' titles and
badges at once, reading it in one clears both; and who is online shows on either side."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.test_browser import _shot, _sign_in
from tests.web.test_chat import DESKTOP, FRONT_DESK, GUEST, PHONE, _bubbles, _open_messages

COUNT = re.compile(r"^\((\d+)\) ")


def _title_count(page: Page) -> int:
    found = COUNT.match(page.title())
    return int(found.group(1)) if found else 0


def _title(count: int) -> re.Pattern[str]:
    return re.compile(rf"^\({count}\) ") if count else re.compile(r"^[^(]")


@pytest.mark.timeout(150)
def test_both_tabs_of_the_desk_count_a_guests_message_and_clear_it_together(
    chromium: Browser, live_server: str, screenshot_dir: Path | None
) -> None:
    desk_context = chromium.new_context(viewport=DESKTOP)
    first, second = desk_context.new_page(), desk_context.new_page()
    _sign_in(first, live_server, FRONT_DESK)
    # The second tab finds the session the first one opened.
    second.goto(f"{live_server}/")
    expect(second.get_by_test_id("current-user")).to_be_visible()
    # The desk reads what waits in the demo first, in the first tab, then leaves it.
    _open_messages(first)
    first.get_by_test_id("conversation").filter(has_text="Grace Guest").first.click()
    expect(_bubbles(first, "check out at 2pm")).to_be_visible()
    for tab in (first, second):
        expect(tab.get_by_test_id("messages-unread")).to_have_count(0)
    # Colleagues online: the desk sees itself on its inbox.
    expect(first.get_by_test_id("colleagues-online")).to_contain_text("Faith Frontdesk")
    first.goto(f"{live_server}/")
    expect(first.get_by_test_id("current-user")).to_be_visible()
    # Unread notifications count in the title too: what was there before stays the same.
    before = [_title_count(tab) for tab in (first, second)]

    guest_context = chromium.new_context(viewport=PHONE, is_mobile=True)
    guest = guest_context.new_page()
    _sign_in(guest, live_server, GUEST)
    _open_messages(guest)
    guest.get_by_test_id("conversation").filter(has_text="Front desk").first.click()
    # The guest learns the desk is there, never who.
    expect(guest.get_by_test_id("department-presence")).to_have_text("Front desk is online")
    expect(guest.get_by_text("Faith Frontdesk is online")).to_have_count(0)
    _shot(guest, screenshot_dir, "chat-guest-desk-online-phone")
    guest.get_by_label("Message", exact=True).fill("Is breakfast served on the terrace?")
    guest.get_by_role("button", name="Send", exact=True).click()
    expect(_bubbles(guest, "breakfast served on the terrace")).to_be_visible()

    # Both tabs count it at once, neither reloaded nor touched.
    for tab, count in zip((first, second), before, strict=True):
        expect(tab.get_by_test_id("messages-unread")).to_have_text("1")
        expect(tab).to_have_title(_title(count + 1))
    _shot(second, screenshot_dir, "chat-desk-second-tab-unread-desktop")

    # Reading it in the second tab clears both.
    second.bring_to_front()
    _open_messages(second)
    second.get_by_test_id("conversation").filter(has_text="Grace Guest").first.click()
    expect(_bubbles(second, "breakfast served on the terrace")).to_be_visible()
    for tab, count in zip((first, second), before, strict=True):
        expect(tab.get_by_test_id("messages-unread")).to_have_count(0)
        expect(tab).to_have_title(_title(count))
    # Beside the assignee, whether they are online (a dot with words for screen readers).
    expect(second.get_by_test_id("assignee-presence")).to_have_count(1)
    _shot(second, screenshot_dir, "chat-desk-colleagues-online-desktop")

    # The desk closes both tabs: the guest sees the department away, live.
    desk_context.close()
    expect(guest.get_by_test_id("department-presence")).to_contain_text("away", timeout=20_000)
    width = guest.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the conversation is {width}px wide on a phone"
    guest_context.close()
