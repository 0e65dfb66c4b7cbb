"""Alembic environment: always handed a live connection by premier.migrations."""

from typing import Any

from alembic import context

from premier.db import UTCDateTime
from premier.messaging.search import described_by_the_models
from premier.models import Base


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our column types as plain SQLAlchemy ones, so migrations never import app code."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `premier migrate`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
    include_name=described_by_the_models,
)
with context.begin_transaction():
    context.run_migrations()
