"""What browser tests set up through the API of the demo hotel before the browser looks."""

from datetime import date, timedelta
from typing import Any

import httpx

from premier.seed import DEMO_PASSWORD

GUEST = "guest@premier.test"
FRONT_DESK = "frontdesk@premier.test"


def signed_in(http: httpx.Client, email: str) -> dict[str, str]:
    """Auth headers of a demo account."""
    login = http.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def guest_books(base_url: str, *, days_ahead: int, nights: int = 1) -> dict[str, Any]:
    """The demo guest books the first room type for `nights` from `days_ahead` days on."""
    check_in = date.today() + timedelta(days=days_ahead)
    with httpx.Client(base_url=base_url) as http:
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        made = http.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(check_in),
                  "check_out": str(check_in + timedelta(days=nights))},
            headers=signed_in(http, GUEST),
        )  # fmt: skip
        assert made.status_code == 201, made.text
        booking: dict[str, Any] = made.json()
        return booking
