"""Upload load: 200 concurrent 2 MB JPEG uploads, each checked, cleaned and resized into
three WebP variants, on the local disk backend and on an S3 endpoint (moto's server), beside
the floor measured in the same run: Pillow decoding and resizing the same images to the
same sizes, in one process, on the same core and thread count, with nothing else.

    .venv/bin/python bench/uploads.py [--uploads 200] [--backends local,s3]

The server runs in one uvicorn process pinned to core 0 (as bench/api_load.py); the floor
runs pinned to core 0 too, and the clients (and moto) on core 1. It reports uploads/s, p50
and p99 latency, the server's peak RSS (VmHWM) against its RSS before the load, prints a
table and writes bench/results/uploads.json.
"""

import argparse
import asyncio
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import free_port  # noqa: E402

from premier.auth.passwords import hash_password_now  # noqa: E402
from premier.db import Database  # noqa: E402
from premier.migrations import migrate  # noqa: E402
from premier.storage.protocol import VARIANTS  # noqa: E402
from premier.uploads.images import VARIANT_METHOD, VARIANT_QUALITY  # noqa: E402
from premier.users.models import Role, User  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "uploads.json"
SECRET = "bench-secret-key-0123456789abcdef0123456789"
IMAGE_WORKERS = 2
TARGET_VS_FLOOR = 0.7
BUCKET = "bench-media"


def photo(seed: int, target_bytes: int = 2_000_000) -> bytes:
    """A photo-like JPEG of about 2 MB: smooth shapes with grain, 2400 x 1600."""
    rng = random.Random(seed)
    small = Image.frombytes("RGB", (48, 32), bytes(rng.randrange(256) for _ in range(48 * 32 * 3)))
    image = small.resize((2400, 1600), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((2400, 1600), 40).convert("RGB")
    image = Image.blend(image, grain, 0.18)
    for quality in (95, 92, 88, 84, 80, 75):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        if out.tell() <= target_bytes * 1.1:
            break
    return out.getvalue()


def unique(base: bytes, n: int) -> bytes:
    """The same pixels with a distinct comment segment: a distinct upload (its own SHA-256,
    so none is answered as a repeat) that costs the same to process."""
    note = f"upload {n}".encode()
    return base[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + base[2:]


def floor_one(content: bytes) -> None:
    """The bare work: decode, then resize to each variant size (no checks, no encoding)."""
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        current: Image.Image = image
        for variant in sorted(VARIANTS, key=lambda v: v.size, reverse=True):
            current = current.copy() if current is image else current
            current.thumbnail((variant.size, variant.size), Image.Resampling.LANCZOS, 2.0)


def outputs_one(content: bytes) -> None:
    """The same Pillow work as the floor plus the encodes an upload stores: the original
    again as JPEG and each variant as WebP, with the pipeline's settings, into memory. Not
    the target's reference; it shows how much of the gap is encoding, which the floor leaves
    out."""
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        image.save(io.BytesIO(), "JPEG", quality=90)
        current: Image.Image = image
        for variant in sorted(VARIANTS, key=lambda v: v.size, reverse=True):
            current = current.copy() if current is image else current
            current.thumbnail((variant.size, variant.size), Image.Resampling.LANCZOS, 2.0)
            current.save(io.BytesIO(), "WEBP", quality=VARIANT_QUALITY, method=VARIANT_METHOD)


def measure_floor(images: list[bytes], work: Callable[[bytes], None] = floor_one) -> dict[str, Any]:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {0})  # where the server runs
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=IMAGE_WORKERS) as pool:
        list(pool.map(work, images))
    seconds = time.perf_counter() - started
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})
    return {"images": len(images), "seconds": round(seconds, 2),
            "images_per_s": round(len(images) / seconds, 2)}  # fmt: skip


async def prepare_database(url: str) -> None:
    database = Database(url)
    try:
        await migrate(database.write_engine)
        async with database.writing() as session:
            session.add(User(email="bench-manager@example.com", full_name="Bench Manager",
                             password_hash=hash_password_now("bench-password"),
                             role=Role.MANAGER))  # fmt: skip
            await session.commit()
    finally:
        await database.dispose()


def start_moto() -> tuple[Any, str]:
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                 aws_access_key_id="bench", aws_secret_access_key="bench-secret",
                 ).create_bucket(Bucket=BUCKET)  # fmt: skip
    return server, endpoint


def server_env(url: str, folder: Path, backend: str, endpoint: str | None) -> dict[str, str]:
    env = {**os.environ, "PREMIER_DATABASE_URL": url, "PREMIER_ENVIRONMENT": "test",
           "PREMIER_SECRET_KEY": SECRET, "PREMIER_RUN_WORKERS_IN_PROCESS": "false",
           "PREMIER_SEED_DEMO_DATA": "false", "PREMIER_STORAGE_BACKEND": backend,
           "PREMIER_STORAGE_LOCAL_DIR": str(folder / "uploads"),
           "PREMIER_STORAGE_IMAGE_WORKERS": str(IMAGE_WORKERS), "TMPDIR": str(folder)}  # fmt: skip
    if endpoint:
        env.update({"PREMIER_STORAGE_S3_ENDPOINT_URL": endpoint,
                    "PREMIER_STORAGE_S3_BUCKET": BUCKET,
                    "PREMIER_STORAGE_S3_PATH_STYLE": "true",
                    "PREMIER_STORAGE_S3_ACCESS_KEY_ID": "bench",
                    "PREMIER_STORAGE_S3_SECRET_ACCESS_KEY": "bench-secret"})  # fmt: skip
    return env


def rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def wait_until_serving(base: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=5) as client:
        for _ in range(1200):
            if process.poll() is not None:
                raise RuntimeError("server exited")
            try:
                await client.get("/api/v1/health")
                return
            except httpx.HTTPError:
                await asyncio.sleep(0.1)  # polling a port that is not open yet
    raise RuntimeError("server did not start")


async def bench_backend(backend: str, images: list[bytes], endpoint: str | None) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="premier-bench-uploads-"))
    url = f"sqlite+aiosqlite:///{folder}/bench.db"
    await prepare_database(url)
    port = free_port()
    command = ["taskset", "-c", "0", sys.executable, "-m", "uvicorn", "premier.main:app",
               "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop",
               "--http", "httptools", "--no-access-log", "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, env=server_env(url, folder, backend, endpoint), cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_serving(base, process)
        limits = httpx.Limits(max_connections=len(images), max_keepalive_connections=len(images))
        async with httpx.AsyncClient(base_url=base, timeout=600, limits=limits) as client:
            login = await client.post("/api/v1/auth/login", json={
                "email": "bench-manager@example.com", "password": "bench-password"})  # fmt: skip
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            # One warm-up upload (first-use costs: imports, pools, the bucket's connection).
            warm = {"file": ("warm.jpg", unique(images[0], -1), "image/jpeg")}
            await client.post("/api/v1/uploads/image", headers=headers,
                              data={"purpose": "room_type"}, files=warm)  # fmt: skip
            rss_before = rss_kb(process.pid, "VmRSS")
            latencies: list[float] = []
            statuses: dict[str, int] = {}

            async def one(n: int, content: bytes) -> None:
                started = time.perf_counter()
                response = await client.post(
                    "/api/v1/uploads/image", headers=headers, data={"purpose": "room_type"},
                    files={"file": (f"photo-{n}.jpg", content, "image/jpeg")},
                )  # fmt: skip
                latencies.append(time.perf_counter() - started)
                statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1

            started = time.perf_counter()
            await asyncio.gather(*(one(n, content) for n, content in enumerate(images)))
            seconds = time.perf_counter() - started
            peak = rss_kb(process.pid, "VmHWM")
    finally:
        process.terminate()
        process.wait(timeout=30)
    latencies.sort()
    return {
        "backend": backend,
        "uploads": len(images),
        "seconds": round(seconds, 2),
        "uploads_per_s": round(len(images) / seconds, 2),
        "p50_ms": round(statistics.median(latencies) * 1000),
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000),
        "statuses": statuses,
        "server_rss_before_mb": round(rss_before / 1024, 1),
        "server_rss_peak_mb": round(peak / 1024, 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--backends", default="local,s3")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})  # the server has core 0
    bases = [photo(seed) for seed in range(8)]
    images = [unique(bases[n % len(bases)], n) for n in range(args.uploads)]
    size = statistics.mean(len(i) for i in images)
    with Image.open(io.BytesIO(bases[0])) as first:
        dimensions = first.size
    floor = measure_floor(images)
    with_encoding = measure_floor(images, outputs_one)
    runs = []
    moto = None
    try:
        for backend in args.backends.split(","):
            endpoint = None
            if backend == "s3":
                moto, endpoint = start_moto()
            runs.append(await bench_backend(backend, images, endpoint))
    finally:
        if moto is not None:
            moto.stop()

    # Per image in work, the decoded pixels, the upright copy and the largest variant.
    per_image_mb = dimensions[0] * dimensions[1] * 3 * 3 / 1_000_000
    print(f"\n{args.uploads} uploads of {size / 1e6:.2f} MB JPEGs "
          f"({dimensions[0]}x{dimensions[1]}), "
          f"{IMAGE_WORKERS} image workers, server on one core")  # fmt: skip
    print(f"{'scenario':<22}{'images/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'RSS MB':>16}  statuses")
    print(f"{'floor (decode+resize)':<22}{floor['images_per_s']:>10}{'':>10}{'':>10}{'':>16}")
    print(f"{'+ encodes (reference)':<22}{with_encoding['images_per_s']:>10}")
    ratios = {}
    verdicts = {}
    for run in runs:
        rss = f"{run['server_rss_before_mb']}->{run['server_rss_peak_mb']}"
        print(f"{run['backend']:<22}{run['uploads_per_s']:>10}{run['p50_ms']:>10}"
              f"{run['p99_ms']:>10}{rss:>16}  {run['statuses']}")  # fmt: skip
        ratio = round(run["uploads_per_s"] / floor["images_per_s"], 3)
        growth = run["server_rss_peak_mb"] - run["server_rss_before_mb"]
        ratios[f"{run['backend']}_vs_floor"] = ratio
        ratios[f"{run['backend']}_vs_floor_with_encoding"] = round(
            run["uploads_per_s"] / with_encoding["images_per_s"], 3
        )
        verdicts[run["backend"]] = {
            "throughput_ok": ratio >= TARGET_VS_FLOOR,
            "rss_growth_mb": round(growth, 1),
            # Bounded by the cap: the images in work plus a margin for 200 open requests.
            "rss_bound_mb": round(IMAGE_WORKERS * per_image_mb + 100, 1),
            "rss_ok": growth <= IMAGE_WORKERS * per_image_mb + 100,
            "all_created": run["statuses"] == {"201": run["uploads"]},
        }
    print("\nratios:", json.dumps(ratios))
    print("targets met:", json.dumps(verdicts, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "uploads": args.uploads, "image_bytes_mean": round(size), "dimensions": dimensions,
        "image_workers": IMAGE_WORKERS, "floor": floor, "floor_with_encoding": with_encoding,
        "runs": runs, "ratios": ratios,
        "target_vs_floor": TARGET_VS_FLOOR, "verdicts": verdicts,
        "load_average_at_end": os.getloadavg(),
    }, indent=1) + "\n")  # fmt: skip
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
