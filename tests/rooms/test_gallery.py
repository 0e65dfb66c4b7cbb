"""Photos managers upload show in a room type's gallery, in their order, wherever guests
search; a dish's photo shows on the menu."""

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from premier.config import Settings
from premier.db import Database
from premier.storage.settings import StorageSettings
from premier.uploads.models import Upload
from premier.users.models import Role
from tests.conftest import TEST_SECRET
from tests.helpers import hotel_date, make_menu_item, make_room_type, signed_in
from tests.uploads.helpers import fetch, upload
from tests.uploads.samples import jpeg, png


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test", database_url=database_url, secret_key=TEST_SECRET,
        seed_demo_data=False, run_workers_in_process=False, static_dir=tmp_path / "no-static",
        storage=StorageSettings(local_dir=tmp_path / "uploads"),
    )  # fmt: skip


async def _photo(client: httpx.AsyncClient, headers: dict[str, str], content: bytes,
                 purpose: str = "room_type") -> int:  # fmt: skip
    answer = await upload(client, headers, content, purpose=purpose)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


async def _uses(database: Database, upload_id: int) -> int:
    async with database.reading() as session:
        return int(await session.scalar(select(Upload.uses).where(Upload.id == upload_id)) or 0)


async def test_a_guest_searching_sees_the_gallery_in_the_managers_order(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    first = await _photo(client, manager, jpeg())
    second = await _photo(client, manager, png())
    url = f"/api/v1/rooms/types/{room_type}/gallery"
    saved = await client.put(url, json={"upload_ids": [second, first]}, headers=manager)
    assert saved.status_code == 200, saved.text
    assert [p["upload_id"] for p in saved.json()["gallery"]] == [second, first]

    stay = {"check_in": str(hotel_date(3)), "check_out": str(hotel_date(4))}
    [option] = (await client.get("/api/v1/rooms/availability", params=stay)).json()["options"]
    gallery = option["room_type"]["gallery"]
    assert [p["upload_id"] for p in gallery] == [second, first]
    for photo in gallery:
        image = await fetch(client, photo["medium_url"])
        assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
    assert (await _uses(database, first), await _uses(database, second)) == (1, 1)

    again = await client.put(url, json={"upload_ids": [first]}, headers=manager)
    assert [p["upload_id"] for p in again.json()["gallery"]] == [first]
    [option] = (await client.get("/api/v1/rooms/availability", params=stay)).json()["options"]
    assert [p["upload_id"] for p in option["room_type"]["gallery"]] == [first]
    assert (await _uses(database, first), await _uses(database, second)) == (1, 0)
    listed = (await client.get("/api/v1/rooms/types")).json()
    assert [p["upload_id"] for p in listed[0]["gallery"]] == [first]


async def test_a_gallery_refuses_photos_made_for_something_else_or_gone(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    dish_photo = await _photo(client, manager, jpeg(), purpose="menu_item")
    url = f"/api/v1/rooms/types/{room_type}/gallery"
    wrong = await client.put(url, json={"upload_ids": [dish_photo]}, headers=manager)
    assert wrong.status_code == 422
    gone = await client.put(url, json={"upload_ids": [dish_photo + 100]}, headers=manager)
    assert gone.status_code == 422
    assert gone.json()["error"]["details"]["field"] == "upload_ids"


async def test_a_deleted_photo_leaves_the_gallery(
    client: httpx.AsyncClient, database: Database
) -> None:
    room_type = await make_room_type(database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    photo = await _photo(client, manager, jpeg())
    url = f"/api/v1/rooms/types/{room_type}/gallery"
    await client.put(url, json={"upload_ids": [photo]}, headers=manager)
    assert (await client.delete(f"/api/v1/uploads/{photo}", headers=manager)).status_code == 204
    assert (await client.get("/api/v1/rooms/types")).json()[0]["gallery"] == []


async def test_a_dish_photo_shows_on_the_menu_and_can_be_replaced(
    client: httpx.AsyncClient, database: Database
) -> None:
    dish = await make_menu_item(database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    first = await _photo(client, manager, jpeg(), purpose="menu_item")
    second = await _photo(client, manager, png(), purpose="menu_item")
    for photo in (first, second):
        answer = await client.patch(
            f"/api/v1/menu/{dish}", json={"photo_upload_id": photo}, headers=manager
        )
        assert answer.status_code == 200, answer.text
    [shown] = (await client.get("/api/v1/menu")).json()
    assert shown["photo"]["upload_id"] == second
    assert shown["image_url"] == shown["photo"]["medium_url"]
    assert (await fetch(client, shown["image_url"])).status_code == 200
    assert (await _uses(database, first), await _uses(database, second)) == (0, 1)
    cleared = await client.patch(
        f"/api/v1/menu/{dish}", json={"photo_upload_id": None}, headers=manager
    )
    assert cleared.json()["photo"] is None
