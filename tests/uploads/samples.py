"""Files to upload: real images made with Pillow, and files that pretend to be images."""

import io
import struct
import zipfile
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg(
    width: int = 64, height: int = 48, *, orientation: int | None = None, gps: bool = False
) -> bytes:
    """A JPEG, optionally with an EXIF orientation and a GPS position."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    for x in range(width // 2):  # a mark in the top-left quarter, to see the rotation
        for y in range(height // 2):
            image.putpixel((x, y), (20, 20, 220))
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif[0x010F] = "PhoneMaker"  # camera make
        exif.get_ifd(GPS_IFD).update({1: "S", 2: (1.0, 17.0, 30.0), 3: "E", 4: (36.0, 49.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def png(width: int = 40, height: int = 30, *, mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 120, 10, 128)[: len(mode)]).save(out, "PNG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (20, 20), 3).save(out, "GIF")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (1, 2, 3)).save(out, "WEBP")
    return out.getvalue()


def pixel_flood_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares a huge image (10 gigapixels here)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    whole = jpeg(400, 300)
    return whole[: len(whole) // 2]


def elf_executable() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x90" * 2000


def zip_bomb() -> bytes:
    """A small zip that would inflate to 200 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"\x00" * 200_000_000)
    return out.getvalue()


def svg() -> bytes:
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )


def polyglot_jpeg() -> bytes:
    """A real JPEG that is also an HTML page and carries a zip after its end."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.sh", b"rm -rf /")
    html = b"<html><script>alert(1)</script></html>"
    image = jpeg(32, 32)
    # The HTML rides in a comment segment right after the SOI marker.
    comment = b"\xff\xfe" + struct.pack(">H", len(html) + 2) + html
    return image[:2] + comment + image[2:] + out.getvalue()


def pdf(padding: int = 0) -> bytes:
    objects = [
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n",
    ]
    body = b"%PDF-1.7\n" + b"%" + b"x" * padding + b"\n" + b"".join(objects)
    xref_at = len(body)
    return body + b"xref\n0 3\ntrailer << /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
