"""A fake PayPal (OAuth, Orders v2, Payments v2 refunds, webhook signature verification)
that validates every request body against PayPal's own OpenAPI request schemas
(`../shared/provider-specs/paypal_*.json`, with jsonschema) and answers with PayPal's error
shape `{name, message, debug_id, details: [{issue, description}]}`.

- `PayPal-Request-Id` makes create, capture and refund idempotent, as PayPal promises.
- Capture needs an approved order (422 ORDER_NOT_APPROVED), refuses a second capture
  (422 ORDER_ALREADY_CAPTURED) and can be told to decline (422 INSTRUMENT_DECLINED).
- A refund larger than what is left is 422 REFUND_AMOUNT_EXCEEDED.
- Webhooks: PayPal signs with its certificate; this fake signs with a key of its own
  (HMAC over transmission id, time, webhook id and a CRC32 of the event) and
  `verify-webhook-signature` checks exactly that, so a forged or altered webhook is
  `FAILURE` as at PayPal. PayPal's schema gives `transmission_sig` a pattern a base64
  string starting with `+` or `/` fails, so the fake only sends signatures that pass it
  (as PayPal's own must), forged ones included: a forgery is refused for its signature,
  not its shape."""

import base64
import hashlib
import hmac
import json
import secrets
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from jsonschema import Draft7Validator
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.server import shared_file

CLIENT_ID = "fake-paypal-client-id"
CLIENT_SECRET = "fake-paypal-client-secret"
WEBHOOK_ID = "1JE4291016473214C"
SIGNING_KEY = b"fake-paypal-signing-key"


def _validator(spec_file: str, schema: str) -> Draft7Validator:
    spec = json.loads(shared_file(f"provider-specs/{spec_file}").read_text())
    return Draft7Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": spec["components"]}
    )


@dataclass
class Validators:
    order: Draft7Validator = field(
        default_factory=lambda: _validator("paypal_checkout_orders_v2.json", "order_request")
    )
    capture: Draft7Validator = field(
        default_factory=lambda: _validator(
            "paypal_checkout_orders_v2.json", "order_capture_request"
        )
    )
    refund: Draft7Validator = field(
        default_factory=lambda: _validator("paypal_payments_payment_v2.json", "refund_request")
    )
    verify: Draft7Validator = field(
        default_factory=lambda: _validator(
            "paypal_notifications_webhooks_v1.json", "verify_webhook_signature"
        )
    )


_VALIDATORS: Validators | None = None


def validators() -> Validators:
    global _VALIDATORS
    if _VALIDATORS is None:
        _VALIDATORS = Validators()
    return _VALIDATORS


def paypal_error(status: int, name: str, message: str, *issues: str) -> JSONResponse:
    return JSONResponse(
        {
            "name": name,
            "message": message,
            "debug_id": secrets.token_hex(6),
            "details": [{"issue": issue, "description": issue.lower()} for issue in issues],
        },
        status,
    )


def _signature(transmission_id: str, when: str, webhook_id: str, event: Any) -> str:
    """PayPal's signature stands in as an HMAC; see the module's docstring."""
    crc = zlib.crc32(json.dumps(event, sort_keys=True).encode())
    message = f"{transmission_id}|{when}|{webhook_id}|{crc}".encode()
    return base64.b64encode(hmac.new(SIGNING_KEY, message, hashlib.sha256).digest()).decode()


@dataclass
class FakePayPal:
    tokens: set[str] = field(default_factory=set)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    captures: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_request_id: dict[str, tuple[int, Any]] = field(default_factory=dict)
    decline: set[str] = field(default_factory=set)  # order ids whose capture is declined
    capture_calls: int = 0
    url: str = ""

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/oauth2/token", self._token, methods=["POST"]),
                Route("/v2/checkout/orders", self._create, methods=["POST"]),
                Route("/v2/checkout/orders/{oid}", self._get, methods=["GET"]),
                Route("/v2/checkout/orders/{oid}/capture", self._capture, methods=["POST"]),
                Route("/v2/payments/captures/{cid}/refund", self._refund, methods=["POST"]),
                Route("/v1/notifications/verify-webhook-signature", self._verify, methods=["POST"]),
            ]
        )

    # --- the payer, and PayPal's webhooks ------------------------------------------------

    def approve(self, order_id: str) -> None:
        self.orders[order_id]["status"] = "APPROVED"

    def webhook(
        self,
        kind: str,
        resource: dict[str, Any],
        *,
        when: datetime | None = None,
        forged: bool = False,
    ) -> tuple[dict[str, str], bytes]:
        event = {
            "id": f"WH-{secrets.token_hex(8).upper()}",
            "create_time": datetime.now(UTC).isoformat(),
            "resource_type": "checkout-order" if kind.startswith("CHECKOUT") else "capture",
            "event_type": kind,
            "summary": kind,
            "resource": resource,
        }
        stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        while True:
            transmission = secrets.token_hex(16)
            signature = _signature(transmission, stamp, WEBHOOK_ID, event)
            if forged:
                signature = base64.b64encode(secrets.token_bytes(32)).decode()
            if signature[0].isalnum():
                break
        headers = {
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": "https://api.paypal.com/v1/notifications/certs/CERT-360caa42",
            "PAYPAL-TRANSMISSION-ID": transmission,
            "PAYPAL-TRANSMISSION-SIG": signature,
            "PAYPAL-TRANSMISSION-TIME": stamp,
            "Content-Type": "application/json",
        }
        return headers, json.dumps(event).encode()

    # --- the API -------------------------------------------------------------------------

    async def _token(self, request: Request) -> Response:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = await request.form()
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
                401,
            )
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, 400)
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        return JSONResponse(
            {
                "scope": "https://uri.paypal.com/services/payments",
                "access_token": token,
                "token_type": "Bearer",
                "app_id": "APP-80W284485P519543T",
                "expires_in": 32400,
            }
        )

    async def _body(
        self, request: Request, validator: Draft7Validator | None
    ) -> dict[str, Any] | Response:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return paypal_error(401, "AUTHENTICATION_FAILURE", "Authentication failed")
        if validator is None:
            return {}
        if not request.headers.get("content-type", "").startswith("application/json"):
            return paypal_error(415, "UNSUPPORTED_MEDIA_TYPE", "Use application/json")
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return paypal_error(400, "INVALID_REQUEST", "Malformed JSON", "MALFORMED_REQUEST_JSON")
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        if errors:
            return paypal_error(
                400,
                "INVALID_REQUEST",
                "Request is not well-formed, syntactically incorrect, or violates schema.",
                *(
                    f"INVALID_PARAMETER_SYNTAX: {'/'.join(map(str, e.path))}: {e.message[:80]}"
                    for e in errors
                ),
            )
        return dict(body)

    def _replayed(self, request: Request) -> Response | None:
        request_id = request.headers.get("paypal-request-id")
        if request_id and request_id in self.by_request_id:
            status, body = self.by_request_id[request_id]
            return JSONResponse(body, status)
        return None

    def _remember(self, request: Request, status: int, body: Any) -> JSONResponse:
        request_id = request.headers.get("paypal-request-id")
        if request_id:
            self.by_request_id[request_id] = (status, body)
        return JSONResponse(body, status)

    async def _create(self, request: Request) -> Response:
        body = await self._body(request, validators().order)
        if isinstance(body, Response):
            return body
        replay = self._replayed(request)
        if replay is not None:
            return replay
        unit = body["purchase_units"][0]
        amount = unit["amount"]
        if Decimal(amount["value"]) <= 0:
            return paypal_error(422, "UNPROCESSABLE_ENTITY", "Amount", "AMOUNT_NOT_POSITIVE")
        if amount["currency_code"] == "KES":
            return paypal_error(422, "UNPROCESSABLE_ENTITY", "Currency", "CURRENCY_NOT_SUPPORTED")
        order_id = secrets.token_hex(8).upper()
        order = {
            "id": order_id,
            "intent": body["intent"],
            "status": "PAYER_ACTION_REQUIRED",
            "purchase_units": [{**unit, "reference_id": unit.get("reference_id", "default")}],
            "create_time": datetime.now(UTC).isoformat(),
            "links": [
                {
                    "href": f"{self.url}/v2/checkout/orders/{order_id}",
                    "rel": "self",
                    "method": "GET",
                },
                {
                    "href": f"https://www.sandbox.paypal.com/checkoutnow?token={order_id}",
                    "rel": "payer-action",
                    "method": "GET",
                },
            ],
        }
        self.orders[order_id] = order
        return self._remember(request, 200, order)

    async def _get(self, request: Request) -> Response:
        body = await self._body(request, None)
        if isinstance(body, Response):
            return body
        order = self.orders.get(request.path_params["oid"])
        if order is None:
            return paypal_error(404, "RESOURCE_NOT_FOUND", "Order not found", "INVALID_RESOURCE_ID")
        return JSONResponse(order)

    async def _capture(self, request: Request) -> Response:
        self.capture_calls += 1
        body = await self._body(request, validators().capture)
        if isinstance(body, Response):
            return body
        replay = self._replayed(request)
        if replay is not None:
            return replay
        order = self.orders.get(request.path_params["oid"])
        if order is None:
            return paypal_error(404, "RESOURCE_NOT_FOUND", "Order not found", "INVALID_RESOURCE_ID")
        if order["status"] == "COMPLETED":
            return paypal_error(422, "UNPROCESSABLE_ENTITY", "Order", "ORDER_ALREADY_CAPTURED")
        if order["status"] != "APPROVED":
            return paypal_error(422, "UNPROCESSABLE_ENTITY", "Order", "ORDER_NOT_APPROVED")
        if order["id"] in self.decline:
            return paypal_error(422, "UNPROCESSABLE_ENTITY", "Declined", "INSTRUMENT_DECLINED")
        unit = order["purchase_units"][0]
        capture = {
            "id": secrets.token_hex(8).upper(),
            "status": "COMPLETED",
            "amount": unit["amount"],
            "custom_id": unit.get("custom_id"),
            "final_capture": True,
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
            "refunded": "0",
        }
        self.captures[capture["id"]] = capture
        unit["payments"] = {"captures": [capture]}
        order["status"] = "COMPLETED"
        return self._remember(request, 201, order)

    async def _refund(self, request: Request) -> Response:
        body = await self._body(request, validators().refund)
        if isinstance(body, Response):
            return body
        replay = self._replayed(request)
        if replay is not None:
            return replay
        capture = self.captures.get(request.path_params["cid"])
        if capture is None:
            return paypal_error(404, "RESOURCE_NOT_FOUND", "Capture", "INVALID_RESOURCE_ID")
        left = Decimal(capture["amount"]["value"]) - Decimal(capture["refunded"])
        amount = body.get("amount") or capture["amount"]
        if amount["currency_code"] != capture["amount"]["currency_code"]:
            return paypal_error(422, "UNPROCESSABLE_ENTITY", "Currency", "REFUND_CURRENCY_MISMATCH")
        if Decimal(amount["value"]) > left:
            return paypal_error(422, "UNPROCESSABLE_ENTITY", "Refund", "REFUND_AMOUNT_EXCEEDED")
        capture["refunded"] = str(Decimal(capture["refunded"]) + Decimal(amount["value"]))
        refund = {"id": secrets.token_hex(8).upper(), "status": "COMPLETED", "amount": amount}
        return self._remember(request, 201, refund)

    async def _verify(self, request: Request) -> Response:
        body = await self._body(request, validators().verify)
        if isinstance(body, Response):
            return body
        expected = _signature(
            body["transmission_id"],
            body["transmission_time"],
            body["webhook_id"],
            body["webhook_event"],
        )
        ok = body["webhook_id"] == WEBHOOK_ID and hmac.compare_digest(
            expected, body["transmission_sig"]
        )
        return JSONResponse({"verification_status": "SUCCESS" if ok else "FAILURE"})
