"""A guest on a phone gives their account a picture: it shows in the header at once and
after a reload."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.uploads.samples import jpeg
from tests.web.test_browser import GUEST, _shot, _sign_in

PHONE = {"width": 390, "height": 844}


@pytest.mark.timeout(120)
def test_a_guest_sets_a_profile_picture_from_a_phone(
    chromium: Browser, live_server: str, screenshot_dir: Path | None, tmp_path: Path
) -> None:
    photo = tmp_path / "me.jpg"
    photo.write_bytes(jpeg(width=600, height=600))
    page = chromium.new_context(viewport=PHONE).new_page()  # type: ignore[arg-type]
    _sign_in(page, live_server, GUEST)
    page.get_by_test_id("current-user").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    page.get_by_test_id("photo-input").set_input_files(str(photo))
    expect(page.get_by_test_id("photo-tile")).to_have_count(1)
    page.get_by_role("button", name="Save profile").dblclick()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    avatar = page.get_by_test_id("current-user").locator("img.who-avatar")
    expect(avatar).to_be_visible()
    _shot(page, screenshot_dir, "phone-profile")
    page.reload()
    expect(page.get_by_test_id("current-user").locator("img.who-avatar")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
