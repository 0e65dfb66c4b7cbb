"""A fake Cloudinary Upload API following `../shared/PROVIDERS.md` §6.

`POST /v1_1/{cloud}/{resource_type}/upload` and `/destroy`, multipart or urlencoded. The
request signature is checked as Cloudinary documents it: every parameter except `file`,
`cloud_name`, `resource_type`, `api_key` (and `signature` itself), sorted by name, joined as
`name=value` with `&` (array values joined with commas; a `&` inside a value escaped as
`%26`), the API secret appended, hex SHA-1 or SHA-256. A wrong or missing signature, an
unknown key or a timestamp older than an hour is refused with 401 and
`{"error": {"message": ...}}`. Upload answers carry Cloudinary's response signature
(§6.3), and `delivery_signature_ok` checks a signed delivery URL's `s--…--` part (§6.4).
"""

import base64
import hashlib
import io
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from PIL import Image
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.server import serve, shared_file

CLOUD = "premier-test"
API_KEY = "123456789012345"
API_SECRET = "fake-cloudinary-api-secret"
UNSIGNED = {"file", "cloud_name", "resource_type", "api_key", "signature"}


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message}}, status)


@dataclass
class FakeCloudinary:
    cloud_name: str = CLOUD
    api_key: str = API_KEY
    api_secret: str = API_SECRET
    algorithm: str = "sha1"
    url: str = ""
    # (resource_type, type, public_id) -> (bytes, format, version)
    assets: dict[tuple[str, str, str], tuple[bytes, str, int]] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        shared_file("PROVIDERS.md")  # the contract this fake follows

    def digest(self, text: str) -> str:
        return hashlib.new(self.algorithm, text.encode()).hexdigest()

    def string_to_sign(self, params: dict[str, list[str]]) -> str:
        pairs = []
        for name in sorted(params):
            if name in UNSIGNED or (name.endswith("[]") and name[:-2] in UNSIGNED):
                continue
            value = ",".join(params[name])
            pairs.append(f"{name.removesuffix('[]')}={value}".replace("&", "%26"))
        return "&".join(pairs)

    async def _checked(
        self, request: Request
    ) -> tuple[dict[str, list[str]], UploadFile | None, JSONResponse | None]:
        form = await request.form()
        params: dict[str, list[str]] = {}
        upload: UploadFile | None = None
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                upload = value
            elif name == "file":
                continue
            else:
                params.setdefault(name, []).append(value)
        self.requests.append({name: ",".join(values) for name, values in params.items()})
        if request.path_params["cloud"] != self.cloud_name:
            return params, upload, error(404, "cloud_name is invalid")
        if params.get("api_key", [""])[0] != self.api_key:
            return params, upload, error(401, f"Unknown API key {params.get('api_key')}")
        try:
            timestamp = int(params.get("timestamp", ["0"])[0])
        except ValueError:
            timestamp = 0
        if timestamp < time.time() - 3600:
            return params, upload, error(401, f"Stale request - reported time is {timestamp}")
        to_sign = self.string_to_sign(params)
        expected = self.digest(to_sign + self.api_secret)
        given = params.get("signature", [""])[0]
        if given != expected:
            return (
                params,
                upload,
                error(401, f"Invalid Signature {given}. String to sign - '{to_sign}'."),
            )
        return params, upload, None

    async def upload(self, request: Request) -> JSONResponse:
        params, upload, refused = await self._checked(request)
        if refused is not None:
            return refused
        if upload is None:
            return error(400, "Missing required parameter - file")
        content = await upload.read()
        resource_type = request.path_params["resource_type"]
        kind = params.get("type", ["upload"])[0]
        public_id = params.get("public_id", [""])[0] or hashlib.sha1(content).hexdigest()[:20]
        width = height = None
        fmt = (upload.filename or "").rpartition(".")[2]
        if resource_type == "image":
            try:
                image = Image.open(io.BytesIO(content))
                width, height, fmt = image.width, image.height, (image.format or "").lower()
            except Exception:
                return error(400, "Invalid image file")
        version = int(time.time())
        self.assets[(resource_type, kind, public_id)] = (content, fmt, version)
        delivered = (
            f"res.cloudinary.com/{self.cloud_name}/{resource_type}/{kind}/v{version}/{public_id}"
        )
        return JSONResponse(
            {
                "public_id": public_id,
                "version": version,
                "signature": self.digest(
                    f"public_id={public_id}&version={version}" + self.api_secret
                ),
                "width": width,
                "height": height,
                "format": fmt,
                "resource_type": resource_type,
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "bytes": len(content),
                "type": kind,
                "etag": hashlib.md5(content).hexdigest(),
                "url": f"http://{delivered}.{fmt}",
                "secure_url": f"https://{delivered}.{fmt}",
                "original_filename": (upload.filename or "file").rpartition(".")[0],
            }
        )

    async def destroy(self, request: Request) -> JSONResponse:
        params, _, refused = await self._checked(request)
        if refused is not None:
            return refused
        key = (
            request.path_params["resource_type"],
            params.get("type", ["upload"])[0],
            params.get("public_id", [""])[0],
        )
        found = self.assets.pop(key, None)
        return JSONResponse({"result": "ok" if found else "not found"})

    def delivery_signature_ok(self, url: str) -> bool:
        """Whether a signed delivery URL's `s--SIGNATURE--` matches the rest of its path."""
        parts = unquote(urlsplit(url).path).lstrip("/").split("/")
        # {cloud}/{resource_type}/{type}/s--SIG--/{transformations…}/{public_id}.{format}
        if len(parts) < 5 or not (parts[3].startswith("s--") and parts[3].endswith("--")):
            return False
        # The version component is not signed. The package truncates to 8 characters with
        # either algorithm (32 only with its `long_url_signature`, which we do not use).
        signed = "/".join(part for part in parts[4:] if not re.fullmatch(r"v[0-9]+", part))
        length = 8
        digest = hashlib.new(self.algorithm, (signed + self.api_secret).encode()).digest()
        return parts[3][3:-2] == base64.urlsafe_b64encode(digest).decode()[:length]

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1_1/{cloud}/{resource_type}/upload", self.upload, methods=["POST"]),
                Route("/v1_1/{cloud}/{resource_type}/destroy", self.destroy, methods=["POST"]),
            ]
        )


@contextmanager
def running(fake: FakeCloudinary | None = None) -> Iterator[FakeCloudinary]:
    fake = fake or FakeCloudinary()
    with serve(fake.app()) as url:
        fake.url = url
        yield fake


def backend_settings(fake: FakeCloudinary, **overrides: Any) -> dict[str, Any]:
    """StorageSettings fields pointing the real adapter at the fake: only the base URL."""
    return {
        "backend": "cloudinary",
        "cloudinary_cloud_name": fake.cloud_name,
        "cloudinary_api_key": fake.api_key,
        "cloudinary_api_secret": fake.api_secret,
        "cloudinary_api_base_url": fake.url,
        "cloudinary_signature_algorithm": fake.algorithm,
        **overrides,
    }
