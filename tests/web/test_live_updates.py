"""Live updates in real browsers: what the front desk does shows on the guest's open page,
without a reload, and still does after the server has restarted."""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import TEST_SECRET
from tests.web.conftest import CHROMIUM, NO_CHROMIUM, STATIC_INDEX, _free_port, _wait_until_up

GUEST = "guest@premier.test"
FRONT_DESK = "frontdesk@premier.test"
DEMO_PASSWORD = "premier-demo"


class RestartableServer:
    """uvicorn serving the demo hotel from one SQLite file, stoppable and startable again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "PREMIER_ENVIRONMENT": "test",
            "PREMIER_SECRET_KEY": TEST_SECRET,
            "PREMIER_DATABASE_URL": f"sqlite:///{self.folder / 'premier.db'}",
            "PREMIER_SEED_DEMO_DATA": "true",
            "PREMIER_RUN_WORKERS_IN_PROCESS": "false",
        }
        env.pop("PREMIER_REDIS_URL", None)
        log = self.folder / "server.log"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "premier.main:app", "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "warning"],
                cwd=self.folder, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        _wait_until_up(self.process, self.base_url, log)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestartableServer]:
    if not Path(CHROMIUM).exists():
        pytest.skip(NO_CHROMIUM)
    if not STATIC_INDEX.is_file():
        pytest.skip("the web UI is not built: run `make web`")
    running = RestartableServer(tmp_path_factory.mktemp("live-updates"))
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_role("button", name=re.compile(re.escape(email))).click()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _book_as_guest(base_url: str, check_in: date) -> str:
    with httpx.Client(base_url=base_url) as http:
        login = http.post("/api/v1/auth/login", json={"email": GUEST, "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        body = {"room_type_id": room_type, "check_in": str(check_in),
                "check_out": str(check_in + timedelta(days=2))}  # fmt: skip
        booked = http.post("/api/v1/bookings", json=body, headers=headers)
        assert booked.status_code == 201, booked.text
        reference: str = booked.json()["reference"]
        return reference


@pytest.mark.timeout(120)
def test_front_desk_changes_reach_the_guest_live_across_a_server_restart(
    chromium: Browser, server: RestartableServer
) -> None:
    check_in = date.today() + timedelta(days=45)
    reference = _book_as_guest(server.base_url, check_in)

    guest = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = guest.new_page()
    _sign_in(page, server.base_url, GUEST)
    page.get_by_role("link", name="My bookings").click()
    mine = page.locator(f'[data-testid="booking"][data-reference="{reference}"]')
    expect(mine).to_contain_text("pending")
    live = page.get_by_test_id("connection-state")
    expect(live).to_have_attribute("data-state", "open")

    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    _sign_in(staff, server.base_url, FRONT_DESK)
    staff.get_by_label("Day", exact=True).fill(check_in.isoformat())
    arrival = staff.get_by_role("region", name="Arrivals").locator(
        f'[data-testid="booking"][data-reference="{reference}"]'
    )
    arrival.get_by_role("button", name="Confirm").click()
    expect(arrival).to_contain_text("confirmed")

    # No reload: the guest's page hears of it over the WebSocket.
    expect(mine).to_contain_text("confirmed")

    server.stop()
    expect(live).not_to_have_attribute("data-state", "open")
    server.start()
    expect(live).to_have_attribute("data-state", "open", timeout=30_000)

    arrival.get_by_role("button", name="Cancel").click()
    arrival.get_by_role("button", name="Yes, cancel booking").click()
    expect(mine).to_contain_text("cancelled")

    guest.close()
    desk.close()
