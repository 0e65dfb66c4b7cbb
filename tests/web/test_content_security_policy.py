"""The web UI works with its Content-Security-Policy in force: no inline script runs, and
signing in, browsing and the live feed cause no policy violation."""

import re

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect


@pytest.mark.timeout(90)
def test_the_web_ui_runs_under_its_policy_without_violations(
    chromium: Browser, live_server: str
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    first = page.goto(f"{live_server}/login")
    assert first is not None
    policy = first.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy

    page.get_by_role("button", name=re.compile(re.escape("guest@premier.test"))).click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/rooms$"))
    page.goto(f"{live_server}/bookings")
    expect(page.get_by_test_id("current-user")).to_be_visible()
    assert page.evaluate("window.__violations") == []
    assert problems == []

    # The policy is really in force: an injected inline script does not run.
    page.evaluate(
        "const s = document.createElement('script');"
        "s.textContent = 'window.__injected = true'; document.body.appendChild(s);"
    )
    assert page.evaluate("window.__injected === undefined")
    context.close()
