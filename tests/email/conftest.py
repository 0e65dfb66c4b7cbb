"""Fixtures for email tests: a real SMTP server (aiosmtpd) and helpers to queue mail."""

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from premier.config import Settings
from premier.db import Database
from premier.delivery.attachment import Attachment
from premier.email.compose import add_emails, new_email, unsubscribe_headers
from premier.email.models import EmailQueue


@dataclass
class SmtpSink:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    connections: list[int] = field(default_factory=list)
    port: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        self.connections.append(id(session))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def with_settings(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update=changes)


async def queue(
    database: Database,
    settings: Settings,
    n: int = 1,
    *,
    to: str = "guest{i}@example.com",
    category: str = "general",
    attachments: tuple[Attachment, ...] = (),
    unsubscribe: bool = True,
) -> list[int]:
    ids = []
    async with database.writing() as session:
        rows: list[dict[str, Any]] = []
        for i in range(n):
            headers = unsubscribe_headers("http://hotel.test/u?token=x") if unsubscribe else {}
            rows.append(
                new_email(
                    settings=settings,
                    to_address=to.format(i=i),
                    to_name="Grace",
                    subject=f"Hello {i}",
                    body_text=f"plain {i}",
                    body_html=f"<p>html {i}</p>",
                    category=category,
                    template="general",
                    headers=headers,
                    attachments=attachments,
                )
            )
        ids = await add_emails(session=session, rows=rows, essential=[False] * len(rows))
        await session.commit()
    return ids


async def statuses(database: Database) -> dict[int, tuple[str, str | None]]:
    from sqlalchemy import select

    async with database.reading() as session:
        rows = await session.scalars(select(EmailQueue).order_by(EmailQueue.id))
        return {row.id: (row.status, row.provider) for row in rows}
