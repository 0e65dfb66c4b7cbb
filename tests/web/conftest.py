"""A real server with the built web UI and demo data, and Debian's Chromium to drive it."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from premier.config import Settings
from tests.conftest import TEST_SECRET

CHROMIUM = "/usr/bin/chromium"
NO_CHROMIUM = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
STATIC_INDEX = Settings.model_fields["static_dir"].default / "index.html"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded one), driven by Playwright for this module only.

    Playwright's sync API keeps an event loop running while it is started; stopping it at the
    end of the module lets the asyncio tests that run after it start their own loops.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(NO_CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def live_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the module's live server keeps its database (premier.db) and log."""
    return tmp_path_factory.mktemp("live")


@pytest.fixture(scope="module")
def live_server(live_folder: Path) -> Iterator[str]:
    """uvicorn on a free port, a fresh SQLite database seeded with the demo hotel."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    if not STATIC_INDEX.is_file():
        pytest.skip("the web UI is not built: run `make web`")
    folder = live_folder
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        # Links the server makes (uploaded photos) point at this server.
        "PREMIER_PUBLIC_BASE_URL": base_url,
        **os.environ,
        "PREMIER_ENVIRONMENT": "test",
        "PREMIER_DATABASE_URL": f"sqlite:///{folder / 'premier.db'}",
        "PREMIER_SECRET_KEY": TEST_SECRET,
        "PREMIER_SEED_DEMO_DATA": "true",
        # As `make run` does: the notification fan-out and the email outbox run in process.
        "PREMIER_RUN_WORKERS_IN_PROCESS": "true",
    }
    env.pop("PREMIER_REDIS_URL", None)
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "premier.main:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_until_up(server, base_url, folder / "server.log")
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _wait_until_up(server: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    # A separate process gives us nothing to await: poll its health endpoint with a deadline
    # (longer on a machine busy with other work: PREMIER_TEST_SERVER_START_SECONDS).
    limit = float(os.environ.get("PREMIER_TEST_SERVER_START_SECONDS", "60"))
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the server did not start within {limit:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def screenshot_dir() -> Path | None:
    """Set PREMIER_SCREENSHOTS=1 to save page screenshots under var/screenshots (git-ignored)."""
    if not os.environ.get("PREMIER_SCREENSHOTS"):
        return None
    folder = Path(__file__).resolve().parents[2] / "var" / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
