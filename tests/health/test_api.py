import os

import httpx
import pytest

from premier.app import create_app
from premier.config import Settings


async def test_health_reports_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"


async def test_unknown_api_path_is_a_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    fresh = await client.get("/api/v1/health")
    assert len(fresh.headers["x-request-id"]) == 32
    passed_on = await client.get("/api/v1/health", headers={"X-Request-ID": "edge-42"})
    assert passed_on.headers["x-request-id"] == "edge-42"
    hostile = await client.get("/api/v1/health", headers={"X-Request-ID": "a b\tc"})
    assert hostile.headers["x-request-id"] != "a b\tc"


async def test_health_checks_redis_when_configured(settings: Settings) -> None:
    redis_url = os.environ.get("PREMIER_TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("needs PREMIER_TEST_REDIS_URL")
    for url, expected, state in ((redis_url, 200, "ok"), ("redis://127.0.0.1:1/0", 503, "error")):
        app = create_app(settings.model_copy(update={"redis_url": url}))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://h") as client:
                response = await client.get("/api/v1/health")
        assert response.status_code == expected
        assert response.json()["checks"]["redis"]["status"] == state
