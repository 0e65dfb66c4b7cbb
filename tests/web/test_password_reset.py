"""A guest who forgot their password resets it through the emailed link and signs in; the
session then lives in an httpOnly cookie, not in the page's storage."""

import re
import sqlite3
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

GUEST = "guest@premier.test"
NEW_PASSWORD = "lake-view-2027"


def _shot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def new_password(page: Page) -> Locator:
    return page.get_by_role("textbox", name=re.compile(r"^New password"))


def confirm_password(page: Page) -> Locator:
    return page.get_by_role("textbox", name=re.compile(r"^Confirm new password"))


def _emailed_reset_token(database: Path, address: str) -> str:
    """The token in the newest reset email to this address, read from the server's email queue.
    The server writes it just after answering, in another process: poll with a deadline."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT body_text FROM email_queue WHERE to_address = ? "
                "AND body_text LIKE '%reset-password?token=%' ORDER BY id DESC LIMIT 1",
                (address,),
            ).fetchone()
        if row is not None:
            match = re.search(r"reset-password\?token=([\w-]+)", row[0])
            assert match, row[0]
            return match.group(1)
        time.sleep(0.1)
    pytest.fail(f"no reset email reached {address}")


@pytest.mark.timeout(90)
def test_a_guest_resets_a_forgotten_password_by_the_emailed_link_and_signs_in(
    chromium: Browser, live_server: str, live_folder: Path, screenshot_dir: Path | None
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    page.get_by_label("Email").fill(GUEST)
    _shot(page, screenshot_dir, "forgot-password")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text("we have emailed it a link")
    _shot(page, screenshot_dir, "forgot-password-sent")

    token = _emailed_reset_token(live_folder / "premier.db", GUEST)
    page.goto(f"{live_server}/reset-password?token={token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    new_password(page).fill(NEW_PASSWORD)
    confirm_password(page).fill(NEW_PASSWORD.upper())
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("The two passwords are not the same")).to_be_visible()
    _shot(page, screenshot_dir, "reset-password-mismatch")
    confirm_password(page).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    _shot(page, screenshot_dir, "reset-password-done")
    page.get_by_label("Email").fill(GUEST)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()

    # The session survives a reload through the cookie alone; no token is in storage.
    page.reload()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    assert page.evaluate("JSON.stringify(window.localStorage)") == "{}"
    [cookie] = [c for c in context.cookies() if c["name"] == "premier_refresh"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/api/v1/auth"
    assert page.evaluate("document.cookie") == ""

    # The same link does not work twice.
    page.goto(f"{live_server}/reset-password?token={token}")
    new_password(page).fill("another-secret")
    confirm_password(page).fill("another-secret")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("alert")).to_contain_text("This reset link is not valid any more")
    _shot(page, screenshot_dir, "reset-password-used-link")
    context.close()
