"""Reading a multipart upload straight to a temporary file, counting as it arrives.

Starlette's form parser would buffer each file part up to a megabyte in memory and read
the whole body before the route could look at it. Here each chunk is hashed and written to
disk as it arrives, and reading stops at the first byte past the limit: memory stays at
one chunk per upload whatever its size. The app's body limit (premier.http.body_limit) is
set a little above this one for the upload routes, and refuses a larger declared
`Content-Length` before any of it is read.

Accepted: one file part named `file` and small text fields (`purpose`); anything else is
refused. The client's file name is kept to be shown, never to name a stored object.
"""

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from premier.kit.errors import InvalidInput
from premier.uploads.errors import too_large

FIELD_MAX_BYTES = 1024
MAX_PARTS = 8
# The form fields besides the file, as the OpenAPI document lists them.
FORM_FIELDS = frozenset({"purpose"})


@dataclass
class ReceivedFile:
    path: Path
    filename: str | None
    size: int
    sha256: str
    fields: dict[str, str] = field(default_factory=dict)


class _Collector:
    def __init__(self, directory: Path, limit: int) -> None:
        self.directory = directory
        self.limit = limit
        self.fields: dict[str, str] = {}
        self.parts = 0
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.filename: str | None = None
        self.is_file = False
        self.value = bytearray()
        self.file: IO[bytes] | None = None
        self.path: Path | None = None
        self.size = 0
        self.digest = hashlib.sha256()
        self.seen_file = False
        self.got_filename: str | None = None

    # python-multipart's callbacks -------------------------------------------------------
    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise InvalidInput("too many parts in the upload form")
        self.headers = {}
        self.value = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field = b""
        self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw_name = options.get(b"filename")
        self.is_file = raw_name is not None
        if not self.is_file and self.name not in FORM_FIELDS:
            raise InvalidInput(
                f"unknown form field {self.name!r}; an upload takes 'file' and 'purpose'"
            )
        if self.is_file:
            if self.name != "file" or self.seen_file:
                raise InvalidInput("send one file, in the form field 'file'")
            self.seen_file = True
            self.got_filename = (raw_name or b"").decode("utf-8", "replace")
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finish()
                dir=self.directory, prefix="upload-", delete=False
            )
            self.file = handle
            self.path = Path(handle.name)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.is_file:
            assert self.file is not None
            self.size += len(chunk)
            if self.size > self.limit:
                raise too_large(self.limit)
            self.digest.update(chunk)
            self.file.write(chunk)
        else:
            self.value += chunk
            if len(self.value) > FIELD_MAX_BYTES:
                raise InvalidInput(f"the form field {self.name!r} is too long")

    def on_part_end(self) -> None:
        if self.is_file:
            assert self.file is not None
            self.file.close()
        elif self.name:
            self.fields[self.name] = self.value.decode("utf-8", "replace")


async def receive_upload(request: Request, *, directory: Path, limit: int) -> ReceivedFile:
    """The upload's file on disk in `directory` (the caller removes the directory)."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidInput("send the file as multipart/form-data, in the form field 'file'")
    collector = _Collector(directory, limit)
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
            "on_part_end",
        )
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except ClientDisconnect:
        raise InvalidInput("the upload was interrupted") from None
    except ValueError as exc:  # python-multipart's parse errors derive from ValueError
        raise InvalidInput(f"the upload form could not be read: {exc}") from None
    finally:
        if collector.file is not None and not collector.file.closed:
            collector.file.close()
    if collector.path is None:
        raise InvalidInput("send the file in the form field 'file'")
    return ReceivedFile(
        path=collector.path,
        filename=collector.got_filename,
        size=collector.size,
        sha256=collector.digest.hexdigest(),
        fields=collector.fields,
    )
