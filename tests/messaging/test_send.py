"""Sending: one message per client id, limits, plain text, attachments, the rate limit."""

import httpx

from premier.config import Settings
from premier.db import Database
from premier.messaging.schemas import MAX_BODY
from premier.users.models import Department
from tests.helpers import signed_in
from tests.messaging.helpers import API, detail, open_conversation, send, sent, staff_member
from tests.uploads.helpers import upload
from tests.uploads.samples import pdf, png


async def test_a_retried_send_returns_the_first_message_and_posts_nothing_twice(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    body = {"conversation_id": conversation["id"], "body": "Is breakfast included?",
            "client_message_id": "phone-1f3a"}  # fmt: skip
    first = await client.post(f"{API}/send", json=body, headers=guest)
    again = await client.post(f"{API}/send", json=body, headers=guest)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert first.json()["client_message_id"] == "phone-1f3a"
    messages = (await detail(client, guest, conversation["id"])).json()["messages"]
    assert len(messages) == 1
    # The same id for another conversation is a client bug, said so rather than ignored.
    other = await open_conversation(client, guest, "concierge")
    reused = await client.post(
        f"{API}/send", json={**body, "conversation_id": other["id"]}, headers=guest
    )
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "client_message_id_reused"


async def test_each_sender_has_their_own_client_ids(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    conversation = await open_conversation(client, guest)
    body = {"conversation_id": conversation["id"], "body": "hi", "client_message_id": "x-1"}
    assert (await client.post(f"{API}/send", json=body, headers=guest)).status_code == 201
    assert (await client.post(f"{API}/send", json=body, headers=desk)).status_code == 201
    seen = (await detail(client, desk, conversation["id"])).json()["messages"]
    # Another sender's device id is theirs alone.
    assert [m["client_message_id"] for m in seen] == ["x-1", None]


async def test_empty_oversized_and_malformed_sends_are_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    for body in ("", "   \n ", "x" * (MAX_BODY + 1)):
        response = await send(client, guest, conversation["id"], body)
        assert response.status_code == 422, body[:10]
        assert response.json()["error"]["code"] == "validation_error"
    assert (await send(client, guest, conversation["id"], "x" * MAX_BODY)).status_code == 201
    bad_id = await client.post(
        f"{API}/send",
        json={"conversation_id": conversation["id"], "body": "hi", "client_message_id": "a b"},
        headers=guest,
    )
    assert bad_id.status_code == 422
    unknown = await send(client, guest, 999_999, "anyone there?")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"


async def test_markup_is_kept_as_written_text(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    text = '<script>alert("hi")</script> <b>bold</b> & 5 > 3'
    message = await sent(client, guest, conversation["id"], text)
    assert message["body"] == text
    stored = (await detail(client, guest, conversation["id"])).json()["messages"][0]
    assert stored["body"] == text


async def test_a_sender_past_the_rate_limit_waits(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.messaging_sender_per_minute = 3
    _, guest = await signed_in(client, database)
    _, other_guest = await signed_in(client, database)
    conversation = await open_conversation(client, guest)
    for n in range(3):
        await sent(client, guest, conversation["id"], f"hello {n}", client_message_id=f"r-{n}")
    limited = await send(client, guest, conversation["id"], "hello again")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert limited.headers["Retry-After"] == "60"
    # A retry of a message already sent is an answer, not a new message.
    repeat = await send(client, guest, conversation["id"], "hello 0", client_message_id="r-0")
    assert repeat.status_code == 200
    # Others are not held up.
    theirs = await open_conversation(client, other_guest)
    assert (await send(client, other_guest, theirs["id"])).status_code == 201


async def test_attachments_are_the_senders_own_message_uploads(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, other_guest = await signed_in(client, database)
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    conversation = await open_conversation(client, guest)
    photo = await upload(client, guest, png(), purpose="message", filename="leak.png",
                         content_type="image/png")  # fmt: skip
    assert photo.status_code == 201, photo.text
    avatar = await upload(client, guest, png(20, 20), purpose="avatar", filename="me.png",
                          content_type="image/png")  # fmt: skip
    theirs = await upload(client, other_guest, png(30, 30), purpose="message",
                          filename="x.png", content_type="image/png")  # fmt: skip

    message = await sent(client, guest, conversation["id"], "The tap leaks",
                         attachment_ids=[photo.json()["id"]])  # fmt: skip
    assert [a["id"] for a in message["attachments"]] == [photo.json()["id"]]
    assert message["attachments"][0]["url"]
    seen_by_staff = (await detail(client, desk, conversation["id"])).json()["messages"][0]
    assert [a["id"] for a in seen_by_staff["attachments"]] == [photo.json()["id"]]

    someone_elses = await send(client, guest, conversation["id"], "look",
                               attachment_ids=[theirs.json()["id"]])  # fmt: skip
    assert someone_elses.status_code == 404
    wrong_purpose = await send(client, guest, conversation["id"], "look",
                               attachment_ids=[avatar.json()["id"]])  # fmt: skip
    assert wrong_purpose.status_code == 422
    # Neither refused send left a message behind.
    assert len((await detail(client, guest, conversation["id"])).json()["messages"]) == 1


async def test_attachments_come_with_their_file_name_and_type(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    _, desk = await staff_member(client, database, Department.FRONT_DESK)
    conversation = await open_conversation(client, guest)
    photo = await upload(client, guest, png(), purpose="message", filename="sink.png",
                         content_type="image/png")  # fmt: skip
    invoice = await upload(client, guest, pdf(), purpose="message", route="file",
                           filename="Invoice March.pdf",
                           content_type="application/pdf")  # fmt: skip
    assert invoice.status_code == 201, invoice.text
    ids = [photo.json()["id"], invoice.json()["id"]]
    message = await sent(client, guest, conversation["id"], "Both files", attachment_ids=ids)
    seen_by_staff = (await detail(client, desk, conversation["id"])).json()["messages"][0]
    for shown in (message, seen_by_staff):
        files = [(a["filename"], a["content_type"], a["size"] > 0) for a in shown["attachments"]]
        assert files == [
            ("sink.png", "image/png", True),
            (invoice.json()["filename"], "application/pdf", True),
        ]
    assert invoice.json()["filename"].endswith(".pdf")
    assert "Invoice" in invoice.json()["filename"]
    hits = (await client.get(f"{API}/search", params={"q": "files"}, headers=desk)).json()
    assert hits["items"][0]["message"]["attachments"][1]["content_type"] == "application/pdf"
