"""A walk-in without an account: the desk adds her and is straight on her booking page."""

import pytest
from playwright.sync_api import Browser, expect

from tests.web.test_browser import _sign_in


@pytest.mark.timeout(60)
def test_the_desk_adds_a_walk_in_guest_and_books_for_her(
    chromium: Browser, live_server: str
) -> None:
    page = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(page, live_server, "frontdesk@premier.test")
    page.goto(f"{live_server}/desk/new-booking")
    page.get_by_label("Find the guest").fill("Zawadi Walkin")
    expect(page.get_by_text("No guest matches.")).to_be_visible()
    page.get_by_role("button", name="New guest").click()
    form = page.get_by_role("form", name="New guest")
    expect(form.get_by_label("Full name")).to_have_value("Zawadi Walkin")
    form.get_by_role("button", name="Add guest and book").click()
    expect(form.get_by_text("Enter an email address such as name@example.com.")).to_be_visible()
    form.get_by_label("Email").fill("zawadi.walkin@example.com")
    form.get_by_role("button", name="Add guest and book").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book for Zawadi Walkin")
