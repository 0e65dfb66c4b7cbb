"""A fake Twilio Messages API that checks every request against Twilio's OpenAPI description
(`../shared/provider-specs/twilio_api_v2010.json`) and answers with Twilio's error shape:
`{"code", "message", "more_info", "status"}`."""

import base64
import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from premier.sms.providers.twilio import signature as twilio_signature
from tests.fakes.server import serve, shared_file

MESSAGES_PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-twilio-auth-token"


def load_spec() -> dict[str, Any]:
    spec = json.loads(shared_file("provider-specs/twilio_api_v2010.json").read_text())
    operation = spec["paths"][MESSAGES_PATH]["post"]
    fetch = spec["paths"][MESSAGES_PATH.replace(".json", "/{Sid}.json")]["get"]
    return {
        "message_sid": next(p["schema"] for p in fetch["parameters"] if p["name"] == "Sid"),
        "account_sid": operation["parameters"][0]["schema"],
        "body": operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"],
    }


def twilio_error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message,
         "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status},
        status,
    )  # fmt: skip


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    spec: dict[str, Any] = field(default_factory=load_spec)
    messages: list[dict[str, str]] = field(default_factory=list)
    unsubscribed: set[str] = field(default_factory=set)
    # Canned failures answered (in order) before normal service resumes: (status, headers).
    outages: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    down: bool = False
    # Recipients whose message is accepted (and goes out) but answered with a 201 that
    # lacks the `sid`: a malformed success, as a broken proxy or API change could give.
    answer_without_sid: set[str] = field(default_factory=set)
    price: str | None = "-0.07900"  # what Twilio reports once it has priced a message
    requests: int = 0
    url: str = ""

    def app(self) -> Starlette:
        return Starlette(routes=[Route(
            "/2010-04-01/Accounts/{sid}/Messages.json", self._create, methods=["POST"]
        ), Route(
            "/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json", self._fetch, methods=["GET"]
        )])  # fmt: skip

    def _validate(self, sid: str, form: dict[str, str], request: Request) -> Response | None:
        sid_schema = self.spec["account_sid"]
        if not re.match(sid_schema["pattern"], sid) or len(sid) != sid_schema["maxLength"]:
            return twilio_error(
                404, 20404, f"The requested resource {request.url.path} was not found"
            )
        if not self._authorised(request, sid):
            return twilio_error(401, 20003, "Authenticate")
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return twilio_error(
                400, 20001, "Content-Type must be application/x-www-form-urlencoded"
            )
        schema = self.spec["body"]
        unknown = set(form) - set(schema["properties"])
        if unknown:
            return twilio_error(400, 20001, f"Unknown parameters: {sorted(unknown)}")
        for name in schema.get("required", []):
            if not form.get(name):
                return twilio_error(400, 21604, f"A '{name}' phone number is required.")
        for name, value in form.items():
            problem = self._check_format(name, value, schema["properties"][name])
            if problem:
                return problem
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return twilio_error(400, 21603, "A 'From' phone number is required.")
        if not (form.get("Body") or form.get("MediaUrl") or form.get("ContentSid")):
            return twilio_error(400, 21602, "Message body is required.")
        if len(form.get("Body", "")) > 1600:
            return twilio_error(400, 21617, "The concatenated message body exceeds the 1600 "
                                "character limit.")  # fmt: skip
        return None

    def _check_format(self, name: str, value: str, schema: dict[str, Any]) -> Response | None:
        fmt, pattern = schema.get("format"), schema.get("pattern")
        if fmt == "phone-number" and not E164.match(value):
            if name == "From" and not re.fullmatch(r"[A-Za-z0-9 ]{1,11}", value):
                return twilio_error(400, 21212, f"The 'From' number {value} is not valid.")
            if name != "From":
                return twilio_error(400, 21211, f"Invalid '{name}' Phone Number: {value}")
        if fmt == "uri" and urlsplit(value).scheme not in ("http", "https"):
            return twilio_error(400, 21609, f"Invalid '{name}' URL: {value}")
        if pattern and not re.match(pattern, value):
            return twilio_error(400, 20001, f"Invalid {name}: {value}")
        return None

    def _authorised(self, request: Request, sid: str) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user == sid == self.account_sid and password == self.auth_token

    async def _create(self, request: Request) -> Response:
        self.requests += 1
        if self.down:
            return twilio_error(503, 20503, "Service Unavailable")
        if self.outages:
            status, headers = self.outages.pop(0)
            response = twilio_error(status, 20429 if status == 429 else 20500, "Outage")
            response.headers.update(headers)
            return response
        sid = request.path_params["sid"]
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        problem = self._validate(sid, form, request)
        if problem is not None:
            return problem
        if form["To"] in self.unsubscribed:
            return twilio_error(400, 21610, "Attempt to send to unsubscribed recipient")
        message_sid = "SM" + secrets.token_hex(16)
        self.messages.append({**form, "sid": message_sid})
        body = form.get("Body", "")
        answer = {
            "account_sid": sid, "api_version": "2010-04-01", "body": body,
            "direction": "outbound-api", "error_code": None, "error_message": None,
            "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0", "num_segments": "1", "price": None, "price_unit": None,
            "sid": message_sid, "status": "queued", "to": form["To"],
            "uri": f"/2010-04-01/Accounts/{sid}/Messages/{message_sid}.json",
        }  # fmt: skip
        if form["To"] in self.answer_without_sid:
            del answer["sid"], answer["uri"]
        return JSONResponse(answer, 201)

    async def _fetch(self, request: Request) -> Response:
        sid, message_sid = request.path_params["sid"], request.path_params["message_sid"]
        if not self._authorised(request, sid):
            return twilio_error(401, 20003, "Authenticate")
        if not re.match(self.spec["message_sid"]["pattern"], message_sid):
            return twilio_error(
                404, 20404, f"The requested resource {request.url.path} was not found"
            )
        message = next((m for m in self.messages if m["sid"] == message_sid), None)
        if message is None:
            return twilio_error(
                404, 20404, f"The requested resource {request.url.path} was not found"
            )
        return JSONResponse(
            {
                "sid": message_sid,
                "account_sid": sid,
                "to": message["To"],
                "status": "delivered",
                "price": self.price,
                "price_unit": "USD",
                "num_segments": "1",
            }
        )

    # --- what Twilio sends to us ----------------------------------------------------------

    def signed(self, url: str, params: dict[str, str]) -> tuple[str, dict[str, str]]:
        """Body and headers of a POST Twilio would make to `url`, signed as Twilio signs."""
        signature = twilio_signature(self.auth_token, url, params.items())
        headers = {"X-Twilio-Signature": signature,
                   "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
        return urlencode(params), headers

    def status_params(self, sid: str, status: str, error_code: str | None = None) -> dict[str, str]:
        message = next(m for m in self.messages if m["sid"] == sid)
        params = {"AccountSid": self.account_sid, "MessageSid": sid, "SmsSid": sid,
                  "MessageStatus": status, "SmsStatus": status, "To": message["To"],
                  "From": message.get("From", ""), "ApiVersion": "2010-04-01"}  # fmt: skip
        if error_code:
            params["ErrorCode"] = error_code
        return params

    def inbound_params(self, sender: str, body: str, to: str = "+15005550006") -> dict[str, str]:
        sid = "SM" + secrets.token_hex(16)
        return {"AccountSid": self.account_sid, "MessageSid": sid, "SmsSid": sid, "From": sender,
                "To": to, "Body": body, "NumMedia": "0", "NumSegments": "1",
                "ApiVersion": "2010-04-01"}  # fmt: skip


@contextmanager
def running_fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    with serve(fake.app()) as url:
        fake.url = url
        yield fake
