"""Files that are not images: accepted by what their content is, never by their name.

Only PDF is accepted besides images. A PDF must start with its `%PDF-1.x` / `%PDF-2.x`
header and end with a cross-reference pointer (`startxref`) and `%%EOF` within its last
kilobytes: a renamed executable, an archive (a zip bomb is one), HTML or SVG is refused.
PDFs are served as attachments (never rendered in the app's origin), which is what keeps a
PDF's own scripts out of reach; their content is not otherwise inspected.
"""

import re
import unicodedata
from pathlib import Path

PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
TAIL_BYTES = 4096
NAME_MAX = 200


def is_pdf(source: Path) -> bool:
    size = source.stat().st_size
    with source.open("rb") as file:
        head = file.read(16)
        file.seek(max(0, size - TAIL_BYTES))
        tail = file.read(TAIL_BYTES)
    return bool(PDF_HEADER.match(head)) and b"startxref" in tail and b"%%EOF" in tail


def looks_like_pdf(source: Path) -> bool:
    with source.open("rb") as file:
        return file.read(5) == b"%PDF-"


def clean_filename(raw: str | None, *, default: str = "upload") -> str:
    """The name to show and to offer on download: the last path part only, without control
    characters, in NFC, at most 200 characters. It never names a stored object."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: NAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name
        name = name[:NAME_MAX]
    return name or default


def with_extension(name: str, extension: str) -> str:
    """The shown name ends in the extension of what the file really is."""
    stem, dot, ext = name.rpartition(".")
    if dot and ext.lower() in {extension, "jpeg" if extension == "jpg" else extension}:
        return name
    return f"{stem if dot and stem else name}.{extension}"
