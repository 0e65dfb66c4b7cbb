"""A paid bill has a PDF receipt: the guest and the front desk may fetch it, nobody else,
and it is one file however often it is asked for."""

import re
import zlib
from typing import Any

import httpx

from premier.db import Database
from tests.helpers import pay_cash, signed_in, stay_and_desk
from tests.payments.helpers import booking_to_pay, start_payment
from tests.uploads.helpers import fetch


def pdf_text(data: bytes) -> bytes:
    """The PDF's page content, inflated: enough to find the words printed on it."""
    assert data.startswith(b"%PDF-")
    found = b""
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            found += zlib.decompress(stream)
        except zlib.error:
            found += stream
    return found


async def _cash_paid_stay(
    client: httpx.AsyncClient, database: Database
) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
    guest, stay, desk = await stay_and_desk(client, database)
    paid = await pay_cash(client, desk, stay["id"], stay["total_amount"])
    return guest, desk, {**paid, "booking_reference": stay["reference"]}


async def test_the_guest_downloads_a_receipt_naming_the_payment_and_the_booking(
    client: httpx.AsyncClient, database: Database
) -> None:
    guest, desk, payment = await _cash_paid_stay(client, database)
    answer = await client.get(f"/api/v1/payments/{payment['id']}/receipt", headers=guest)
    assert answer.status_code == 200, answer.text
    pdf = await fetch(client, answer.json()["url"])
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers.get("content-disposition", "")
    text = pdf_text(pdf.content)
    for words in (payment["reference"], payment["booking_reference"], "Cash", "KES"):
        assert words.encode() in text, words
    # The front desk reprints the same file.
    again = await client.get(f"/api/v1/payments/{payment['id']}/receipt", headers=desk)
    assert again.status_code == 200
    assert (await fetch(client, again.json()["url"])).content == pdf.content


async def test_nobody_else_sees_a_receipt_and_an_unpaid_bill_has_none(
    client: httpx.AsyncClient, database: Database
) -> None:
    _, _, payment = await _cash_paid_stay(client, database)
    _, stranger = await signed_in(client, database)
    peek = await client.get(f"/api/v1/payments/{payment['id']}/receipt", headers=stranger)
    assert peek.status_code == 404
    assert (await client.get(f"/api/v1/payments/{payment['id']}/receipt")).status_code == 401

    guest, booking = await booking_to_pay(client, database)
    started = await start_payment(client, guest, booking_id=booking["id"], method="paypal")
    assert started.status_code == 201, started.text
    unpaid = await client.get(f"/api/v1/payments/{started.json()['id']}/receipt", headers=guest)
    assert unpaid.status_code == 409
    assert unpaid.json()["error"]["code"] == "payment_not_paid"
