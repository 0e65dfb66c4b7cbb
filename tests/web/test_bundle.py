"""What a phone downloads before the first page shows: the app shell and the sign-in page,
compressed, and no other page's code."""

import re

import pytest

from tests.web.conftest import STATIC_INDEX

# The shell (React, the router, the API client, the header) as brotli; today about 80 KB.
FIRST_LOAD_BUDGET = 110_000


def test_the_first_load_is_the_shell_only_and_fits_its_budget() -> None:
    if not STATIC_INDEX.is_file():
        pytest.skip("the web UI is not built: run `make web`")
    page = STATIC_INDEX.read_text()
    loaded = re.findall(r'(?:src|href)="/assets/([^"]+\.(?:js|css))"', page)
    assert any(name.endswith(".js") for name in loaded)
    assets = STATIC_INDEX.parent / "assets"
    sizes = {name: (assets / f"{name}.br").stat().st_size for name in loaded}
    assert sum(sizes.values()) <= FIRST_LOAD_BUDGET, sizes
    assert not [name for name in loaded if re.match(r"[A-Z]\w*Page-", name)], loaded
    assert len(list(assets.glob("*Page-*.js"))) >= 10, "pages are chunks of their own"
