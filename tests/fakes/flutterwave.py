"""A fake Flutterwave v3 (Standard payment links, verify, refunds) per PROVIDERS.md section 2:
Bearer secret key (401 `Authorization required`), `tx_ref`, `amount`, `redirect_url` and
`customer.email` required (400), the `{status: "error", message, data: null}` envelope,
refunds no larger than what is left. `pay` plays the customer on the hosted page and
returns the webhook Flutterwave would send (`verif-hash` is the shared secret)."""

import json
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SECRET_KEY = "FLWSECK_TEST-fake0123456789abcdef-X"
SECRET_HASH = "fake-flutterwave-secret-hash"


def flw_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": "error", "message": message, "data": None}, status)


@dataclass
class FakeFlutterwave:
    links: dict[str, dict[str, Any]] = field(default_factory=dict)  # tx_ref -> request
    transactions: dict[int, dict[str, Any]] = field(default_factory=dict)
    verifications: int = 0
    url: str = ""

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v3/payments", self._create, methods=["POST"]),
                Route("/v3/transactions/verify_by_reference", self._by_reference, methods=["GET"]),
                Route("/v3/transactions/{tid:int}/verify", self._verify, methods=["GET"]),
                Route("/v3/transactions/{tid:int}/refund", self._refund, methods=["POST"]),
            ]
        )

    def pay(
        self, tx_ref: str, *, status: str = "successful", amount: Any = None
    ) -> tuple[int, bytes]:
        """The customer pays (or fails to); returns the transaction id and the webhook body."""
        link = self.links[tx_ref]
        tid = 2_784_000 + len(self.transactions) + 1
        paid = amount if amount is not None else float(link["amount"])
        data = {
            "id": tid,
            "tx_ref": tx_ref,
            "flw_ref": f"FLW-MOCK-{secrets.token_hex(6)}",
            "amount": paid,
            "currency": link.get("currency", "NGN"),
            "charged_amount": paid,
            "app_fee": 0,
            "merchant_fee": 0,
            "processor_response": "Approved" if status == "successful" else "Declined",
            "status": status,
            "payment_type": "card",
            "created_at": "2026-12-05T02:00:00.000Z",
            "customer": {
                "id": 215604089,
                "name": link["customer"].get("name", ""),
                "phone_number": link["customer"].get("phonenumber"),
                "email": link["customer"]["email"],
            },
            "refunded": 0,
        }
        self.transactions[tid] = data
        webhook = {
            "event": "charge.completed",
            "data": {k: v for k, v in data.items() if k != "refunded"},
            "event.type": "CARD_TRANSACTION",
        }
        return tid, json.dumps(webhook).encode()

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {SECRET_KEY}"

    async def _create(self, request: Request) -> Response:
        if not self._authorised(request):
            return flw_error(401, "Authorization required")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return flw_error(400, "Invalid JSON")
        for name in ("tx_ref", "amount", "redirect_url"):
            if body.get(name) in (None, ""):
                return flw_error(400, f"{name} is required")
        if not (body.get("customer") or {}).get("email"):
            return flw_error(400, "customer.email is required")
        try:
            if Decimal(str(body["amount"])) <= 0:
                return flw_error(400, "amount must be greater than 0")
        except ArithmeticError:
            return flw_error(400, "amount must be a number")
        self.links[body["tx_ref"]] = body
        link = f"https://checkout.flutterwave.com/v3/hosted/pay/flwlnk-{secrets.token_hex(10)}"
        return JSONResponse({"status": "success", "message": "Hosted Link", "data": {"link": link}})

    def _found(self, data: dict[str, Any] | None) -> Response:
        if data is None:
            return flw_error(400, "No transaction was found for this id")
        self.verifications += 1
        shown = {k: v for k, v in data.items() if k != "refunded"}
        return JSONResponse(
            {"status": "success", "message": "Transaction fetched successfully", "data": shown}
        )

    async def _verify(self, request: Request) -> Response:
        if not self._authorised(request):
            return flw_error(401, "Authorization required")
        return self._found(self.transactions.get(request.path_params["tid"]))

    async def _by_reference(self, request: Request) -> Response:
        if not self._authorised(request):
            return flw_error(401, "Authorization required")
        tx_ref = request.query_params.get("tx_ref")
        found = [t for t in self.transactions.values() if t["tx_ref"] == tx_ref]
        return self._found(found[-1] if found else None)

    async def _refund(self, request: Request) -> Response:
        if not self._authorised(request):
            return flw_error(401, "Authorization required")
        data = self.transactions.get(request.path_params["tid"])
        if data is None or data["status"] != "successful":
            return flw_error(400, "Transaction not found or not successful")
        body = json.loads(await request.body() or b"{}")
        left = Decimal(str(data["amount"])) - Decimal(str(data["refunded"]))
        amount = Decimal(str(body.get("amount", left)))
        if amount > left:
            return flw_error(400, "Refund amount cannot be greater than the transaction amount")
        data["refunded"] = float(Decimal(str(data["refunded"])) + amount)
        return JSONResponse(
            {
                "status": "success",
                "message": "Transaction refund initiated",
                "data": {
                    "id": 75923,
                    "tx_id": data["id"],
                    "amount_refunded": float(amount),
                    "status": "completed",
                    "destination": "payment_source",
                },
            }
        )
