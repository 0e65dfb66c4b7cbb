"""The performance machinery under every domain: engines and sessions (`engines`), the fair
connection pool (`pool`), SQLite driven from the event loop's thread (`sqlite`), and writes
grouped into one transaction (`group_commit`). Nothing here knows a domain."""

from premier.db.base import NAMING, Audited, Base, Timestamped, UTCDateTime, core_table
from premier.db.engines import PG_OVERFLOW, PG_POOL_SIZE, Database

__all__ = [
    "NAMING",
    "PG_OVERFLOW",
    "PG_POOL_SIZE",
    "Audited",
    "Base",
    "Database",
    "Timestamped",
    "UTCDateTime",
    "core_table",
]
