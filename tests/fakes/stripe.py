"""A fake Stripe API for the official `stripe` package (its base URL pointed here).

Responses are Stripe's own canonical example objects (`../shared/provider-specs/
stripe_fixtures3.json`) with the request's values filled in. It refuses what Stripe
refuses: a missing or wrong secret key (401), a Checkout Session without `mode`,
`success_url` or a well-formed line item (400 `parameter_missing` / `parameter_invalid_
integer`), an `Idempotency-Key` reused with different parameters (400 `idempotency_error`),
a refund of more than is left (400 `amount_too_large`). A repeated request with the same
key gets the first answer, as Stripe's idempotency promises. Webhooks are signed as Stripe
signs them: `t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload" with the endpoint secret>`."""

import copy
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.server import shared_file

SECRET_KEY = "sk_test_fake_0123456789abcdef"
WEBHOOK_SECRET = "whsec_fake_0123456789abcdef"


def fixtures() -> dict[str, Any]:
    resources: dict[str, Any] = json.loads(
        shared_file("provider-specs/stripe_fixtures3.json").read_text()
    )["resources"]
    return resources


def stripe_error(status: int, kind: str, message: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message, "code": code}}, status)


def sign(payload: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


@dataclass
class FakeStripe:
    resources: dict[str, Any] = field(default_factory=fixtures)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> captured, refunded
    idempotent: dict[str, tuple[str, int, Any]] = field(default_factory=dict)
    failures: list[int] = field(default_factory=list)  # statuses for the next creates
    creates: int = 0
    url: str = ""

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/checkout/sessions", self._create_session, methods=["POST"]),
                Route("/v1/checkout/sessions/{sid}", self._get_session, methods=["GET"]),
                Route("/v1/refunds", self._refund, methods=["POST"]),
            ]
        )

    # --- what happens on Stripe's page -------------------------------------------------

    def pay(self, session_id: str) -> None:
        session = self.sessions[session_id]
        intent = f"pi_{secrets.token_hex(12)}"
        session.update(status="complete", payment_status="paid", payment_intent=intent)
        self.intents[intent] = {
            "amount": session["amount_total"],
            "refunded": 0,
            "currency": session["currency"],
            "session": session_id,
        }

    def expire(self, session_id: str) -> None:
        self.sessions[session_id].update(status="expired")

    def event(self, kind: str, obj: dict[str, Any], *, created: int | None = None) -> bytes:
        event = copy.deepcopy(self.resources["event"])
        event.update(
            id=f"evt_{secrets.token_hex(12)}",
            type=kind,
            created=created or int(time.time()),
            data={"object": obj},
        )
        return json.dumps(event).encode()

    def session_event(self, kind: str, session_id: str, **changes: Any) -> bytes:
        return self.event(kind, {**self.sessions[session_id], **changes})

    def intent_failed_event(self, session_id: str, message: str) -> bytes:
        session = self.sessions[session_id]
        intent = copy.deepcopy(self.resources["payment_intent"])
        intent.update(
            id=f"pi_{secrets.token_hex(12)}",
            amount=session["amount_total"],
            currency=session["currency"],
            status="requires_payment_method",
            metadata=session["metadata"],
            last_payment_error={
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": message,
            },
        )
        return self.event("payment_intent.payment_failed", intent)

    # --- the API -----------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {SECRET_KEY}"

    async def _form(self, request: Request) -> dict[str, str]:
        form = await request.form()
        return {key: str(value) for key, value in form.items()}

    def _replay(self, request: Request, form: dict[str, str]) -> Response | None:
        key = request.headers.get("idempotency-key")
        if key is None or key not in self.idempotent:
            return None
        fingerprint, status, body = self.idempotent[key]
        if fingerprint != json.dumps(form, sort_keys=True):
            return stripe_error(
                400,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same "
                "parameters they were first used with.",
            )
        return JSONResponse(body, status, headers={"Idempotent-Replayed": "true"})

    def _remember(self, request: Request, form: dict[str, str], status: int, body: Any) -> None:
        key = request.headers.get("idempotency-key")
        if key is not None:
            self.idempotent[key] = (json.dumps(form, sort_keys=True), status, body)

    async def _create_session(self, request: Request) -> Response:
        if not self._authorised(request):
            return stripe_error(401, "invalid_request_error", "Invalid API Key provided")
        form = await self._form(request)
        replay = self._replay(request, form)
        if replay is not None:
            return replay
        self.creates += 1
        if self.failures:
            return stripe_error(self.failures.pop(0), "api_error", "Something went wrong")
        for name in (
            "mode",
            "success_url",
            "line_items[0][quantity]",
            "line_items[0][price_data][currency]",
            "line_items[0][price_data][unit_amount]",
            "line_items[0][price_data][product_data][name]",
        ):
            if not form.get(name):
                return stripe_error(
                    400,
                    "invalid_request_error",
                    f"Missing required param: {name}.",
                    "parameter_missing",
                )
        amount = form["line_items[0][price_data][unit_amount]"]
        if not amount.isdigit() or int(amount) < 1:
            return stripe_error(
                400,
                "invalid_request_error",
                "Invalid integer: " + amount,
                "parameter_invalid_integer",
            )
        if any(key.startswith(("card", "payment_method_data[card]")) for key in form):
            return stripe_error(
                400,
                "invalid_request_error",
                "Sending card numbers directly to the Stripe API is generally unsafe.",
            )
        session = copy.deepcopy(self.resources["checkout.session"])
        sid = f"cs_test_{secrets.token_hex(16)}"
        quantity = int(form["line_items[0][quantity]"])
        session.update(
            id=sid,
            mode=form["mode"],
            amount_total=int(amount) * quantity,
            amount_subtotal=int(amount) * quantity,
            currency=form["line_items[0][price_data][currency]"],
            client_reference_id=form.get("client_reference_id"),
            customer_email=form.get("customer_email"),
            metadata={
                key[9:-1]: value for key, value in form.items() if key.startswith("metadata[")
            },
            success_url=form["success_url"],
            cancel_url=form.get("cancel_url"),
            status="open",
            payment_status="unpaid",
            payment_intent=None,
            url=f"https://checkout.stripe.com/c/pay/{sid}",
        )
        self.sessions[sid] = session
        self._remember(request, form, 200, session)
        return JSONResponse(session)

    async def _get_session(self, request: Request) -> Response:
        if not self._authorised(request):
            return stripe_error(401, "invalid_request_error", "Invalid API Key provided")
        session = self.sessions.get(request.path_params["sid"])
        if session is None:
            return stripe_error(
                404, "invalid_request_error", "No such checkout.session", "resource_missing"
            )
        return JSONResponse(session)

    async def _refund(self, request: Request) -> Response:
        if not self._authorised(request):
            return stripe_error(401, "invalid_request_error", "Invalid API Key provided")
        form = await self._form(request)
        replay = self._replay(request, form)
        if replay is not None:
            return replay
        intent = self.intents.get(form.get("payment_intent", ""))
        if intent is None:
            return stripe_error(
                400, "invalid_request_error", "No such payment_intent", "resource_missing"
            )
        left = intent["amount"] - intent["refunded"]
        amount = int(form.get("amount") or left)
        if amount > left:
            return stripe_error(
                400,
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                "amount_too_large",
            )
        intent["refunded"] += amount
        refund = copy.deepcopy(self.resources["refund"])
        refund.update(
            id=f"re_{secrets.token_hex(12)}",
            amount=amount,
            currency=intent["currency"],
            payment_intent=form["payment_intent"],
            status="succeeded",
        )
        self._remember(request, form, 200, refund)
        return JSONResponse(refund)
