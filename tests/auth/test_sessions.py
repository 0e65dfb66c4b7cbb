"""Refresh tokens work once, a reused one signs its whole session out, signing out ends a
session, and the web UI's refresh token lives in a cookie no script and no other site can
use."""

import re
from typing import Any

import httpx
from sqlalchemy import select

from premier.config import Settings
from premier.db import Database
from premier.email.models import EmailQueue
from premier.users.models import Role
from tests.helpers import PASSWORD, make_user, signed_in

AUTH = "/api/v1/auth"
BROWSER = {"X-Requested-With": "premier-web"}


async def api_sign_in(client: httpx.AsyncClient, email: str) -> dict[str, Any]:
    response = await client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(f"{AUTH}/refresh", json={"refresh_token": token})


async def test_each_refresh_hands_out_a_new_token_and_the_spent_one_stops_working(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="rotate@example.com")
    first = (await api_sign_in(client, "rotate@example.com"))["refresh_token"]
    renewed = await refresh(client, first)
    assert renewed.status_code == 200
    second = renewed.json()["refresh_token"]
    assert second and second != first
    me = await client.get(
        f"{AUTH}/me", headers={"Authorization": f"Bearer {renewed.json()['access_token']}"}
    )
    assert me.json()["email"] == "rotate@example.com"
    assert (await refresh(client, second)).status_code == 200


async def test_a_reused_refresh_token_signs_out_its_whole_session(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="stolen@example.com")
    stolen = (await api_sign_in(client, "stolen@example.com"))["refresh_token"]
    other_device = (await api_sign_in(client, "stolen@example.com"))["refresh_token"]
    thiefs = (await refresh(client, stolen)).json()["refresh_token"]

    reused = await refresh(client, stolen)
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "refresh_token_reused"
    after = await refresh(client, thiefs)
    assert after.status_code == 401 and after.json()["error"]["code"] == "session_revoked"
    assert (await refresh(client, other_device)).status_code == 200, "other sessions stay"


async def test_an_access_token_or_a_made_up_one_is_no_refresh_token(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="kind@example.com")
    tokens = await api_sign_in(client, "kind@example.com")
    assert (await refresh(client, tokens["access_token"])).status_code == 401
    assert (await refresh(client, "made-up-token")).status_code == 401
    assert (await client.post(f"{AUTH}/refresh")).status_code == 401


async def test_signing_out_ends_the_session_and_can_be_repeated(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="bye@example.com")
    token = (await api_sign_in(client, "bye@example.com"))["refresh_token"]
    assert (await client.post(f"{AUTH}/logout", json={"refresh_token": token})).status_code == 204
    ended = await refresh(client, token)
    assert ended.status_code == 401 and ended.json()["error"]["code"] == "session_revoked"
    assert (await client.post(f"{AUTH}/logout", json={"refresh_token": token})).status_code == 204
    assert (await client.post(f"{AUTH}/logout")).status_code == 204


async def test_a_password_reset_ends_every_session_of_the_user(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="reset@example.com")
    sessions = [(await api_sign_in(client, "reset@example.com"))["refresh_token"] for _ in "ab"]
    await client.post(f"{AUTH}/password/forgot", json={"email": "reset@example.com"})
    async with database.reading() as session:
        mail = await session.scalar(select(EmailQueue))
    assert mail is not None
    link = re.search(r"reset-password\?token=([\w-]+)", mail.body_text)
    assert link
    done = await client.post(
        f"{AUTH}/password/reset", json={"token": link.group(1), "password": "a-new-secret"}
    )
    assert done.status_code == 200
    for token in sessions:
        assert (await refresh(client, token)).status_code == 401


async def test_disabling_an_account_ends_its_sessions(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    user_id = await make_user(database, email="leaver@example.com")
    token = (await api_sign_in(client, "leaver@example.com"))["refresh_token"]
    disabled = await client.patch(f"/api/v1/users/{user_id}", json={"is_active": False},
                                  headers=admin)  # fmt: skip
    assert disabled.status_code == 200
    assert (await refresh(client, token)).status_code == 401


def refresh_cookie(response: httpx.Response) -> str:
    [cookie] = [c for c in response.headers.get_list("set-cookie") if "premier_refresh=" in c]
    return cookie


async def test_the_web_ui_gets_its_refresh_token_only_as_a_strict_httponly_cookie(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="web@example.com")
    response = await client.post(
        f"{AUTH}/login", json={"email": "web@example.com", "password": PASSWORD}, headers=BROWSER
    )
    assert response.status_code == 200
    assert response.json()["refresh_token"] is None
    assert response.json()["access_token"]
    cookie = refresh_cookie(response).lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/api/v1/auth" in cookie
    assert "secure" not in cookie, "the test hotel is served over plain http"

    renewed = await client.post(f"{AUTH}/refresh", headers=BROWSER)
    assert renewed.status_code == 200 and renewed.json()["refresh_token"] is None
    assert refresh_cookie(renewed) != refresh_cookie(response)


async def test_the_refresh_cookie_is_secure_when_the_hotel_is_served_over_https(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    settings.public_base_url = "https://hotel.example"
    await make_user(database, email="tls@example.com")
    response = await client.post(
        f"{AUTH}/login", json={"email": "tls@example.com", "password": PASSWORD}, headers=BROWSER
    )
    assert "secure" in refresh_cookie(response).lower()


async def test_another_site_cannot_refresh_or_end_a_session_with_the_cookie(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="csrf@example.com")
    await client.post(
        f"{AUTH}/login", json={"email": "csrf@example.com", "password": PASSWORD}, headers=BROWSER
    )
    # A form posted from another site carries the cookie but cannot add a header.
    bare = await client.post(f"{AUTH}/refresh")
    assert bare.status_code == 403 and bare.json()["error"]["code"] == "csrf_check_failed"
    assert (await client.post(f"{AUTH}/logout")).status_code == 403
    foreign = {**BROWSER, "Origin": "https://evil.example"}
    assert (await client.post(f"{AUTH}/refresh", headers=foreign)).status_code == 403
    assert (await client.post(f"{AUTH}/logout", headers=foreign)).status_code == 403

    ours = {**BROWSER, "Origin": "http://hotel.test"}
    assert (await client.post(f"{AUTH}/refresh", headers=ours)).status_code == 200
    signed_out = await client.post(f"{AUTH}/logout", headers=ours)
    assert signed_out.status_code == 204
    assert 'premier_refresh=""' in refresh_cookie(signed_out) or "max-age=0" in (
        refresh_cookie(signed_out).lower()
    )
    assert (await client.post(f"{AUTH}/refresh", headers=BROWSER)).status_code == 401
