"""The stylesheet is well formed: one unclosed rule nests every rule after it inside it, and
the browser then applies none of them (it has happened twice, both times in a merge)."""

import re
from pathlib import Path

STYLES = Path(__file__).resolve().parents[2] / "web" / "src" / "styles.css"


def test_every_rule_of_the_stylesheet_is_closed() -> None:
    text = re.sub(r"/\*.*?\*/", "", STYLES.read_text(), flags=re.S)
    opened: list[int] = []
    for number, line in enumerate(text.split("\n"), 1):
        for char in line:
            if char == "{":
                opened.append(number)
            elif char == "}":
                assert opened, f"line {number} closes a rule that was never opened"
                opened.pop()
    assert not opened, f"rules opened on lines {opened} are never closed"
