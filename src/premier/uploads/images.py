"""The image pipeline: what the bytes are decides the type; what is stored is re-encoded.

- The type is what Pillow finds in the content, among JPEG, PNG, WebP and GIF only; the
  client's content type and file name are not consulted. SVG (script in an image) and
  every other format are refused.
- The declared width x height is checked before anything is decoded, so a pixel flood (a
  small PNG declaring 100,000 x 100,000) costs nothing. Pillow's own decompression-bomb
  guard stays on behind it. A truncated or damaged file fails to decode and is refused.
- The stored original is decoded and encoded again, after the EXIF orientation is applied:
  no EXIF (GPS position, camera serial), XMP, comments or trailing bytes survive, and a
  polyglot (an image that is also HTML, a ZIP or a script) loses everything that is not
  pixels. The ICC colour profile is kept. An animated GIF keeps its first frame.
- Variants are WebP, fitted within 320, 960 and 1920 pixels, never enlarged; each is made
  from the next larger one.

This is CPU work: `ImageWorkers` runs it on a bounded thread pool (Pillow releases the GIL
while it decodes, resizes and encodes), at most `image_workers` images at once, so the
memory it takes is bounded by that number times the largest image allowed.
"""

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PIL import Image, ImageOps, UnidentifiedImageError

from premier.storage.protocol import VARIANTS
from premier.uploads.errors import BadImage, not_an_image

# Pillow format -> (content type, file extension).
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
VARIANT_QUALITY = 80
# libwebp's fastest method: a few percent larger files than its default (4) at the same
# quality, for a fraction of the encoding time, which otherwise dominates the pipeline.
VARIANT_METHOD = 0
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    content_type: str
    extension: str
    width: int
    height: int
    original: Path
    variants: dict[str, Path] = field(default_factory=dict)


def process_image(
    source: Path, out_dir: Path, *, max_pixels: int, make_variants: bool = True
) -> ProcessedImage:
    """Check, clean and resize one image; files are written into `out_dir`."""
    try:
        image = Image.open(source, formats=list(FORMATS))
    except Image.DecompressionBombError:
        raise _too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image() from None
    with image:
        kind = image.format or ""
        if kind not in FORMATS:
            raise not_an_image()
        width, height = image.size
        if width < 1 or height < 1 or width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        try:
            image.seek(0)
            image.load()
            upright = ImageOps.exif_transpose(image) or image
        except Image.DecompressionBombError:
            raise _too_many_pixels(max_pixels) from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError):
            raise BadImage("The image is damaged or incomplete and could not be read") from None
        icc = image.info.get("icc_profile")
    # Encoders copy comments, XMP and EXIF from `info` unless told otherwise: keep only
    # what drawing the pixels needs.
    upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
    content_type, extension = FORMATS[kind]
    original = out_dir / f"original.{extension}"
    _save_original(upright, original, kind, icc)
    variants: dict[str, Path] = {}
    if make_variants:
        variants = _make_variants(upright, out_dir, icc)
    return ProcessedImage(
        content_type=content_type,
        extension=extension,
        width=upright.width,
        height=upright.height,
        original=original,
        variants=variants,
    )


def _too_many_pixels(max_pixels: int) -> BadImage:
    return BadImage(
        f"The image has too many pixels: at most {max_pixels / 1_000_000:g} megapixels",
        details={"max_pixels": max_pixels},
    )


def _save_original(image: Image.Image, target: Path, kind: str, icc: object) -> None:
    extra: dict[str, object] = {"icc_profile": icc} if isinstance(icc, bytes) else {}
    if kind == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(target, "JPEG", quality=90, **extra)
    elif kind == "PNG":
        image.save(target, "PNG", compress_level=6, **extra)
    elif kind == "WEBP":
        image.save(target, "WEBP", quality=90, **extra)
    else:
        image.save(target, "GIF")


def _make_variants(image: Image.Image, out_dir: Path, icc: object) -> dict[str, Path]:
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    extra: dict[str, object] = {"icc_profile": icc} if isinstance(icc, bytes) else {}
    made: dict[str, Path] = {}
    current = image
    for variant in sorted(VARIANTS, key=lambda v: v.size, reverse=True):
        if max(current.size) > variant.size:
            current = current.copy() if current is image else current
            current.thumbnail((variant.size, variant.size), Image.Resampling.LANCZOS, 2.0)
        target = out_dir / f"{variant.name}.webp"
        current.save(target, "WEBP", quality=VARIANT_QUALITY, method=VARIANT_METHOD, **extra)
        made[variant.name] = target
    return made


class ImageWorkers:
    """At most `concurrency` images in work at once, each on a thread of its own pool."""

    def __init__(self, concurrency: int) -> None:
        self.concurrency = concurrency
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="image")
        self._slots = asyncio.Semaphore(concurrency)

    async def run(self, work: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        async with self._slots:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, functools.partial(work, *args, **kwargs))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
