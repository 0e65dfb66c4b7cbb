"""Storage and upload settings, read from `PREMIER_STORAGE_*` variables (and `.env`).

The defaults are safe to run in production on one machine: files under `var/uploads`,
served by the app itself through signed links that expire.
"""

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MB = 1_000_000


class StorageSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PREMIER_STORAGE_", env_file=".env", extra="ignore"
    )

    backend: Literal["local", "s3", "cloudinary"] = "local"
    # How long a signed link to a private file works.
    url_seconds: int = Field(default=900, ge=30, le=7 * 24 * 3600)
    # Public files (room and menu photos) are linked here when set, e.g. a CDN in front of
    # the bucket: `{public_base_url}/{key}`. Their keys name their content, so they never
    # change and are cached for a year.
    public_base_url: str | None = None

    local_dir: Path = Path("var/uploads")

    s3_bucket: str | None = None
    s3_region: str = "us-east-1"
    # Any S3-compatible store: AWS S3 (unset), Supabase Storage's S3 endpoint, R2, MinIO.
    s3_endpoint_url: str | None = None
    s3_path_style: bool = False  # MinIO and Supabase want path-style addressing
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_proxy: str | None = None  # an HTTP(S) proxy in front of the store, if one is needed
    s3_connections: int = Field(default=16, ge=1, le=256)

    cloudinary_cloud_name: str | None = None
    cloudinary_api_key: str | None = None
    cloudinary_api_secret: str | None = None
    cloudinary_api_base_url: str = "https://api.cloudinary.com"
    cloudinary_signature_algorithm: Literal["sha1", "sha256"] = "sha1"

    # Limits of what is accepted, checked while the upload is read.
    image_max_bytes: int = Field(default=10 * MB, ge=1024)
    file_max_bytes: int = Field(default=10 * MB, ge=1024)
    # Width x height an image may declare; a larger one is refused before it is decoded.
    image_max_pixels: int = Field(default=40_000_000, ge=10_000)
    # Images decoded and resized at once (each on a worker thread); each may hold about
    # width x height x 4 bytes, so this caps the memory image work can take.
    image_workers: int = Field(default=2, ge=1, le=64)
    # Uploads never attached to anything are deleted this long after they were made.
    orphan_hours: float = Field(default=24.0, gt=0)
    cleanup_interval_seconds: float = Field(default=3600.0, gt=0)

    @model_validator(mode="after")
    def _backend_configured(self) -> "StorageSettings":
        if self.backend == "s3" and not self.s3_bucket:
            raise ValueError("PREMIER_STORAGE_S3_BUCKET must be set for the s3 backend")
        if self.backend == "cloudinary" and not (
            self.cloudinary_cloud_name and self.cloudinary_api_key and self.cloudinary_api_secret
        ):
            raise ValueError(
                "PREMIER_STORAGE_CLOUDINARY_CLOUD_NAME, _API_KEY and _API_SECRET must be set "
                "for the cloudinary backend"
            )
        return self

    def image_origins(self) -> tuple[str, ...]:
        """Where the browser fetches images from besides this server: the web UI's
        Content-Security-Policy must name them, or no photo from a bucket or a CDN shows."""
        found: list[str | None] = [_origin(self.public_base_url)]
        if self.backend == "s3" and self.s3_bucket:
            found += _s3_origins(self)
        if self.backend == "cloudinary":
            found.append("https://res.cloudinary.com")
        return tuple(dict.fromkeys(origin for origin in found if origin))


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _s3_origins(settings: StorageSettings) -> list[str | None]:
    """A presigned link names the bucket in the path (path-style) or in the host."""
    bucket = settings.s3_bucket
    if settings.s3_endpoint_url:
        parts = urlsplit(settings.s3_endpoint_url)
        if settings.s3_path_style:
            return [_origin(settings.s3_endpoint_url)]
        return [f"{parts.scheme}://{bucket}.{parts.netloc}"]
    region = settings.s3_region
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com"]
