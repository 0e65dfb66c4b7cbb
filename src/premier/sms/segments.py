"""Exact SMS segment counting, the way handsets and carriers split messages.

A message that fits the GSM 03.38 alphabet travels as 7-bit septets: 160 in a single SMS,
153 per part once it needs a concatenation header (the 6-byte UDH eats 7 septets).
Characters from the extension table (`^{}\\[~]|€` and form feed) take two septets (ESC +
char) and the pair is never split across parts. Anything else forces UCS-2 for the whole
message: 70 UTF-16 code units in one SMS, 67 per part; characters outside the BMP (most
emoji) are surrogate pairs, two units that are never split across parts.
"""

from dataclasses import dataclass
from enum import StrEnum

# GSM 03.38 basic character set (the default alphabet, 128 positions).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each costs an escape septet plus itself.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


class Encoding(StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    encoding: Encoding
    segments: int
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    per_segment: int  # capacity of one part at this length


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _unit_sizes(text: str, encoding: Encoding) -> list[int]:
    """Size of each character in units; a character is never split across parts."""
    if encoding is Encoding.GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _pack(sizes: list[int], capacity: int) -> int:
    parts, used = 1, 0
    for size in sizes:
        if used + size > capacity:
            parts += 1
            used = 0
        used += size
    return parts


def count_segments(text: str) -> SegmentInfo:
    encoding = Encoding.GSM7 if is_gsm7(text) else Encoding.UCS2
    single, part = (
        (GSM7_SINGLE, GSM7_PART) if encoding is Encoding.GSM7 else (UCS2_SINGLE, UCS2_PART)
    )
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units <= single:
        return SegmentInfo(encoding, 1 if text else 0, units, single)
    return SegmentInfo(encoding, _pack(sizes, part), units, part)
