"""An upload is never held in memory whole: it goes to disk as it arrives.

tracemalloc counts what Python allocates while the request runs (the app and the
in-process client together); the bodies are produced chunk by chunk, so whatever is held
at once is the app's doing.
"""

import tracemalloc
from collections.abc import AsyncIterator

import httpx

from premier.db import Database
from tests.helpers import signed_in
from tests.uploads import samples

CHUNK = 64 * 1024
BOUNDARY = b"premier-test-boundary"


async def multipart(
    file_head: bytes, filler: int, tail: bytes, purpose: str
) -> AsyncIterator[bytes]:
    yield (
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n'
        + purpose.encode() + b"\r\n--" + BOUNDARY
        + b'\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + file_head
    )  # fmt: skip
    for _ in range(filler // CHUNK):
        yield b"%" * CHUNK
    yield tail + b"\r\n--" + BOUNDARY + b"--\r\n"


async def peak_while(send: object) -> tuple[httpx.Response, int]:
    tracemalloc.start()
    try:
        response = await send  # type: ignore[misc]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak


async def test_a_large_file_within_the_limit_is_streamed_to_storage(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    pdf = samples.pdf()
    head, tail = pdf[:9], pdf[9:]
    filler = 9_000_000  # with the default 10 MB limit
    response, peak = await peak_while(
        client.post(
            "/api/v1/uploads/file",
            headers={**guest, "Content-Type": f"multipart/form-data; boundary={BOUNDARY.decode()}"},
            content=multipart(head, filler, b"\n" + tail, "receipt"),
        )
    )
    assert response.status_code == 201, response.text
    assert response.json()["size"] > filler // CHUNK * CHUNK
    assert peak < 3_000_000, f"peak {peak} bytes for a {filler} byte upload"


async def test_an_upload_over_the_limit_is_refused_without_being_held(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, guest = await signed_in(client, database)
    filler = 40_000_000  # four times the default limit, sent without a length
    response, peak = await peak_while(
        client.post(
            "/api/v1/uploads/file",
            headers={**guest, "Content-Type": f"multipart/form-data; boundary={BOUNDARY.decode()}"},
            content=multipart(b"%PDF-1.7\n", filler, b"", "receipt"),
        )
    )
    assert response.status_code == 413
    assert response.json()["error"]["message"] == "The file is larger than 10 MB"
    assert peak < 3_000_000, f"peak {peak} bytes"
