"""FastAPI dependencies shared by every router: settings and database sessions."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from premier.config import Settings
from premier.db import Database
from premier.kit.documents import DocumentStore
from premier.kit.images import ImageLibrary


async def app_settings(request: Request) -> Settings:
    # async: a plain function dependency would be run on a worker thread, per request.
    settings: Settings = request.app.state.settings
    return settings


def app_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def app_images(request: Request) -> ImageLibrary:
    images: ImageLibrary = request.app.state.images
    return images


async def app_documents(request: Request) -> DocumentStore:
    documents: DocumentStore = request.app.state.documents
    return documents


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with app_database(request).reading() as session:
        yield session


async def write_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with app_database(request).writing() as session:
        yield session


AppSettings = Annotated[Settings, Depends(app_settings)]
ReadSession = Annotated[AsyncSession, Depends(read_session)]
WriteSession = Annotated[AsyncSession, Depends(write_session)]
Images = Annotated[ImageLibrary, Depends(app_images)]
Documents = Annotated[DocumentStore, Depends(app_documents)]
