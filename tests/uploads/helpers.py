from urllib.parse import urlsplit

import httpx


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    *,
    purpose: str = "room_type",
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
    route: str = "image",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/uploads/{route}",
        headers=headers,
        files={"file": (filename, content, content_type)},
        data={"purpose": purpose},
    )


def path_of(url: str) -> str:
    """The app's links are absolute (the public base URL); the tests' client is in-process."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def fetch(client: httpx.AsyncClient, url: str, **kwargs: object) -> httpx.Response:
    return await client.get(path_of(url), **kwargs)  # type: ignore[arg-type]
