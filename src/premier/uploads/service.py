"""Uploads: who may make and see them, what is stored, and how other domains use them.

Purposes decide everything about an upload (PURPOSES below):

| purpose   | kind         | who may upload                       | who may see it              |
|-----------|--------------|--------------------------------------|-----------------------------|
| room_type | image        | who may edit room types (management) | everyone (public)           |
| menu_item | image        | who may edit the menu (kitchen, mgmt)| everyone (public)           |
| avatar    | image        | anyone signed in                     | its owner and the staff     |
| review    | image        | guests (who may write reviews)       | its owner and the staff     |
| message   | image or PDF | anyone signed in                     | its owner and the staff     |
| receipt   | image or PDF | who may read payments                | owner, front desk, mgmt     |

Review photos are private because reviews are (the access table lets guests read only their
own). A private upload is only ever linked through signed links that expire.

The same bytes uploaded twice by one person for one purpose are one upload: the second
request answers with the first (every create is safe to repeat), without any image work.
Public objects are content-addressed (`public/<sha256>/…`) and may be shared by uploads of
different people; their objects are deleted with the last upload that names them.

Other domains mark an upload as used with `attach` (and `detach` when they stop using it);
one nobody uses is an orphan and is deleted `orphan_hours` after it was made
(premier.uploads.cleanup). `links_for` gives the links of many uploads at once (a gallery).
"""

import asyncio
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import structlog
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from premier.auth import access
from premier.auth.actor import Actor
from premier.db import Database
from premier.kit.errors import InvalidInput, NotFound, PermissionDenied
from premier.storage.protocol import VARIANTS, Storage, StoredFile
from premier.storage.settings import StorageSettings
from premier.uploads import files
from premier.uploads.errors import UnsupportedFile, not_accepted, not_an_image
from premier.uploads.images import ImageWorkers, ProcessedImage, process_image
from premier.uploads.models import Purpose, Upload
from premier.uploads.receive import ReceivedFile
from premier.uploads.schemas import UploadLinks, UploadOut, VariantLinks

log = structlog.get_logger(__name__)
Permission = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PurposeRule:
    public: bool
    images_only: bool
    uploaders: Permission  # the access rule whose holders may upload for this purpose
    readers: Permission  # holders of this rule with scope ALL may see others' uploads


PURPOSES: dict[Purpose, PurposeRule] = {
    Purpose.ROOM_TYPE: PurposeRule(True, True, ("room_type", "write"), ("upload", "read")),
    Purpose.MENU_ITEM: PurposeRule(True, True, ("menu", "write"), ("upload", "read")),
    Purpose.AVATAR: PurposeRule(False, True, ("upload", "create"), ("upload", "read")),
    Purpose.REVIEW: PurposeRule(False, True, ("review", "create"), ("upload", "read")),
    Purpose.MESSAGE: PurposeRule(False, False, ("upload", "create"), ("upload", "read")),
    Purpose.RECEIPT: PurposeRule(False, False, ("payment", "read"), ("payment", "read")),
}


@dataclass(frozen=True, slots=True)
class UploadContext:
    """What the uploads domain works with, built once per process."""

    storage: Storage
    workers: ImageWorkers
    settings: StorageSettings


# --- making one -------------------------------------------------------------------------


def parse_purpose(value: str | None) -> Purpose:
    try:
        return Purpose(value or "")
    except ValueError:
        choices = ", ".join(p.value for p in Purpose)
        raise InvalidInput(
            f"purpose must be one of {choices}", details={"field": "purpose"}
        ) from None


def check_may_upload(actor: Actor, purpose: Purpose) -> None:
    access.check(actor, *PURPOSES[purpose].uploaders)


async def create_upload(
    *,
    database: Database,
    context: UploadContext,
    actor: Actor,
    purpose: Purpose,
    received: ReceivedFile,
    images_only: bool,
    work_dir: Path,
) -> UploadOut:
    rule = PURPOSES[purpose]
    check_may_upload(actor, purpose)
    if received.size == 0:
        raise InvalidInput("The file is empty", code="empty_file")
    # No database connection is held while the file is checked and stored (seconds, for
    # a large image): one short read here, one short write at the end.
    async with database.reading() as session:
        existing = await _same_upload(session, actor.id, purpose, received.sha256)
    if existing is not None:
        return await describe(existing, context.storage)

    images_only = images_only or rule.images_only
    processed: ProcessedImage | None = None
    if not images_only and files.looks_like_pdf(received.path):
        if not await asyncio.to_thread(files.is_pdf, received.path):
            raise UnsupportedFile("This PDF is damaged or incomplete and could not be read")
        content_type, extension = "application/pdf", "pdf"
    else:
        try:
            processed = await context.workers.run(
                process_image,
                received.path,
                work_dir,
                max_pixels=context.settings.image_max_pixels,
                make_variants=not context.storage.transforms,
            )
        except UnsupportedFile:
            raise (not_an_image() if images_only else not_accepted()) from None
        content_type, extension = processed.content_type, processed.extension

    folder = f"public/{received.sha256}" if rule.public else f"private/{secrets.token_hex(16)}"
    name = files.with_extension(files.clean_filename(received.filename), extension)
    upload = Upload(
        owner_id=actor.id,
        purpose=purpose,
        kind="image" if processed else "file",
        filename=name,
        content_type=content_type,
        size=received.size,
        width=processed.width if processed else None,
        height=processed.height if processed else None,
        sha256=received.sha256,
        public=rule.public,
        key=f"{folder}/original.{extension}",
        variant_keys=({v: f"{folder}/{v}.webp" for v in processed.variants} if processed else None),
        uses=0,
    )
    await _store(context.storage, upload, processed.original if processed else received.path,
                 processed.variants if processed else {})  # fmt: skip
    async with database.writing() as session:
        session.add(upload)
        try:
            await session.commit()
        except IntegrityError:
            # The same upload, sent twice at once: the other request's row stands.
            await session.rollback()
            if not upload.public:
                await context.storage.delete(stored_files(upload, context.storage))
            existing = await _same_upload(session, actor.id, purpose, received.sha256)
            if existing is None:
                raise
            return await describe(existing, context.storage)
        await session.refresh(upload)
    log.info("upload_created", upload_id=upload.id, purpose=purpose.value, size=upload.size)
    return await describe(upload, context.storage)


async def _same_upload(
    session: AsyncSession, owner_id: int, purpose: Purpose, sha256: str
) -> Upload | None:
    query = select(Upload).where(
        Upload.owner_id == owner_id, Upload.purpose == purpose, Upload.sha256 == sha256
    )
    found: Upload | None = await session.scalar(query)
    return found


async def _store(
    storage: Storage, upload: Upload, original: Path, variants: dict[str, Path]
) -> None:
    items = {item.key: item for item in stored_files(upload, storage)}
    sources = {upload.key: original}
    for name, path in variants.items():
        sources[(upload.variant_keys or {})[name]] = path
    await asyncio.gather(*(storage.put(items[key], path) for key, path in sources.items()))


async def store_document(
    session: AsyncSession,
    storage: Storage,
    *,
    owner_id: int,
    purpose: Purpose,
    filename: str,
    content_type: str,
    data: bytes,
) -> Upload:
    """A file the system made (a receipt), kept like an upload of its owner's and already
    in use. The row is written first: if storing the object fails, the caller's
    transaction rolls back and no row points at a missing file."""
    digest = hashlib.sha256(data).hexdigest()
    extension = filename.rpartition(".")[2] or "bin"
    folder = f"private/{secrets.token_hex(16)}"
    upload = Upload(
        owner_id=owner_id, purpose=purpose, kind="file",
        filename=files.clean_filename(filename), content_type=content_type, size=len(data),
        sha256=digest, public=False, key=f"{folder}/original.{extension}", uses=1,
    )  # fmt: skip
    session.add(upload)
    await session.flush()
    (item,) = stored_files(upload, storage)
    await storage.put_bytes(item, data)
    return upload


async def link_of(session: AsyncSession, storage: Storage, upload_id: int) -> str | None:
    upload = await session.get(Upload, upload_id)
    return None if upload is None else (await _links(upload, storage))[0]


# --- describing -------------------------------------------------------------------------


def stored_files(upload: Upload, storage: Storage) -> list[StoredFile]:
    """The upload's objects: the original, then its variants when they are objects."""
    original = StoredFile(
        key=upload.key,
        content_type=upload.content_type,
        public=upload.public,
        kind=upload.kind,
        download_name=None if upload.kind == "image" else upload.filename,
    )
    variants = [
        StoredFile(key=key, content_type="image/webp", public=upload.public, kind="image")
        for key in (upload.variant_keys or {}).values()
    ]
    return [original, *variants]


async def _links(upload: Upload, storage: Storage) -> tuple[str, VariantLinks | None]:
    original, *variant_items = stored_files(upload, storage)
    url = await storage.url(original)
    if upload.kind != "image":
        return url, None
    if storage.transforms:
        urls = [await storage.url(original, variant=v) for v in VARIANTS]
        return url, VariantLinks(**{v.name: u for v, u in zip(VARIANTS, urls, strict=True)})
    by_key = {item.key: item for item in variant_items}
    keys = upload.variant_keys or {}
    links = {v.name: await storage.url(by_key[keys[v.name]]) for v in VARIANTS if v.name in keys}
    return url, VariantLinks(**links) if len(links) == len(VARIANTS) else None


async def describe(upload: Upload, storage: Storage) -> UploadOut:
    url, variants = await _links(upload, storage)
    return UploadOut(
        id=upload.id,
        kind="image" if upload.kind == "image" else "file",
        purpose=Purpose(upload.purpose),
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        width=upload.width,
        height=upload.height,
        url=url,
        variants=variants,
        created_at=upload.created_at,
    )


# --- reading and deleting ---------------------------------------------------------------


def may_see(actor: Actor, upload: Upload) -> bool:
    if upload.public or upload.owner_id == actor.id:
        return True
    readers = PURPOSES[Purpose(upload.purpose)].readers
    return access.grant_of(actor, *readers) is access.ALL


async def get_upload(
    *, session: AsyncSession, context: UploadContext, actor: Actor, upload_id: int
) -> UploadOut:
    upload = await session.get(Upload, upload_id)
    if upload is None or not may_see(actor, upload):
        raise NotFound(f"upload {upload_id} not found")
    return await describe(upload, context.storage)


async def delete_upload(
    *, session: AsyncSession, context: UploadContext, actor: Actor, upload_id: int
) -> None:
    """The owner, or management, deletes an upload; its links stop working at once."""
    upload = await session.get(Upload, upload_id)
    if upload is None or not may_see(actor, upload):
        raise NotFound(f"upload {upload_id} not found")
    if upload.owner_id != actor.id and access.grant_of(actor, "upload", "delete") is not access.ALL:
        raise PermissionDenied("only its owner or a manager may delete an upload")
    await purge(session=session, storage=context.storage, uploads=[upload])


async def purge(*, session: AsyncSession, storage: Storage, uploads: list[Upload]) -> None:
    """Delete the rows, commit, then the objects no remaining upload names."""
    if not uploads:
        return
    ids = [u.id for u in uploads]
    items = [item for upload in uploads for item in stored_files(upload, storage)]
    shared_keys = {u.key for u in uploads if u.public}
    await session.execute(delete(Upload).where(Upload.id.in_(ids)))
    still_used: set[str] = set()
    if shared_keys:
        rows = await session.scalars(select(Upload.key).where(Upload.key.in_(shared_keys)))
        still_used = set(rows)
    await session.commit()
    folders_kept = {key.rpartition("/")[0] for key in still_used}
    doomed = [item for item in items if item.key.rpartition("/")[0] not in folders_kept]
    try:
        await storage.delete(doomed)
    except Exception:
        log.exception("upload_objects_not_deleted", upload_ids=ids)


# --- the API other domains use ----------------------------------------------------------


async def attach(
    session: AsyncSession,
    upload_id: int,
    *,
    purpose: Purpose,
    owner_id: int | None = None,
) -> Upload:
    """Mark an upload as used by something of this purpose (in the caller's transaction).

    `owner_id`, when given, must own it (a user's avatar is their own upload)."""
    upload = await session.get(Upload, upload_id, with_for_update=True)
    if upload is None or (owner_id is not None and upload.owner_id != owner_id):
        raise NotFound(f"upload {upload_id} not found")
    if upload.purpose != purpose:
        raise InvalidInput(
            f"upload {upload_id} was made for {upload.purpose}, not {purpose.value}",
            details={"upload_id": upload_id, "purpose": upload.purpose},
        )
    upload.uses += 1
    await session.flush()
    return upload


async def detach(session: AsyncSession, upload_id: int) -> None:
    """The caller stops using the upload; unused by anything, it becomes an orphan."""
    upload = await session.get(Upload, upload_id, with_for_update=True)
    if upload is not None and upload.uses > 0:
        upload.uses -= 1
        await session.flush()


async def links_for(
    session: AsyncSession, storage: Storage, upload_ids: Iterable[int]
) -> dict[int, UploadLinks]:
    """Links of many uploads in one query; ids that no longer exist are left out. The
    caller decides who may see them (meant for public purposes: galleries, dishes)."""
    wanted = list(dict.fromkeys(upload_ids))
    if not wanted:
        return {}
    uploads = (await session.scalars(select(Upload).where(Upload.id.in_(wanted)))).all()
    links: dict[int, UploadLinks] = {}
    for upload in uploads:
        url, variants = await _links(upload, storage)
        links[upload.id] = UploadLinks(
            id=upload.id, url=url, width=upload.width, height=upload.height, variants=variants
        )
    return links


async def orphans(session: AsyncSession, *, made_before: datetime, limit: int) -> list[Upload]:
    query = (
        select(Upload)
        .where(Upload.uses == 0, Upload.created_at < made_before)
        .order_by(Upload.created_at)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())
