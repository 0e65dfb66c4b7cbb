"""A fake Africa's Talking SMS API following `../shared/PROVIDERS.md` section 4: form-encoded
sends with `apiKey` header and `username` field, HTTP 201 with per-recipient status codes,
plain-text HTTP errors, form-encoded delivery reports and opt-out callbacks."""

import asyncio
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.server import serve

USERNAME = "sandbox"
API_KEY = "fake-at-api-key"
INTERNATIONAL = re.compile(r"^\+[1-9]\d{6,14}$")
KNOWN_FIELDS = {"username", "to", "message", "from", "bulkSMSMode", "enqueue", "keyword",
                "linkId", "retryDurationInHours"}  # fmt: skip
NAMES = {100: "Processed", 101: "Sent", 102: "Queued", 403: "InvalidPhoneNumber",
         405: "InsufficientBalance", 406: "UserInBlacklist",
         500: "InternalServerError"}  # fmt: skip


@dataclass
class FakeAfricasTalking:
    username: str = USERNAME
    api_key: str = API_KEY
    price_per_part: str = "0.8000"
    messages: list[dict[str, str]] = field(default_factory=list)
    blacklisted: set[str] = field(default_factory=set)
    # Numbers the network says do not exist, though they parse (403 InvalidPhoneNumber).
    unknown_numbers: set[str] = field(default_factory=set)
    balance_exhausted: bool = False
    # Plain HTTP failures answered (in order) before normal service resumes.
    outages: list[int] = field(default_factory=list)
    requests: int = 0
    # Answer this late (after accepting the message), to exercise client timeouts.
    delay_seconds: float = 0.0
    url: str = ""

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/version1/messaging", self._send, methods=["POST"])])

    async def _send(self, request: Request) -> Response:
        self.requests += 1
        if self.outages:
            status = self.outages.pop(0)
            return PlainTextResponse("Internal Server Error", status)
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return PlainTextResponse("Request is missing required form field 'username'", 400)
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        if request.headers.get("apikey") != self.api_key or form.get("username") != self.username:
            return PlainTextResponse("The supplied authentication is invalid", 401)
        if request.headers.get("accept") != "application/json":
            return PlainTextResponse("<xml>only XML without Accept: application/json</xml>", 400)
        unknown = set(form) - KNOWN_FIELDS
        missing = [name for name in ("to", "message") if not form.get(name)]
        if unknown or missing:
            return PlainTextResponse(f"Request is missing required form field {missing}", 400)
        recipients = [self._recipient(number.strip(), form) for number in form["to"].split(",")]
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        accepted = [r for r in recipients if r["statusCode"] in (100, 101, 102)]
        return JSONResponse(
            {"SMSMessageData": {
                "Message": f"Sent to {len(accepted)}/{len(recipients)} Total Cost: KES "
                           f"{float(self.price_per_part) * len(accepted):.4f}",
                "Recipients": recipients,
            }},
            201,
        )  # fmt: skip

    def _recipient(self, number: str, form: dict[str, str]) -> dict[str, object]:
        if not INTERNATIONAL.match(number) or number in self.unknown_numbers:
            code = 403
        elif number in self.blacklisted:
            code = 406
        elif self.balance_exhausted:
            code = 405
        else:
            code = 101
        if code != 101:
            return {"statusCode": code, "number": number, "status": NAMES[code], "cost": "0",
                    "messageId": "None"}  # fmt: skip
        message_id = "ATXid_" + secrets.token_hex(8)
        self.messages.append({**form, "to": number, "messageId": message_id})
        return {"statusCode": code, "number": number, "status": "Success",
                "cost": f"KES {self.price_per_part}", "messageId": message_id}  # fmt: skip

    # --- what Africa's Talking sends to us ------------------------------------------------

    def delivery_report(
        self, message_id: str, status: str, reason: str | None = None
    ) -> dict[str, str]:
        message = next(m for m in self.messages if m["messageId"] == message_id)
        report = {"id": message_id, "status": status, "phoneNumber": message["to"],
                  "networkCode": "99999", "retryCount": "0"}  # fmt: skip
        if reason:
            report["failureReason"] = reason
        return report

    @staticmethod
    def optout(phone: str, sender_id: str = "PREMIER") -> dict[str, str]:
        return {"senderId": sender_id, "phoneNumber": phone}


@contextmanager
def running_fake_africastalking() -> Iterator[FakeAfricasTalking]:
    fake = FakeAfricasTalking()
    with serve(fake.app()) as url:
        fake.url = url
        yield fake
