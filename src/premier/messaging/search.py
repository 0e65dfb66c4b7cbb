"""Full-text search over messages, on each database with its own engine.

SQLite: an FTS5 table, `message_search`, indexes `messages.body` (external content, so the
text is stored once) with the porter stemmer; triggers made by migration 0023 keep it in
step with every insert, update and delete, in the same transaction. PostgreSQL: a GIN index
on `to_tsvector('english', body)`, matched with `plainto_tsquery`.

Both read the query as plain words that must all appear ("late checkout" finds messages
with both, in any order, "towels" also finds "towel"); no operators, so nothing a user
types is a syntax error. Hits are limited to what the searcher may see by the same
conditions as the conversation list (premier.messaging.visibility).
"""

import re

from sqlalchemy import ColumnElement, Integer, Select, String, func, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth.actor import Actor
from premier.kit.pagination import Page, PageParams
from premier.messaging import output
from premier.messaging.models import Conversation, Message
from premier.messaging.schemas import SearchHit
from premier.messaging.visibility import visible_kinds, within_reach
from premier.storage.protocol import Storage

SEARCH_TABLE = "message_search"
LANGUAGE = "english"
_WORD = re.compile(r"\w+", re.UNICODE)


def described_by_the_models(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's include_name: the FTS5 table and its shadow tables are made by hand in the
    migration and are no model's, so comparing the schema with the models skips them."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def words_of(query: str) -> list[str]:
    return _WORD.findall(query)


def matches(session: AsyncSession, query: str) -> ColumnElement[bool]:
    """A condition on Message: its body holds every word of `query`."""
    if session.get_bind().dialect.name == "sqlite":
        # Each word quoted: FTS5 then reads it as a plain string, never as an operator.
        phrase = " ".join(f'"{word}"' for word in words_of(query))
        hits: Select[int] = (
            select(literal_column("rowid", Integer))
            .select_from(text(SEARCH_TABLE))
            .where(text(f"{SEARCH_TABLE} MATCH :phrase").bindparams(phrase=phrase))
        )
        return Message.id.in_(hits)
    # The configuration written as a literal, as in the index, so the index serves the query.
    language: ColumnElement[str] = literal_column(f"'{LANGUAGE}'::regconfig", String)
    matched: ColumnElement[bool] = func.to_tsvector(language, Message.body).op("@@")(
        func.plainto_tsquery(language, query)
    )
    return matched


async def search_messages(
    *, session: AsyncSession, storage: Storage, actor: Actor, query: str, page: PageParams
) -> Page[SearchHit]:
    """Messages holding every word of `query`, newest first, among those the actor may
    see: in conversations within their reach, notes only for staff."""
    if not words_of(query):
        return Page(items=[], total=0, limit=page.limit, offset=page.offset)
    found = (
        select(Message, Conversation.subject)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(within_reach(actor), visible_kinds(actor), matches(session, query))
    )
    total = await session.scalar(select(func.count()).select_from(found.subquery())) or 0
    rows = (
        await session.execute(
            found.order_by(Message.id.desc()).limit(page.limit).offset(page.offset)
        )
    ).all()
    messages = await output.messages(session, storage, actor, [row[0] for row in rows])
    hits = [
        SearchHit(message=message, conversation_subject=row[1])
        for message, row in zip(messages, rows, strict=True)
    ]
    return Page(items=hits, total=total, limit=page.limit, offset=page.offset)
