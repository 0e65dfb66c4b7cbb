"""Imports every domain's tables so that the metadata (and Alembic) sees all of them."""

from premier.db import Base
from premier.users.models import User

__all__ = ["Base", "User"]
