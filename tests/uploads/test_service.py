"""What other domains use: attaching uploads, their links for a gallery, and the daily
deletion of uploads nothing uses."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from premier.db import Database
from premier.kit.errors import InvalidInput, NotFound
from premier.kit.time import utcnow
from premier.uploads import service
from premier.uploads.cleanup import OrphanCleanup
from premier.uploads.models import Purpose
from premier.users.models import Role
from tests.helpers import signed_in
from tests.uploads import samples
from tests.uploads.helpers import fetch, upload


async def make_photo(client: httpx.AsyncClient, headers: dict[str, str], width: int = 64) -> Any:
    response = await upload(client, headers, samples.jpeg(width, 48))
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_gallery_gets_the_links_of_its_photos_in_one_call(
    app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    photos = [await make_photo(client, manager, width) for width in (64, 65, 66)]
    ids = [p["id"] for p in photos]
    async with database.reading() as session:
        links = await service.links_for(session, app.state.storage, [*ids, 999_999])
    assert set(links) == set(ids)  # one that does not exist is left out
    for photo in photos:
        got = links[photo["id"]]
        assert got.width == photo["width"]
        assert (await fetch(client, got.url)).status_code == 200
        assert got.variants is not None
        assert (await fetch(client, got.variants.thumbnail)).status_code == 200


async def test_attaching_checks_the_purpose_and_the_owner(
    client: httpx.AsyncClient, database: Database
) -> None:
    owner_id, guest = await signed_in(client, database)
    avatar = (await upload(client, guest, samples.jpeg(), purpose="avatar")).json()
    async with database.writing() as session:
        with pytest.raises(InvalidInput):
            await service.attach(session, avatar["id"], purpose=Purpose.ROOM_TYPE)
        with pytest.raises(NotFound):
            await service.attach(
                session, avatar["id"], purpose=Purpose.AVATAR, owner_id=owner_id + 1
            )
        with pytest.raises(NotFound):
            await service.attach(session, 999_999, purpose=Purpose.AVATAR)
        attached = await service.attach(
            session, avatar["id"], purpose=Purpose.AVATAR, owner_id=owner_id
        )
        assert attached.uses == 1
        await session.commit()


async def test_uploads_nothing_uses_are_deleted_after_a_day(
    app: Any, client: httpx.AsyncClient, database: Database
) -> None:
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    used = await make_photo(client, manager, 64)
    orphan = await make_photo(client, manager, 65)
    dropped = await make_photo(client, manager, 66)
    async with database.writing() as session:
        await service.attach(session, used["id"], purpose=Purpose.ROOM_TYPE)
        await service.attach(session, dropped["id"], purpose=Purpose.ROOM_TYPE)
        await service.detach(session, dropped["id"])
        await session.commit()

    settings = app.state.settings.storage
    now = utcnow()
    cleanup = OrphanCleanup(database=database, storage=app.state.storage, settings=settings)
    assert await cleanup.delete_due() == 0  # all younger than a day

    later = OrphanCleanup(
        database=database, storage=app.state.storage, settings=settings,
        clock=lambda: now + timedelta(hours=settings.orphan_hours, minutes=1),
    )  # fmt: skip
    assert await later.delete_due() == 2
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    assert (await client.get(f"/api/v1/uploads/{used['id']}", headers=admin)).status_code == 200
    for gone in (orphan, dropped):
        assert (await client.get(f"/api/v1/uploads/{gone['id']}", headers=admin)).status_code == 404
        assert (await fetch(client, gone["url"])).status_code == 404
    assert (await fetch(client, used["url"])).status_code == 200
