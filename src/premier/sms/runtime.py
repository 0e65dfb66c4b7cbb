"""Running the SMS worker inside the API process (`make run`) or on its own (`premier worker`)."""

import asyncio
from dataclasses import dataclass

import httpx

from premier.config import Settings
from premier.db import Database
from premier.sms.sender import SmsSender


@dataclass
class RunningSmsWorker:
    task: asyncio.Task[None]
    stop_event: asyncio.Event
    http: httpx.AsyncClient

    async def stop(self) -> None:
        self.stop_event.set()
        await self.task
        await self.http.aclose()


def start(database: Database, settings: Settings) -> RunningSmsWorker:
    http = httpx.AsyncClient(timeout=settings.sms.timeout_seconds)
    sender = SmsSender.from_settings(settings, http)
    stop_event = asyncio.Event()
    task = asyncio.create_task(sender.run(database, stop_event), name="sms-worker")
    return RunningSmsWorker(task=task, stop_event=stop_event, http=http)
