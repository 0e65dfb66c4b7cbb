import httpx

from premier.auth.tokens import issue_token
from premier.config import Settings
from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import PASSWORD, login, make_user, signed_in


async def test_guest_registers_and_sees_own_profile(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "New.Guest@Example.com", "password": "s3cret-pass", "full_name": "N G"},
    )
    assert response.status_code == 201
    tokens = response.json()
    assert tokens["token_type"] == "bearer"
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["email"] == "new.guest@example.com"
    assert me.json()["role"] == "guest"


async def test_registering_twice_is_a_conflict(client: httpx.AsyncClient) -> None:
    body = {"email": "twice@example.com", "password": "s3cret-pass", "full_name": "T"}
    assert (await client.post("/api/v1/auth/register", json=body)).status_code == 201
    again = await client.post("/api/v1/auth/register", json=body)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"


async def test_registration_cannot_choose_a_role(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "x@example.com", "password": "s3cret-pass", "full_name": "X",
              "role": "admin"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "body.role"


async def test_short_password_is_refused_with_field_details(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "short@example.com", "password": "short", "full_name": "S"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "body.password"


async def test_wrong_password_is_401_and_repeated_failures_make_the_next_try_wait_briefly(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="lock@example.com")
    for _ in range(5):
        response = await client.post(
            "/api/v1/auth/login", json={"email": "lock@example.com", "password": "wrong-one"}
        )
        assert response.status_code == 401
    held = await client.post(
        "/api/v1/auth/login", json={"email": "lock@example.com", "password": PASSWORD}
    )
    assert held.status_code == 429
    assert int(held.headers["Retry-After"]) == 1, "a second, not a quarter of an hour"


async def test_unknown_email_gets_the_same_answer_as_a_wrong_password(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "whatever"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


async def test_refresh_issues_a_new_access_token(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="refresh@example.com")
    tokens = (
        await client.post(
            "/api/v1/auth/login", json={"email": "refresh@example.com", "password": PASSWORD}
        )
    ).json()
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
    # An access token is not accepted where a refresh token is expected.
    wrong_kind = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["access_token"]}
    )
    assert wrong_kind.status_code == 401


async def test_oauth2_form_login_for_the_docs(
    client: httpx.AsyncClient, database: Database
) -> None:
    await make_user(database, email="form@example.com")
    response = await client.post(
        "/api/v1/auth/token", data={"username": "form@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["access_token"]


async def test_me_without_or_with_forged_token_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/auth/me")).status_code == 401
    forged = await client.get("/api/v1/auth/me", headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "invalid_token"


async def test_admin_creates_staff_with_department_and_others_cannot(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    _, desk = await signed_in(client, database, role=Role.STAFF, department=Department.FRONT_DESK)
    body = {"email": "cook@example.com", "password": "kitchen-pass", "full_name": "Cook",
            "role": "staff", "department": "kitchen"}  # fmt: skip
    assert (await client.post("/api/v1/users", json=body, headers=desk)).status_code == 403
    as_manager = {**body, "role": "manager", "department": None}
    assert (await client.post("/api/v1/users", json=as_manager, headers=manager)).status_code == 403
    created = await client.post("/api/v1/users", json=body, headers=admin)
    assert created.status_code == 201
    assert created.json()["department"] == "kitchen"
    cook = await login(client, "cook@example.com", "kitchen-pass")
    me = await client.get("/api/v1/auth/me", headers=cook)
    assert me.json()["role"] == "staff"


async def test_staff_account_without_department_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    body = {"email": "nodept@example.com", "password": "kitchen-pass", "full_name": "N",
            "role": "staff"}  # fmt: skip
    response = await client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 422


async def test_disabling_an_account_revokes_its_tokens(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, admin = await signed_in(client, database, role=Role.ADMIN)
    staff_id, staff = await signed_in(
        client, database, role=Role.STAFF, department=Department.KITCHEN
    )
    assert (await client.get("/api/v1/auth/me", headers=staff)).status_code == 200
    disabled = await client.patch(
        f"/api/v1/users/{staff_id}", json={"is_active": False}, headers=admin
    )
    assert disabled.status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=staff)).status_code == 401


async def test_guests_cannot_list_users(client: httpx.AsyncClient, database: Database) -> None:
    _, guest = await signed_in(client, database)
    assert (await client.get("/api/v1/users", headers=guest)).status_code == 403


async def test_an_accepted_token_is_refused_once_it_expires(
    client: httpx.AsyncClient, database: Database, settings: Settings
) -> None:
    """Checked signatures are remembered; expiry is not, and a forged token never passes."""
    user_id = await make_user(database)
    settings_short = settings.model_copy(update={"access_token_minutes": 0})
    expired = issue_token(
        settings=settings_short, user_id=user_id, role="guest", token_version=0, kind="access"
    )
    valid = issue_token(
        settings=settings, user_id=user_id, role="guest", token_version=0, kind="access"
    )
    assert (await client.get("/api/v1/auth/me", headers=bearer(valid))).status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=bearer(valid))).status_code == 200
    refused = await client.get("/api/v1/auth/me", headers=bearer(expired))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_expired"
    forged = valid[:-2] + ("AA" if not valid.endswith("AA") else "BB")
    assert (await client.get("/api/v1/auth/me", headers=bearer(forged))).status_code == 401
    header, payload, _ = valid.split(".")
    elsewhere = settings.model_copy(update={"secret_key": "another-key-0123456789abcdef0123456"})
    other_signature = issue_token(
        settings=elsewhere, user_id=user_id, role="guest", token_version=0, kind="access"
    ).split(".")[2]
    resigned = f"{header}.{payload}.{other_signature}"
    assert (await client.get("/api/v1/auth/me", headers=bearer(resigned))).status_code == 401


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
