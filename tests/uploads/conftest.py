from pathlib import Path

import pytest

from premier.config import Settings
from premier.storage.settings import StorageSettings
from tests.conftest import TEST_SECRET


@pytest.fixture
def storage_settings(tmp_path: Path) -> StorageSettings:
    return StorageSettings(local_dir=tmp_path / "uploads")


@pytest.fixture
def settings(database_url: str, tmp_path: Path, storage_settings: StorageSettings) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key=TEST_SECRET,
        seed_demo_data=False,
        run_workers_in_process=False,
        static_dir=tmp_path / "no-static",
        storage=storage_settings,
    )
