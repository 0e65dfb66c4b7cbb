"""What is wrong with an upload, in words a guest or a manager can act on."""

from premier.kit.errors import DomainError, InvalidInput

IMAGE_TYPES = "JPEG, PNG, WebP or GIF"


class FileTooLarge(DomainError):
    status_code = 413
    code = "file_too_large"


class UnsupportedFile(DomainError):
    status_code = 415
    code = "unsupported_file"


class BadImage(InvalidInput):
    code = "bad_image"


def megabytes(size: int) -> str:
    value = size / 1_000_000
    return f"{value:g} MB" if value >= 1 else f"{size // 1000} KB"


def too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(f"The file is larger than {megabytes(limit)}", details={"limit": limit})


def not_an_image() -> UnsupportedFile:
    return UnsupportedFile(f"This file is not an image we accept ({IMAGE_TYPES})")


def not_accepted() -> UnsupportedFile:
    return UnsupportedFile(f"This file type is not accepted: a PDF or an image ({IMAGE_TYPES})")
