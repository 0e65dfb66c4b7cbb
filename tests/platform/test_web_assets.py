"""The web UI's hashed files are cached for good and sent compressed; its page is not."""

import gzip
from pathlib import Path
from typing import Any

import httpx
import pytest

from premier.app import create_app
from premier.config import Settings

SCRIPT = b"console.log('premier');" * 400


@pytest.fixture
def built(settings: Settings, tmp_path: Path) -> Settings:
    """A build as web/vite.config.ts writes it: hashed names, .br and .gz beside."""
    static = tmp_path / "static"
    assets = static / "assets"
    assets.mkdir(parents=True)
    (static / "index.html").write_text("<!doctype html><script src='/assets/index-Ab12Cd34.js'>")
    (assets / "index-Ab12Cd34.js").write_bytes(SCRIPT)
    (assets / "index-Ab12Cd34.js.gz").write_bytes(gzip.compress(SCRIPT))
    (assets / "index-Ab12Cd34.js.br").write_bytes(b"brotli bytes stand in here")
    (assets / "plain-Zz98Yy76.css").write_bytes(b"body{margin:0}")
    return settings.model_copy(update={"static_dir": static})


async def _get(settings: Settings, path: str, **headers: str) -> httpx.Response:
    app: Any = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hotel.test") as http:
            request = http.build_request("GET", path, headers=headers)
            return await http.send(request, stream=False)


async def test_a_script_goes_out_in_the_smallest_coding_the_browser_takes(built: Settings) -> None:
    br = await _get(built, "/assets/index-Ab12Cd34.js", **{"Accept-Encoding": "gzip, br"})
    assert br.headers["content-encoding"] == "br"
    assert br.headers["content-length"] == str(len(b"brotli bytes stand in here"))
    assert br.headers["content-type"].startswith("text/javascript")
    assert br.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert br.headers["vary"] == "Accept-Encoding"

    gz = await _get(built, "/assets/index-Ab12Cd34.js", **{"Accept-Encoding": "gzip, br;q=0"})
    assert gz.headers["content-encoding"] == "gzip"
    assert gz.content == SCRIPT  # decoded by the client
    assert int(gz.headers["content-length"]) < len(SCRIPT) / 10

    plain = await _get(built, "/assets/index-Ab12Cd34.js", **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == SCRIPT
    uncompressed = await _get(built, "/assets/plain-Zz98Yy76.css", **{"Accept-Encoding": "br"})
    assert "content-encoding" not in uncompressed.headers
    assert uncompressed.content == b"body{margin:0}"


async def test_the_page_is_asked_for_again_and_nothing_else_is_served_from_assets(
    built: Settings,
) -> None:
    page = await _get(built, "/my-bookings")
    assert page.headers["cache-control"] == "no-cache"
    assert b"index-Ab12Cd34.js" in page.content
    for path in ("/assets/index-Ab12Cd34.js.gz", "/assets/missing-Ab12Cd34.js",
                 "/assets/..%2Findex.html", "/assets/index.html"):  # fmt: skip
        assert (await _get(built, path)).status_code == 404, path
