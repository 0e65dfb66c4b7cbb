"""Calling a provider over HTTP: what failed before the request could leave is safe to send
again elsewhere at once; what failed after it may have reached the provider is not.

Each case runs against a real socket on 127.0.0.1 that misbehaves in one way."""

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from premier.delivery.errors import TransientFailure
from premier.delivery.http import call, provider_session

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def listening(handler: Handler) -> AsyncIterator[str]:
    """A local HTTP/1.1 server whose every connection is given to `handler`."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """The request line and headers, and the body its Content-Length announces."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return head + await reader.readexactly(length)


def answer(status: str, body: bytes = b"", headers: str = "") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{headers}\r\n".encode() + body


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_refused_connection_never_left_so_it_is_not_ambiguous() -> None:
    async with provider_session(connections=2) as http:
        with pytest.raises(TransientFailure) as failure:
            await call(
                http, "POST", f"http://127.0.0.1:{closed_port()}/send",
                provider="p", timeout_seconds=2, data=b"x",
            )  # fmt: skip
    assert not failure.value.ambiguous
    assert "not sent" in failure.value.reason


async def test_a_connection_that_never_completes_sent_nothing() -> None:
    # A listening socket that accepts nothing: once its one-place queue is full, the
    # kernel drops further SYNs, as a firewall in front of a provider would.
    with socket.socket() as full, socket.socket() as waiting:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        waiting.connect(full.getsockname())
        url = f"http://127.0.0.1:{full.getsockname()[1]}/send"
        async with provider_session(connections=2) as http:
            with pytest.raises(TransientFailure) as failure:
                await call(http, "POST", url, provider="p", timeout_seconds=0.3, data=b"x")
    assert not failure.value.ambiguous


async def test_no_answer_in_time_after_sending_is_ambiguous() -> None:
    received: list[bytes] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await read_request(reader))
        await asyncio.sleep(5)
        writer.close()

    async with listening(silent) as url, provider_session(connections=2) as http:
        with pytest.raises(TransientFailure) as failure:
            await call(http, "POST", f"{url}/send", provider="p", timeout_seconds=0.2, data=b"x")
    assert received, "the request reached the server"
    assert failure.value.ambiguous
    assert "timed out waiting for the answer" in failure.value.reason


async def test_a_server_hanging_up_after_the_request_is_ambiguous() -> None:
    async def hangs_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.close()

    async with listening(hangs_up) as url, provider_session(connections=2) as http:
        with pytest.raises(TransientFailure) as failure:
            await call(http, "POST", f"{url}/send", provider="p", timeout_seconds=2, data=b"x")
    assert failure.value.ambiguous


async def test_a_body_cut_off_halfway_is_ambiguous() -> None:
    async def cuts_off(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"id":')
        await writer.drain()
        writer.close()

    async with listening(cuts_off) as url, provider_session(connections=2) as http:
        with pytest.raises(TransientFailure) as failure:
            await call(http, "POST", f"{url}/send", provider="p", timeout_seconds=2, data=b"x")
    assert failure.value.ambiguous


async def test_waiting_in_vain_for_a_free_connection_sends_nothing() -> None:
    requests = 0

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal requests
        await read_request(reader)
        requests += 1
        await asyncio.sleep(1)
        writer.write(answer("200 OK"))
        await writer.drain()
        writer.close()

    async with listening(slow) as url, provider_session(connections=1) as http:
        first = asyncio.create_task(
            call(http, "POST", f"{url}/send", provider="p", timeout_seconds=5, data=b"1")
        )
        await asyncio.sleep(0.2)  # the one connection is taken
        with pytest.raises(TransientFailure) as failure:
            await call(http, "POST", f"{url}/send", provider="p", timeout_seconds=0.2, data=b"2")
        assert (await first).status == 200
    assert not failure.value.ambiguous
    assert requests == 1


async def test_any_answer_is_read_whole_and_redirects_are_not_followed() -> None:
    paths: list[bytes] = []

    async def redirects(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while not reader.at_eof():
            try:
                request = await read_request(reader)
            except asyncio.IncompleteReadError:
                break
            paths.append(request.split(b" ")[1])
            writer.write(
                answer("302 Found", b"moved", "Location: /elsewhere\r\nRetry-After: 3\r\n")
            )
            await writer.drain()
        writer.close()

    async with listening(redirects) as url, provider_session(connections=2) as http:
        response = await call(http, "POST", f"{url}/send", provider="p", timeout_seconds=2)
    assert (response.status, response.body) == (302, b"moved")
    assert response.headers.get("retry-after") == "3", "header names in any case"
    assert paths == [b"/send"]
