"""Log lines never carry secrets or whole phone numbers: not uvicorn's request and WebSocket
lines of a real served request, and not our own structured events."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import structlog
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from premier.config import Settings
from premier.logs import configure_logging
from tests.conftest import TEST_SECRET
from tests.live_server import READY_LINE, free_port

SECRETS = {
    "reset": "ResetSecret0123456789",
    "unsubscribe": "UnsubscribeSecret0123456789",
    "socket": "SocketTokenSecret0123456789",
    "africastalking": "AfricasTalkingPathSecret0123",
}
PHONE = "+254712345678"


@pytest.fixture
def served_log(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """uvicorn serving the app as `premier serve` does, its whole output kept in a file."""
    port = free_port()
    log = tmp_path / "server.log"
    env = {**os.environ, "PREMIER_ENVIRONMENT": "test", "PREMIER_SECRET_KEY": TEST_SECRET,
           "PREMIER_DATABASE_URL": f"sqlite:///{tmp_path / 'premier.db'}",
           "PREMIER_RUN_WORKERS_IN_PROCESS": "false",
           "PREMIER_SMS_AFRICASTALKING_CALLBACK_TOKEN": "the-real-one"}  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "premier.main:app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "info"],
            env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            # A separate process gives nothing to await: read its log with a deadline.
            deadline = time.monotonic() + 60
            while READY_LINE not in log.read_text():
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            yield f"127.0.0.1:{port}", log
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_a_served_requests_log_lines_carry_no_secret(served_log: tuple[str, Path]) -> None:
    address, log = served_log
    with httpx.Client(base_url=f"http://{address}") as http:
        http.get(f"/reset-password?token={SECRETS['reset']}")
        http.get(f"/api/v1/notifications/unsubscribe?token={SECRETS['unsubscribe']}")
        http.post(f"/api/v1/sms/webhooks/africastalking/{SECRETS['africastalking']}/delivery")
        http.get("/api/v1/users", params={"search": PHONE})
    try:
        with connect(f"ws://{address}/api/v1/ws?token={SECRETS['socket']}") as ws:
            ws.recv(timeout=10)
    except (InvalidStatus, ConnectionClosed):  # refused with 4401: only its log line matters
        pass
    with httpx.Client(base_url=f"http://{address}") as http:
        http.get("/api/v1/health")  # logged after the others: the log is complete up to here
    deadline = time.monotonic() + 10
    while '"GET /api/v1/health' not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    text = log.read_text()
    assert "/reset-password?token=[redacted]" in text
    assert "WebSocket /api/v1/ws?token=[redacted]" in text
    assert "/sms/webhooks/africastalking/[redacted]/delivery" in text
    assert "***678" in text
    for name, secret in SECRETS.items():
        assert secret not in text, name
    assert PHONE not in text and "254712345678" not in text


@pytest.mark.parametrize("environment", ["test", "production"])
def test_structured_events_are_redacted_too(
    environment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(Settings(environment=environment, secret_key=TEST_SECRET))  # type: ignore[arg-type]
    structlog.get_logger("premier.test").info(
        "sms_sent", to=PHONE, link=f"https://hotel.example/reset-password?token={SECRETS['reset']}"
    )
    out = capsys.readouterr().out
    assert "sms_sent" in out and "***678" in out
    assert PHONE not in out and SECRETS["reset"] not in out
