"""Request bodies are limited before they are read, and every response carries the
security headers a browser needs to refuse framing, sniffing and foreign scripts."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from premier.app import create_app
from premier.config import Settings

MB = 1_000_000


async def test_a_declared_twenty_megabyte_body_is_refused_without_reading_it(app: Any) -> None:
    pulled: list[str] = []

    async def receive() -> dict[str, Any]:
        pulled.append("chunk")
        return {"type": "http.request", "body": b"{}", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/api/v1/auth/login", "raw_path": b"/api/v1/auth/login",
        "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
        "server": ("hotel.test", 80),
        "headers": [(b"host", b"hotel.test"), (b"content-type", b"application/json"),
                    (b"content-length", str(20 * MB).encode())],
        "state": {},
    }  # fmt: skip
    await app(scope, receive, send)
    assert sent[0]["status"] == 413
    assert pulled == [], "not one byte of the body is read"


async def test_a_twenty_megabyte_json_body_gets_413_with_an_error_body(
    client: httpx.AsyncClient,
) -> None:
    big = b'{"email": "' + b"a" * (20 * MB) + b'"}'
    answer = await client.post(
        "/api/v1/auth/login", content=big, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "body_too_large"


async def test_a_chunked_body_is_cut_off_at_the_limit(client: httpx.AsyncClient) -> None:
    pulled = 0
    chunk = b"x" * 65_536

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield b'{"email": "'
        for _ in range(20 * MB // len(chunk)):
            pulled += 1
            yield chunk

    answer = await client.post(
        "/api/v1/auth/login", content=endless(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "body_too_large"
    assert pulled * len(chunk) <= 2 * MB, "reading stopped near the limit"


async def test_webhooks_have_a_tighter_limit(client: httpx.AsyncClient) -> None:
    body = b"{" + b" " * 300_000 + b"}"
    answer = await client.post("/api/v1/webhooks/email/mailgun", content=body)
    assert answer.status_code == 413
    small = await client.post("/api/v1/auth/login", content=body)
    assert small.status_code != 413, "the API's own limit is larger"


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _assert_secured(answer: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (answer.url, name)
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy, answer.url


@pytest.fixture
def web_settings(settings: Settings, tmp_path: Path) -> Settings:
    static = tmp_path / "static"
    (static / "assets").mkdir(parents=True)
    (static / "index.html").write_text("<!doctype html><title>x</title>")
    (static / "assets" / "app-B4dC0ffe.js").write_text("console.log(1)")
    return settings.model_copy(update={"static_dir": static})


async def test_every_response_carries_the_security_headers(web_settings: Settings) -> None:
    app = create_app(web_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hotel.test") as http:
            answers = [
                await http.get("/api/v1/health"),
                await http.get("/api/v1/nowhere"),
                await http.get("/api/v1/auth/me"),
                await http.post("/api/v1/auth/login", json={}),
                await http.get("/"),
                await http.get("/reset-password?token=secret"),
                await http.get("/assets/app-B4dC0ffe.js"),
            ]
    assert [a.status_code for a in answers] == [200, 404, 401, 422, 200, 200, 200]
    for answer in answers:
        _assert_secured(answer)
        assert "strict-transport-security" not in answer.headers, "plain HTTP: no HSTS"
    policy = answers[0].headers["content-security-policy"]
    assert "ws://hotel.test" in policy and "wss://hotel.test" in policy


async def test_hsts_only_over_https(settings: Settings) -> None:
    for base_url, public in (
        ("https://hotel.test", "http://127.0.0.1:8000"),
        ("http://hotel.test", "https://hotel.example"),
    ):
        app = create_app(settings.model_copy(update={"public_base_url": public}))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
            answer = await http.get("/api/v1/nowhere")
        assert answer.headers["strict-transport-security"].startswith("max-age=")


async def test_the_api_docs_page_has_its_own_relaxed_policy(client: httpx.AsyncClient) -> None:
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert docs.headers["x-frame-options"] == "DENY"
    assert (
        "cdn.jsdelivr.net"
        not in (await client.get("/openapi.json")).headers["content-security-policy"]
    )
