"""The storage backend the settings choose. Backends are imported only when chosen, so a
deployment on the local disk never loads boto3 or cloudinary."""

from premier.config import Settings
from premier.storage.local import LocalStorage
from premier.storage.protocol import Storage


def build_storage(settings: Settings) -> Storage:
    chosen = settings.storage
    if chosen.backend == "s3":
        from premier.storage.s3 import S3Storage

        return S3Storage.from_settings(chosen)
    if chosen.backend == "cloudinary":
        from premier.storage.cloudinary import CloudinaryStorage

        return CloudinaryStorage.from_settings(chosen)
    return LocalStorage(
        root=chosen.local_dir,
        secret=settings.secret_key,
        base_url=settings.public_base_url,
        url_seconds=chosen.url_seconds,
        public_base_url=chosen.public_base_url,
    )
