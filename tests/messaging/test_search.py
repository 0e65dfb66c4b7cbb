"""Search finds words in the messages one may see, on either database's full-text index."""

import httpx

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import signed_in
from tests.messaging.helpers import API, open_conversation, sent, staff_member


async def test_search_finds_all_the_words_among_what_one_may_see(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, other_guest = await signed_in(client, database)
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    _, maid = await staff_member(client, database, Department.HOUSEKEEPING)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    mine = await open_conversation(client, guest, "front_desk", subject="Towels")
    theirs = await open_conversation(client, other_guest, "housekeeping")
    first = await sent(client, guest, mine["id"], "Could I have two more towels please?")
    await sent(client, guest, mine["id"], "And a pillow")
    await sent(client, other_guest, theirs["id"], "Fresh towels for room 12")
    await sent(client, desk, mine["id"], "Towels: ask housekeeping quietly", internal=True)

    async def found(headers: dict[str, str], q: str) -> list[str]:
        response = await client.get(f"{API}/search", params={"q": q}, headers=headers)
        assert response.status_code == 200, response.text
        return [hit["message"]["body"] for hit in response.json()["items"]]

    # Stemmed: "towel" finds "towels"; every word must be there, in any order.
    assert await found(guest, "towel") == [first["body"]]
    assert await found(guest, "please towels two") == [first["body"]]
    assert await found(guest, "towels pillow") == []
    assert await found(other_guest, "towels") == ["Fresh towels for room 12"]
    assert await found(desk, "towels") == ["Towels: ask housekeeping quietly", first["body"]]
    assert await found(maid, "towels") == ["Fresh towels for room 12"]
    assert len(await found(manager, "towels")) == 3
    # What a search syntax would read as operators is only text here.
    for odd in ('towels"', "towels OR pillow", "NEAR(towels", "*", "-towels", "'; drop"):
        await found(guest, odd)
    hits = (await client.get(f"{API}/search", params={"q": "towels", "limit": 1},
                             headers=manager)).json()  # fmt: skip
    assert hits["total"] == 3
    assert len(hits["items"]) == 1
    assert hits["items"][0]["conversation_subject"] in ("Towels", "A question")
