"""The API does what its OpenAPI document says, by every check schemathesis has.

Run as a client generated from the document would be: the schemathesis command line with
`--checks all`, 10 examples an operation, signed in as an admin, against a served copy
with the demo hotel. It fails on an undocumented status code, a response that does not
match its schema, a schema-valid request refused by a rule the document does not state
(except the rules `schemathesis.toml` names, which no JSON Schema can state), a schema-
violating request accepted, a wrong answer to an undeclared method, and a server error.
"""

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from premier.seed import DEMO_PASSWORD
from tests.live_server import live_server

CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = "1"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("contract") / "premier.db"
    with live_server(
        f"sqlite:///{database}",
        env={
            "PREMIER_SEED_DEMO_DATA": "true",
            # Generated sign-ins and sign-ups all come from one address: let them all
            # through to the code behind the throttle.
            "PREMIER_LOGIN_ADDRESS_FREE_FAILURES": "1000000",
            "PREMIER_LOGIN_FREE_FAILURES": "1000000",
            "PREMIER_REGISTER_PER_ADDRESS_PER_HOUR": "1000000",
            "PREMIER_PASSWORD_FORGOT_PER_ADDRESS_PER_HOUR": "1000000",
        },
    ) as server:
        yield server.url


def _admin_token(served: str) -> str:
    response = httpx.post(
        f"{served}/api/v1/auth/login",
        json={"email": "admin@premier.test", "password": DEMO_PASSWORD},
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


@pytest.mark.timeout(1800)  # every operation, every check: minutes, not the usual seconds
def test_the_api_keeps_to_its_openapi_document(served: str, tmp_path: Path) -> None:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file", str(CONFIG),
        "run", f"{served}/openapi.json",
        "--checks", "all",
        "--max-examples", "10",
        "--seed", SEED,
        "--header", f"Authorization: Bearer {_admin_token(served)}",
        "--no-color",
    ]  # fmt: skip
    run = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=1800, check=False
    )
    report = run.stdout[-20_000:] + run.stderr[-5_000:]
    assert run.returncode == 0, report
    tested = re.search(r"Tested: (\d+)", report)
    assert tested is not None, report
    assert int(tested.group(1)) >= 150, "operations went missing from the document"
