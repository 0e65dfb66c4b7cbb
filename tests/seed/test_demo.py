import httpx

from premier.config import Settings
from premier.db import Database
from premier.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo
from tests.helpers import login


async def test_demo_hotel_is_usable_by_every_demo_account(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    await seed_demo(database=database, settings=settings)
    for email, *_ in DEMO_USERS:
        headers = await login(client, email, DEMO_PASSWORD)
        me = (await client.get("/api/v1/auth/me", headers=headers)).json()
        assert me["email"] == email
    vip_headers = await login(client, "vip@premier.test", DEMO_PASSWORD)
    vip = (await client.get("/api/v1/auth/me", headers=vip_headers)).json()
    assert vip["is_vip"] is True
    desk = await login(client, "frontdesk@premier.test", DEMO_PASSWORD)
    bookings = (await client.get("/api/v1/bookings", headers=desk)).json()
    assert bookings["total"] >= 4
    kitchen = await login(client, "kitchen@premier.test", DEMO_PASSWORD)
    assert (await client.get("/api/v1/orders", headers=kitchen)).json()["total"] >= 1
    assert len((await client.get("/api/v1/menu")).json()) >= 10
    assert len((await client.get("/api/v1/rooms/types")).json()) >= 3
    guest = await login(client, "guest@premier.test", DEMO_PASSWORD)
    chats = (await client.get("/api/v1/messages/conversations", headers=guest)).json()
    assert chats["items"][0]["unread"] == 1  # the desk's answer; its note is for staff only
    assert (await client.get("/api/v1/messages/canned-replies", headers=desk)).json()


async def test_reseeding_starts_over(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    await seed_demo(database=database, settings=settings)
    await seed_demo(database=database, settings=settings, reset=True)
    desk = await login(client, "frontdesk@premier.test", DEMO_PASSWORD)
    assert (await client.get("/api/v1/bookings", headers=desk)).json()["total"] == 5
