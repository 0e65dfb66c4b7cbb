"""The folio: a stay's running bill, what the desk posts to it, paying it, and check-out
waiting for it."""

import uuid
from typing import Any

import httpx
import pytest

from premier.db import Database
from premier.users.models import Department, Role
from tests.helpers import checked_in_stay, make_menu_item, pay_cash, signed_in, stay_and_desk

ROOM = 2_000_000  # two nights at KES 10,000.00, as checked_in_stay books them
SEATS = (
    [(Role.GUEST, None)]
    + [(Role.STAFF, d) for d in Department]
    + [
        (Role.MANAGER, None),
        (Role.ADMIN, None),
    ]
)


def folio_url(booking_id: int) -> str:
    return f"/api/v1/bookings/{booking_id}/folio"


async def _stay(
    client: httpx.AsyncClient, database: Database
) -> tuple[dict[str, str], dict[str, Any], dict[str, str], dict[str, str]]:
    """A checked-in guest, their stay, the front desk and a manager."""
    guest, stay, desk = await stay_and_desk(client, database)
    _, manager = await signed_in(client, database, role=Role.MANAGER)
    return guest, stay, desk, manager


async def _folio(client: httpx.AsyncClient, headers: dict[str, str], booking_id: int) -> Any:
    response = await client.get(folio_url(booking_id), headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _charge(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    booking_id: int,
    *,
    key: str | None = None,
    **body: Any,
) -> httpx.Response:
    body = {"category": "minibar", "description": "Two sodas", "unit_amount": 25_000, **body}
    return await client.post(
        f"{folio_url(booking_id)}/charges",
        json=body,
        headers={**headers, "Idempotency-Key": key or uuid.uuid4().hex},
    )


async def test_charges_orders_payments_refunds_and_voids_add_up_to_the_balance(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk, manager = await _stay(client, database)
    assert (await _folio(client, guest, stay["id"]))["balance_due"] == ROOM

    laundry = await _charge(
        client, desk, stay["id"], category="laundry", description="Shirts", unit_amount=30_000,
        quantity=3,
    )  # fmt: skip
    assert laundry.status_code == 201, laundry.text
    assert laundry.json()["amount"] == 90_000
    minibar = (await _charge(client, desk, stay["id"])).json()

    tea = await make_menu_item(database, price=40_000, name="Masala tea")
    to_room = await client.post(
        "/api/v1/orders",
        json={"items": [{"menu_item_id": tea, "quantity": 2}], "charge_to_room": True},
        headers=guest,
    )
    assert to_room.status_code == 201, to_room.text
    assert to_room.json()["charge_to_room"] is True
    paid_now = await client.post(
        "/api/v1/orders", json={"items": [{"menu_item_id": tea, "quantity": 1}]}, headers=guest
    )
    cancelled = await client.post(
        "/api/v1/orders",
        json={"items": [{"menu_item_id": tea, "quantity": 5}], "charge_to_room": True},
        headers=guest,
    )
    await client.post(
        f"/api/v1/orders/{cancelled.json()['id']}/status",
        json={"status": "cancelled"},
        headers=guest,
    )

    folio = await _folio(client, guest, stay["id"])
    assert [line["kind"] for line in folio["lines"]] == ["room", "charge", "charge", "order"]
    assert folio["charges_total"] == ROOM + 90_000 + 25_000 + 80_000
    assert folio["balance_due"] == ROOM + 195_000
    assert [line["balance"] for line in folio["lines"]] == [
        ROOM, ROOM + 90_000, ROOM + 115_000, ROOM + 195_000,
    ]  # fmt: skip
    assert "2 x Masala tea" in folio["lines"][3]["description"]
    assert paid_now.json()["id"] not in [line["order_id"] for line in folio["lines"]]

    # The desk takes part in cash; a manager voids the minibar, then refunds some cash.
    cash = await pay_cash(client, desk, stay["id"], 1_000_000)
    voided = await client.post(
        f"{folio_url(stay['id'])}/charges/{minibar['id']}/void",
        json={"reason": "Sodas were complimentary"},
        headers=manager,
    )
    assert voided.status_code == 200, voided.text
    refund = await client.post(
        f"/api/v1/payments/{cash['id']}/refund",
        json={"amount": 100_000, "reason": "Overcharged for parking"},
        headers={**manager, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert refund.status_code == 200, refund.text

    folio = await _folio(client, desk, stay["id"])
    kinds = [line["kind"] for line in folio["lines"]]
    assert kinds == ["room", "charge", "charge", "order", "payment", "refund"]
    minibar_line = folio["lines"][2]
    assert minibar_line["voided"] is True
    assert minibar_line["amount"] == 0
    assert minibar_line["void_reason"] == "Sodas were complimentary"
    assert folio["lines"][4]["amount"] == -1_000_000
    assert folio["lines"][5]["amount"] == 100_000
    assert folio["payments_total"] == 1_000_000
    assert folio["refunds_total"] == 100_000
    assert folio["balance_due"] == ROOM + 170_000 - 1_000_000 + 100_000
    assert folio["lines"][-1]["balance"] == folio["balance_due"]


async def test_paying_the_booking_pays_the_folio_balance(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk, _ = await _stay(client, database)
    await _charge(client, desk, stay["id"], category="damage", description="Broken glass")
    too_much = await client.post(
        "/api/v1/payments/cash",
        json={"booking_id": stay["id"], "amount": ROOM + 25_001, "currency": "KES"},
        headers=desk,
    )
    assert too_much.status_code == 422
    assert "KES 20,250.00" in too_much.json()["error"]["message"]
    # The whole balance, by default: a payment for the booking with no amount given.
    paid = await client.post(
        "/api/v1/payments",
        json={"booking_id": stay["id"], "method": "cash"},
        headers={**desk, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["amount"] == ROOM + 25_000
    assert (await _folio(client, guest, stay["id"]))["balance_due"] == 0


async def test_an_order_charged_to_the_room_is_not_paid_on_its_own(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk, _ = await _stay(client, database)
    tea = await make_menu_item(database)
    order = (
        await client.post(
            "/api/v1/orders",
            json={"items": [{"menu_item_id": tea, "quantity": 1}], "charge_to_room": True},
            headers=guest,
        )
    ).json()
    alone = await client.post(
        "/api/v1/payments/cash",
        json={"order_id": order["id"], "amount": 50_000, "currency": "KES"},
        headers=desk,
    )
    assert alone.status_code == 409
    assert alone.json()["error"]["code"] == "charged_to_room"
    # The desk takes a phone order for the room, to the room's bill too.
    by_phone = await client.post(
        "/api/v1/orders",
        json={
            "items": [{"menu_item_id": tea, "quantity": 2}],
            "room_number": stay["room_number"],
            "charge_to_room": True,
        },
        headers=desk,
    )
    assert by_phone.status_code == 201, by_phone.text
    assert (await _folio(client, guest, stay["id"]))["balance_due"] == ROOM + 150_000


async def test_a_double_click_posts_a_charge_once(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk, _ = await _stay(client, database)
    key = uuid.uuid4().hex
    first = await _charge(client, desk, stay["id"], key=key)
    again = await _charge(client, desk, stay["id"], key=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    folio = await _folio(client, guest, stay["id"])
    assert [line["kind"] for line in folio["lines"]] == ["room", "charge"]
    assert folio["balance_due"] == ROOM + 25_000


async def test_charges_go_only_to_a_stay_that_is_booked_or_under_way(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk, _manager = await _stay(client, database)
    bad = await _charge(client, desk, stay["id"], unit_amount=0)
    assert bad.status_code == 422
    bad = await _charge(client, desk, stay["id"], category="caviar")
    assert bad.status_code == 422
    await pay_cash(client, desk, stay["id"], ROOM)
    out = await client.post(f"/api/v1/bookings/{stay['id']}/check-out", headers=desk)
    assert out.status_code == 200, out.text
    late = await _charge(client, desk, stay["id"])
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "folio_closed"
    assert "checked out" in late.json()["error"]["message"]
    assert (await _folio(client, guest, stay["id"]))["open_for_charges"] is False


async def test_a_void_keeps_the_charge_with_its_reason_and_happens_once(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, stay, desk, manager = await _stay(client, database)
    charge = (await _charge(client, desk, stay["id"])).json()
    url = f"{folio_url(stay['id'])}/charges/{charge['id']}/void"
    assert (await client.post(url, json={"reason": "x"}, headers=desk)).status_code == 403
    assert (await client.post(url, json={"reason": ""}, headers=manager)).status_code == 422
    done = await client.post(url, json={"reason": "Posted to the wrong room"}, headers=manager)
    assert done.status_code == 200
    assert done.json()["void_reason"] == "Posted to the wrong room"
    twice = await client.post(url, json={"reason": "again"}, headers=manager)
    assert twice.status_code == 409
    other_stay = await checked_in_stay(client, database, (await signed_in(client, database))[1])
    elsewhere = await client.post(
        f"{folio_url(other_stay['id'])}/charges/{charge['id']}/void",
        json={"reason": "wrong folio"},
        headers=manager,
    )
    assert elsewhere.status_code == 404


async def test_check_out_waits_for_the_balance_unless_a_manager_lets_the_guest_go(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk, manager = await _stay(client, database)
    await _charge(client, desk, stay["id"])
    url = f"/api/v1/bookings/{stay['id']}/check-out"
    refused = await client.post(url, headers=desk)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "balance_due"
    assert "KES 20,250.00 is still due" in error["message"]
    assert error["details"] == {"balance_due": ROOM + 25_000, "currency": "KES"}
    # The clerk cannot let the guest go; the manager can, with a reason.
    clerk = await client.post(url, json={"override_reason": "guest in a hurry"}, headers=desk)
    assert clerk.status_code == 403
    no_reason = await client.post(url, json={"override_reason": ""}, headers=manager)
    assert no_reason.status_code == 422
    assert (await client.get(f"/api/v1/bookings/{stay['id']}", headers=desk)).json()[
        "status"
    ] == "checked_in"

    let_go = await client.post(
        url, json={"override_reason": "Company pays by invoice"}, headers=manager
    )
    assert let_go.status_code == 200, let_go.text
    assert let_go.json()["status"] == "checked_out"
    folio = await _folio(client, desk, stay["id"])
    [override] = folio["checkout_overrides"]
    assert override["reason"] == "Company pays by invoice"
    assert override["balance_due"] == ROOM + 25_000
    # The guest sees what they owe, not the hotel's note on why they were let go.
    mine = await _folio(client, guest, stay["id"])
    assert mine["balance_due"] == ROOM + 25_000
    assert mine["checkout_overrides"] == []
    # What was left open may still be settled afterwards.
    await pay_cash(client, desk, stay["id"], ROOM + 25_000)
    assert (await _folio(client, guest, stay["id"]))["balance_due"] == 0


async def test_check_out_goes_through_once_the_folio_is_paid(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, stay, desk, _ = await _stay(client, database)
    await _charge(client, desk, stay["id"])
    await pay_cash(client, desk, stay["id"], ROOM)
    url = f"/api/v1/bookings/{stay['id']}/check-out"
    short = await client.post(url, headers=desk)
    assert short.status_code == 409
    assert "KES 250.00" in short.json()["error"]["message"]
    await pay_cash(client, desk, stay["id"], 25_000)
    done = await client.post(url, headers=desk)
    assert done.status_code == 200
    assert done.json()["status"] == "checked_out"


@pytest.mark.parametrize(("role", "department"), SEATS)
async def test_who_reads_posts_and_voids_on_a_folio(
    role: Role, department: Department | None, client: httpx.AsyncClient, database: Database
) -> None:
    _guest, stay, desk, _ = await _stay(client, database)
    charge = (await _charge(client, desk, stay["id"])).json()
    _, caller = await signed_in(client, database, role=role, department=department)
    read = await client.get(folio_url(stay["id"]), headers=caller)
    post = await _charge(client, caller, stay["id"])
    void = await client.post(
        f"{folio_url(stay['id'])}/charges/{charge['id']}/void",
        json={"reason": "testing who may"},
        headers=caller,
    )
    management = role in (Role.MANAGER, Role.ADMIN)
    desk_seat = department is Department.FRONT_DESK
    if role is Role.GUEST:
        # Another guest's stay: not found, so ids reveal nothing.
        assert read.status_code == 404
    else:
        assert read.status_code == (200 if management or desk_seat else 403)
    assert post.status_code == (201 if management or desk_seat else 403)
    assert void.status_code == (200 if management else 403)


async def test_a_guest_reads_their_own_folio_and_nobody_anonymous_does(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk, _ = await _stay(client, database)
    mine = await client.get(folio_url(stay["id"]), headers=guest)
    assert mine.status_code == 200
    assert mine.json()["reference"] == stay["reference"]
    assert (await _charge(client, guest, stay["id"])).status_code == 403
    assert (await client.get(folio_url(stay["id"]))).status_code == 401
    assert (await client.get(folio_url(999_999), headers=desk)).status_code == 404


async def test_leaving_early_waits_for_the_bill_at_the_new_total(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, stay, desk, _ = await _stay(client, database)
    await _charge(client, desk, stay["id"], category="laundry", description="Suit pressed")
    url = f"/api/v1/bookings/{stay['id']}/early-departure"
    # Leaving on the arrival day: one night is billed, plus the laundry.
    refused = await client.post(url, headers=desk)
    assert refused.status_code == 409
    assert "KES 10,250.00 is still due" in refused.json()["error"]["message"]
    assert (await _folio(client, guest, stay["id"]))["status"] == "checked_in"
    await pay_cash(client, desk, stay["id"], 1_025_000)
    left = await client.post(url, headers=desk)
    assert left.status_code == 200, left.text
    assert left.json()["booking"]["status"] == "checked_out"
    assert (await _folio(client, guest, stay["id"]))["balance_due"] == 0
