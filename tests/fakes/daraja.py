"""A fake Safaricom Daraja (OAuth, STK Push, STK query) that refuses what PROVIDERS.md
section 1 says Daraja refuses: a missing or wrong Basic/Bearer credential, a body that is not
JSON, a wrong Password (base64 of shortcode + passkey + the request's own Timestamp), a
phone not in 2547/2541 form, an amount outside 1-250,000 whole shillings, an
AccountReference over 12 or a TransactionDesc over 13 characters. Errors use Daraja's shape
`{requestId, errorCode, errorMessage}`; the query answers `500.001.1001` while a payment is
still being processed. Tests decide each prompt's outcome (`settle`) and build the callback
Daraja would post (`callback_body`)."""

import asyncio
import base64
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CONSUMER_KEY = "fake-consumer-key"
CONSUMER_SECRET = "fake-consumer-secret"
SHORTCODE = "174379"
PASSKEY = "fake-passkey-bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
MSISDN = re.compile(r"^254[17]\d{8}$")
REQUIRED = (
    "BusinessShortCode",
    "Password",
    "Timestamp",
    "TransactionType",
    "Amount",
    "PartyA",
    "PartyB",
    "PhoneNumber",
    "CallBackURL",
    "AccountReference",
)


def daraja_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"requestId": secrets.token_hex(8), "errorCode": code, "errorMessage": message}, status
    )


@dataclass
class FakeDaraja:
    tokens: set[str] = field(default_factory=set)
    token_requests: int = 0
    pushes: list[dict[str, Any]] = field(default_factory=list)
    queries: int = 0
    # CheckoutRequestID -> result code once the customer acted (absent: still processing).
    results: dict[str, str] = field(default_factory=dict)
    # Canned answers to the next pushes: an HTTP status, or "hang" (accepted, no answer).
    push_failures: list[int | str] = field(default_factory=list)
    hang_seconds: float = 4.0  # longer than the adapter's timeout in the tests
    url: str = ""

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/oauth/v1/generate", self._token, methods=["GET"]),
                Route("/mpesa/stkpush/v1/processrequest", self._push, methods=["POST"]),
                Route("/mpesa/stkpushquery/v1/query", self._query, methods=["POST"]),
            ]
        )

    # --- what the customer does -----------------------------------------------------

    def settle(self, checkout_id: str, code: str) -> None:
        self.results[checkout_id] = code

    def callback_body(self, checkout_id: str, code: str, *, amount: float | None = None) -> bytes:
        push = next(p for p in self.pushes if p["CheckoutRequestID"] == checkout_id)
        callback: dict[str, Any] = {
            "MerchantRequestID": push["MerchantRequestID"],
            "CheckoutRequestID": checkout_id,
            "ResultCode": int(code),
            "ResultDesc": "The service request is processed successfully."
            if code == "0"
            else "Request cancelled by user",
        }
        if code == "0":
            callback["CallbackMetadata"] = {
                "Item": [
                    {
                        "Name": "Amount",
                        "Value": float(amount if amount is not None else push["Amount"]),
                    },
                    {"Name": "MpesaReceiptNumber", "Value": "NLJ7RT61SV"},
                    {"Name": "Balance"},
                    {"Name": "TransactionDate", "Value": 20191219102115},
                    {"Name": "PhoneNumber", "Value": int(push["PhoneNumber"])},
                ]
            }
        return json.dumps({"Body": {"stkCallback": callback}}).encode()

    # --- the API ---------------------------------------------------------------------

    async def _token(self, request: Request) -> Response:
        self.token_requests += 1
        expected = base64.b64encode(f"{CONSUMER_KEY}:{CONSUMER_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return daraja_error(400, "400.008.01", "Invalid Authentication passed")
        if request.query_params.get("grant_type") != "client_credentials":
            return daraja_error(400, "400.008.02", "Invalid grant type passed")
        token = secrets.token_urlsafe(20)
        self.tokens.add(token)
        return JSONResponse({"access_token": token, "expires_in": "3599"})

    async def _checked(self, request: Request) -> dict[str, Any] | Response:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
            return daraja_error(404, "404.001.03", "Invalid Access Token")
        if not request.headers.get("content-type", "").startswith("application/json"):
            return daraja_error(400, "400.002.02", "Bad Request - Invalid Content Type")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return daraja_error(400, "400.002.02", "Bad Request - Invalid JSON")
        if str(body.get("BusinessShortCode")) != SHORTCODE:
            return daraja_error(400, "400.002.02", "Bad Request - Invalid BusinessShortCode")
        stamp = str(body.get("Timestamp", ""))
        try:
            datetime.strptime(stamp, "%Y%m%d%H%M%S")
        except ValueError:
            return daraja_error(400, "400.002.02", "Bad Request - Invalid Timestamp")
        password = base64.b64encode(f"{SHORTCODE}{PASSKEY}{stamp}".encode()).decode()
        if body.get("Password") != password:
            return daraja_error(500, "500.001.1001", "Wrong credentials")
        return dict(body)

    async def _push(self, request: Request) -> Response:
        body = await self._checked(request)
        if isinstance(body, Response):
            return body
        for name in REQUIRED:
            if body.get(name) in (None, ""):
                return daraja_error(400, "400.002.02", f"Bad Request - Invalid {name}")
        if body["TransactionType"] not in ("CustomerPayBillOnline", "CustomerBuyGoodsOnline"):
            return daraja_error(400, "400.002.02", "Bad Request - Invalid TransactionType")
        amount = body["Amount"]
        if (
            isinstance(amount, float)
            or not str(amount).isdigit()
            or not 1 <= int(amount) <= 250_000
        ):
            return daraja_error(400, "400.002.02", "Bad Request - Invalid Amount")
        for name in ("PartyA", "PhoneNumber"):
            if not MSISDN.match(str(body[name])):
                return daraja_error(400, "400.002.02", f"Bad Request - Invalid {name}")
        if not str(body["CallBackURL"]).startswith("https://"):
            return daraja_error(400, "400.002.02", "Bad Request - Invalid CallBackURL")
        if len(str(body["AccountReference"])) > 12:
            return daraja_error(400, "400.002.02", "Bad Request - Invalid AccountReference")
        if len(str(body.get("TransactionDesc", ""))) > 13:
            return daraja_error(400, "400.002.02", "Bad Request - Invalid TransactionDesc")
        push = {
            **body,
            "MerchantRequestID": f"29115-{secrets.randbelow(10**8)}-1",
            "CheckoutRequestID": f"ws_CO_{secrets.token_hex(10)}",
        }
        failure = self.push_failures.pop(0) if self.push_failures else None
        if failure == "hang":
            self.pushes.append(push)  # the prompt went out; the answer never comes back
            await asyncio.sleep(self.hang_seconds)
            return daraja_error(500, "500.003.1001", "Internal Server Error")
        if isinstance(failure, int):
            return daraja_error(failure, "500.003.02", "System is busy")
        self.pushes.append(push)
        return JSONResponse(
            {
                "MerchantRequestID": push["MerchantRequestID"],
                "CheckoutRequestID": push["CheckoutRequestID"],
                "ResponseCode": "0",
                "ResponseDescription": "Success. Request accepted for processing",
                "CustomerMessage": "Success. Request accepted for processing",
            }
        )

    async def _query(self, request: Request) -> Response:
        self.queries += 1
        body = await self._checked(request)
        if isinstance(body, Response):
            return body
        checkout_id = str(body.get("CheckoutRequestID") or "")
        code = self.results.get(checkout_id)
        if code is None:
            return daraja_error(500, "500.001.1001", "The transaction is being processed")
        push = next(p for p in self.pushes if p["CheckoutRequestID"] == checkout_id)
        return JSONResponse(
            {
                "ResponseCode": "0",
                "ResponseDescription": "The service request has been accepted successfully",
                "MerchantRequestID": push["MerchantRequestID"],
                "CheckoutRequestID": checkout_id,
                "ResultCode": code,
                "ResultDesc": "Result",
            }
        )
