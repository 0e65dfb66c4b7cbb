"""Two real uvicorn processes behind one Redis: a client on either hears every event."""

import pytest

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import make_room_type, make_user
from tests.realtime.instances import REDIS_URL, Instance, book, login
from tests.realtime.test_socket import stay
from tests.realtime.wsclient import ws_client

pytestmark = pytest.mark.skipif(
    not REDIS_URL, reason="scale-out tests need a real Redis: set PREMIER_TEST_REDIS_URL"
)


async def test_events_published_on_one_instance_reach_clients_of_the_other(
    instances: list[Instance], database: Database
) -> None:
    a, b = instances
    room_type = await make_room_type(database, rooms=10)
    await make_user(database, email="guest@scale.test")
    await make_user(database, email="desk@scale.test", role=Role.STAFF,
                    department=Department.FRONT_DESK)  # fmt: skip
    guest = await login(a, "guest@scale.test")
    desk = await login(b, "desk@scale.test")
    token = desk["Authorization"].removeprefix("Bearer ")
    channel = "department:front_desk"

    async with (
        ws_client(f"{a.ws}/api/v1/ws", token=token) as on_a,
        ws_client(f"{b.ws}/api/v1/ws", token=token) as on_b,
    ):
        await on_a.subscribe(channel)
        await on_b.subscribe(channel)
        await book(a, guest, stay(room_type, start=1))  # published on A
        await book(b, guest, stay(room_type, start=2))  # published on B
        seen_a = [await on_a.expect("event") for _ in range(2)]
        seen_b = [await on_b.expect("event") for _ in range(2)]
        assert [(f["id"], f["seq"]) for f in seen_a] == [(f["id"], f["seq"]) for f in seen_b]
        assert [f["seq"] for f in seen_b] == [1, 2]
        await on_a.barrier()
        await on_b.barrier()

    # Offline for two bookings made through A; resuming on B replays them from Redis.
    await book(a, guest, stay(room_type, start=3))
    await book(a, guest, stay(room_type, start=4))
    async with ws_client(f"{b.ws}/api/v1/ws", token=token) as again:
        subscribed = await again.subscribe(
            channel, last_event_id=seen_b[-1]["id"], last_seq=seen_b[-1]["seq"]
        )
        assert (subscribed["type"], subscribed["replayed"]) == ("subscribed", 2)
        replayed = [await again.expect("event") for _ in range(2)]
        assert [f["seq"] for f in replayed] == [3, 4]
        assert [f["data"]["check_in"] for f in replayed] == [
            stay(room_type, start=s)["check_in"] for s in (3, 4)
        ]
        await book(b, guest, stay(room_type, start=5))
        assert (await again.expect("event"))["seq"] == 5
        await again.barrier()
