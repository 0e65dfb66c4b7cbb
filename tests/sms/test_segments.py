"""Segment counts checked against the values carriers bill (and Twilio's segment calculator
shows) for the boundary cases."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier.sms.segments import GSM7_BASIC, Encoding, count_segments


@pytest.mark.parametrize(
    ("text", "encoding", "segments", "units"),
    [
        ("", Encoding.GSM7, 0, 0),
        ("a" * 160, Encoding.GSM7, 1, 160),
        ("a" * 161, Encoding.GSM7, 2, 161),
        ("a" * 306, Encoding.GSM7, 2, 306),
        ("a" * 307, Encoding.GSM7, 3, 307),
        # Extension-table characters take an escape septet each.
        ("€" * 80, Encoding.GSM7, 1, 160),
        ("€" * 81, Encoding.GSM7, 2, 162),
        ("{}[]~|^\\" * 10, Encoding.GSM7, 1, 160),
        # Accented letters of the GSM alphabet stay GSM-7 ...
        ("Karibu! Café à Zürich: Niño £5 @ 10:00", Encoding.GSM7, 1, 38),
        # ... one character outside it turns the whole message into UCS-2.
        ("a" * 69 + "ç", Encoding.UCS2, 1, 70),
        ("a" * 70 + "ç", Encoding.UCS2, 2, 71),
        ("ж" * 134, Encoding.UCS2, 2, 134),
        ("ж" * 135, Encoding.UCS2, 3, 135),
        ("Hello! 👍", Encoding.UCS2, 1, 9),
        ("👍" * 35, Encoding.UCS2, 1, 70),
        ("👍" * 36, Encoding.UCS2, 2, 72),
    ],
)
def test_known_segment_counts(text: str, encoding: Encoding, segments: int, units: int) -> None:
    info = count_segments(text)
    assert (info.encoding, info.segments, info.units) == (encoding, segments, units)


def test_emoji_surrogate_pairs_are_never_split_across_parts() -> None:
    # 67 emoji are 134 UTF-16 units: two parts of 67 by arithmetic, but a part only holds
    # 33 whole emoji (66 units), so carriers send three.
    assert count_segments("👍" * 67).segments == 3


def test_an_escape_pair_is_never_split_across_parts() -> None:
    # 152 septets, then € (ESC + e) does not fit in the first part's 153.
    text = "a" * 152 + "€" * 77
    assert count_segments(text).units == 306
    assert count_segments(text).segments == 3


def test_swahili_text_is_plain_gsm() -> None:
    text = "Chumba chako kiko tayari. Karibu sana katika Premier Hotel!"
    assert count_segments(text).encoding is Encoding.GSM7


GSM_BASIC_TEXT = st.text(alphabet=sorted(GSM7_BASIC), max_size=700)
BMP_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x400, max_codepoint=0x4FF), min_size=1, max_size=400
)


@given(GSM_BASIC_TEXT)
def test_plain_gsm_text_follows_160_then_153(text: str) -> None:
    info = count_segments(text)
    expected = 0 if not text else 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert (info.encoding, info.segments) == (Encoding.GSM7, expected)


@given(BMP_TEXT)
def test_ucs2_text_follows_70_then_67(text: str) -> None:
    info = count_segments(text)
    expected = 0 if not text else 1 if len(text) <= 70 else math.ceil(len(text) / 67)
    assert (info.encoding, info.segments) == (Encoding.UCS2, expected)
