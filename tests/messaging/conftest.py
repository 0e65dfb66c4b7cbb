from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from premier.config import Settings
from premier.storage.settings import StorageSettings
from tests.conftest import TEST_SECRET
from tests.realtime.wsclient import serving


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Attachments are stored under the test's own folder."""
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key=TEST_SECRET,
        seed_demo_data=False,
        run_workers_in_process=False,
        static_dir=tmp_path / "no-static",
        storage=StorageSettings(local_dir=tmp_path / "uploads"),
    )


@pytest.fixture
async def url(app: Any) -> AsyncIterator[str]:
    """The WebSocket address of the test's app, served on a real port."""
    async with serving(app) as base:
        yield f"{base}/api/v1/ws"
