"""Lighthouse's mobile performance score of the guest's pages (sign-in, find a room, my
bookings, room service), served by the app itself from the built web UI with the demo hotel,
in Debian's Chromium. The target is 97 or more on each.

    .venv/bin/python bench/lighthouse.py [--runs 3]

Lighthouse is kept out of the web app's dependencies: it is installed from
bench/lighthouse/package-lock.json on first use (`npm ci`). The guest is signed in the way
the browser is, by the refresh cookie of a sign-in made just before each run (each page load
spends it). Each page is measured `--runs` times and the median run is kept: Lighthouse's
simulated slow-4G phone is steady, but this machine is shared.

Writes bench/results/lighthouse.json.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers import hotel_date

from bench.drainkit import print_table, write_results
from premier.config import Settings
from premier.seed import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = TOOL / "node_modules" / ".bin" / "lighthouse"
STATIC_INDEX = Settings.model_fields["static_dir"].default / "index.html"
REPORTS = ROOT / "var" / "lighthouse"
TARGET = 97
GUEST = "guest@premier.test"
FRONT_DESK = "frontdesk@premier.test"
# (page, path, signed in as the guest)
PAGES = [
    ("sign in", "/login", False),
    ("find a room", "/rooms", True),
    ("my bookings", "/my-bookings", True),
    ("room service", "/room-service", True),
]
METRICS = {
    "first-contentful-paint": "FCP ms",
    "largest-contentful-paint": "LCP ms",
    "total-blocking-time": "TBT ms",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI ms",
}


def chromium() -> str:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not path:
        sys.exit("Lighthouse needs Debian's Chromium (apt-get install chromium)")
    return path


def install_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOL, check=True
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(folder: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PREMIER_ENVIRONMENT": "test",
        "PREMIER_DATABASE_URL": f"sqlite:///{folder / 'premier.db'}",
        "PREMIER_SECRET_KEY": "lighthouse-bench-secret-key-0123456789abcdef",
        "PREMIER_SEED_DEMO_DATA": "true",
        "PREMIER_RUN_WORKERS_IN_PROCESS": "true",
        "PREMIER_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("PREMIER_REDIS_URL", None)
    log = (folder / "server.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "premier.main:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_until_up(server: subprocess.Popen[bytes], base_url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("the server exited early")
        try:
            if httpx.get(f"{base_url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit("the server did not start within 120 s")


def headers_of(http: httpx.Client, email: str) -> dict[str, str]:
    login = http.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def guest_in_the_house(base_url: str) -> None:
    """The demo guest checked in tonight (room service shows its menu) with an order, and a
    booking to come: the pages show what a guest in the hotel sees."""
    today = hotel_date()
    with httpx.Client(base_url=base_url) as http:
        guest = headers_of(http, GUEST)
        desk = headers_of(http, FRONT_DESK)
        room_type = http.get("/api/v1/rooms/types").json()[0]["id"]
        stay = http.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(today),
                  "check_out": str(today + timedelta(days=2))},
            headers=guest,
        ).json()["id"]  # fmt: skip
        for step in ("confirm", "check-in"):
            http.post(f"/api/v1/bookings/{stay}/{step}", headers=desk).raise_for_status()
        http.post(
            "/api/v1/bookings",
            json={"room_type_id": room_type, "check_in": str(today + timedelta(days=30)),
                  "check_out": str(today + timedelta(days=32))},
            headers=guest,
        ).raise_for_status()  # fmt: skip
        dish = http.get("/api/v1/menu", headers=guest).json()[0]["id"]
        http.post(
            "/api/v1/orders",
            json={"items": [{"menu_item_id": dish, "quantity": 1}], "booking_id": stay},
            headers=guest,
        ).raise_for_status()


def refresh_cookie(base_url: str) -> str:
    """A fresh browser session of the guest: its refresh cookie, as `name=value`."""
    with httpx.Client(base_url=base_url) as http:
        login = http.post(
            "/api/v1/auth/login",
            json={"email": GUEST, "password": DEMO_PASSWORD},
            headers={"X-Requested-With": "fetch"},
        )
        login.raise_for_status()
        return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def lighthouse(url: str, chrome: str, cookie: str | None, folder: Path) -> dict[str, Any]:
    report = folder / "report.json"
    REPORTS.mkdir(parents=True, exist_ok=True)
    command = [
        str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json",
        f"--output-path={report}", "--quiet", "--chrome-flags=--headless=new --no-sandbox",
    ]  # fmt: skip
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    # On a busy machine Lighthouse now and then loses its trace (NO_NAVSTART) and asks to be
    # run again: it is, twice at most.
    for _attempt in range(3):
        done = subprocess.run(command, check=False, env={**os.environ, "CHROME_PATH": chrome})
        if done.returncode == 0:
            break
    done.check_returncode()
    result: dict[str, Any] = json.loads(report.read_text())
    # The whole last report of each page, filmstrip included, to look at (var/ is not kept).
    shutil.copy(report, REPORTS / f"{url.rpartition('/')[2] or 'home'}.json")
    return result


def summary(report: dict[str, Any]) -> dict[str, Any]:
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
        **{
            key: round(audits[key]["numericValue"], 3 if key.endswith("shift") else 0)
            for key in METRICS
        },
        # What moved, for finding what to fix.
        "layout_shifts": [
            {"selector": item["node"].get("selector"), "score": round(item["score"], 3)}
            for item in audits.get("layout-shifts", {}).get("details", {}).get("items", [])
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not STATIC_INDEX.is_file():
        sys.exit("the web UI is not built: run `make web`")
    chrome = chromium()
    install_lighthouse()
    version = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    )
    results: dict[str, Any] = {
        "lighthouse": version.stdout.strip(),
        "form_factor": "mobile (Lighthouse default: simulated slow 4G, 4x CPU slowdown)",
        "runs_per_page": args.runs,
        "target_score": TARGET,
        "pages": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = start_server(folder, port)
        try:
            wait_until_up(server, base_url)
            guest_in_the_house(base_url)
            rows = []
            for name, path, signed_in in PAGES:
                runs = []
                for _ in range(args.runs):
                    cookie = refresh_cookie(base_url) if signed_in else None
                    runs.append(summary(lighthouse(f"{base_url}{path}", chrome, cookie, folder)))
                median = sorted(runs, key=lambda run: run["score"])[len(runs) // 2]
                if not median["final_url"].endswith(path):
                    sys.exit(f"{path} ended at {median['final_url']}: not signed in?")
                results["pages"][path] = {"median": median, "scores": [r["score"] for r in runs]}
                rows.append(
                    [name, path, median["score"], *(median[key] for key in METRICS),
                     " ".join(str(r["score"]) for r in runs),
                     "ok" if median["score"] >= TARGET else "BELOW"]
                )  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=10)
    print_table(
        f"Lighthouse {results['lighthouse']} mobile performance (median of {args.runs})",
        ["page", "path", "score", *METRICS.values(), "runs", f">= {TARGET}"],
        rows,
    )
    results["median_score"] = statistics.median(row[2] for row in rows)
    print(f"\nwrote {write_results('lighthouse', results)}")


if __name__ == "__main__":
    main()
