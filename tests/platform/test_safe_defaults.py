"""Out of the box the platform is production: no development secret, no demo accounts with
a published password, no API docs; `make run` asks for development explicitly."""

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from premier.app import create_app
from premier.config import DEVELOPMENT_SECRET, Settings
from premier.seed import DEMO_PASSWORD
from tests.conftest import TEST_SECRET

PREMIER = Path(sys.executable).parent / "premier"


def _bare_environment() -> dict[str, str]:
    """The machine's environment without any PREMIER_ setting, as on a fresh server."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PREMIER_")}


def test_settings_without_a_secret_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [k for k in os.environ if k.startswith("PREMIER_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(Path(__file__).parent)  # no .env file here
    with pytest.raises(ValidationError, match="PREMIER_SECRET_KEY"):
        Settings()
    with pytest.raises(ValidationError, match="PREMIER_SECRET_KEY"):
        Settings(secret_key=DEVELOPMENT_SECRET)


def test_production_refuses_to_seed_demo_accounts() -> None:
    with pytest.raises(ValidationError, match="published password"):
        Settings(environment="production", secret_key=TEST_SECRET, seed_demo_data=True)


def test_premier_serve_without_a_secret_exits_with_one_clear_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(PREMIER), "serve", "--port", "1"], env=_bare_environment(), cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "PREMIER_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout


def test_premier_serve_refuses_the_development_secret_in_production(tmp_path: Path) -> None:
    env = {**_bare_environment(), "PREMIER_SECRET_KEY": DEVELOPMENT_SECRET,
           "PREMIER_ENVIRONMENT": "production"}  # fmt: skip
    done = subprocess.run(
        [str(PREMIER), "serve", "--port", "1"], env=env, cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "PREMIER_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr


def test_demo_seeding_refuses_production(tmp_path: Path) -> None:
    env = {**_bare_environment(), "PREMIER_SECRET_KEY": TEST_SECRET,
           "PREMIER_ENVIRONMENT": "production",
           "PREMIER_DATABASE_URL": f"sqlite:///{tmp_path / 'premier.db'}"}  # fmt: skip
    done = subprocess.run(
        [str(PREMIER), "seed", "--demo"], env=env, cwd=tmp_path,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "production" in done.stderr
    assert not (tmp_path / "premier.db").exists()


def _production(database_url: str, tmp_path: Path, **values: object) -> Settings:
    return Settings(
        environment="production", database_url=database_url, secret_key=TEST_SECRET,
        run_workers_in_process=False, static_dir=tmp_path / "no-static", **values,  # type: ignore[arg-type]
    )  # fmt: skip


async def test_an_empty_production_database_gets_no_demo_admin(
    database_url: str, tmp_path: Path
) -> None:
    app = create_app(_production(database_url, tmp_path))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hotel.test") as http:
            answer = await http.post(
                "/api/v1/auth/login",
                json={"email": "admin@premier.test", "password": DEMO_PASSWORD},
            )
            assert answer.status_code == 401


async def test_api_docs_are_off_in_production_yet_the_document_still_builds(
    database_url: str, tmp_path: Path
) -> None:
    app = create_app(_production(database_url, tmp_path))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hotel.test") as http:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (await http.get(path)).status_code == 404, path
    assert "/api/v1/health" in app.openapi()["paths"]
    on = create_app(_production(database_url, tmp_path, api_docs=True))
    transport = httpx.ASGITransport(app=on)
    async with httpx.AsyncClient(transport=transport, base_url="http://hotel.test") as http:
        assert (await http.get("/openapi.json")).status_code == 200


def test_api_docs_are_on_in_development_and_test() -> None:
    assert Settings(environment="test", secret_key=TEST_SECRET).docs_enabled
    assert Settings(environment="development").docs_enabled
    assert not Settings(environment="production", secret_key=TEST_SECRET).docs_enabled


def test_uvicorn_run_directly_without_a_secret_exits_with_the_same_message(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "uvicorn", "premier.main:app", "--port", "1"],
        env=_bare_environment(), cwd=tmp_path, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "PREMIER_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr
