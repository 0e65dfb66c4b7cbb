from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.uploads.conftest import settings as settings  # the app's settings with storage_settings

BUCKET = "premier-media"
REGION = "eu-west-1"
CREDENTIALS = {"s3_access_key_id": "testing-key", "s3_secret_access_key": "testing-secret"}


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A real S3 HTTP endpoint on 127.0.0.1 (moto's server), with one bucket."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client: Any = boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id="testing-key", aws_secret_access_key="testing-secret",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield endpoint
    server.stop()


@pytest.fixture(params=["path", "virtual"])
def s3_addressing(request: pytest.FixtureRequest, moto_endpoint: str) -> dict[str, Any]:
    """StorageSettings for the moto endpoint, addressed path-style or virtual-host style.

    Virtual-host style puts the bucket in the host name (`premier-media.s3.premier.test`),
    which no resolver here knows: the client reaches moto as its HTTP proxy, the way a
    deployment behind an egress proxy would, and moto reads the bucket from the host."""
    port = moto_endpoint.rsplit(":", 1)[1]
    if request.param == "path":
        return {
            "s3_endpoint_url": moto_endpoint, "s3_path_style": True, **CREDENTIALS,
            "s3_bucket": BUCKET, "s3_region": REGION,
        }  # fmt: skip
    return {
        "s3_endpoint_url": f"http://s3.premier.test:{port}", "s3_path_style": False,
        "s3_proxy": moto_endpoint, **CREDENTIALS, "s3_bucket": BUCKET, "s3_region": REGION,
    }  # fmt: skip
