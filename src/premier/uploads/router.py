import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request, Response, status
from starlette.concurrency import run_in_threadpool

from premier.auth.access import access
from premier.auth.dependencies import CurrentActor
from premier.deps import ReadSession, WriteSession, app_database
from premier.http.routing import Router
from premier.kit.ids import PathId
from premier.uploads import service
from premier.uploads.models import Purpose
from premier.uploads.receive import receive_upload
from premier.uploads.schemas import UploadOut
from premier.uploads.service import UploadContext

router = Router(prefix="/api/v1/uploads", tags=["uploads"])


def upload_context(request: Request) -> UploadContext:
    context: UploadContext = request.app.state.uploads
    return context


Context = Annotated[UploadContext, Depends(upload_context)]


def _form(description: str) -> dict[str, Any]:
    """The multipart body in the OpenAPI document: the route reads it itself, streaming."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", "purpose"],
                        "additionalProperties": False,
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "purpose": {
                                "type": "string",
                                "enum": [p.value for p in Purpose],
                            },
                        },
                    }
                }
            },
        }
    }


async def _create(
    request: Request,
    actor: CurrentActor,
    context: UploadContext,
    *,
    images_only: bool,
) -> UploadOut:
    limit = context.settings.image_max_bytes if images_only else context.settings.file_max_bytes
    work_dir = Path(tempfile.mkdtemp(prefix="premier-upload-"))
    try:
        received = await receive_upload(request, directory=work_dir, limit=limit)
        purpose = service.parse_purpose(received.fields.get("purpose"))
        return await service.create_upload(
            database=app_database(request), context=context, actor=actor, purpose=purpose,
            received=received, images_only=images_only, work_dir=work_dir,
        )  # fmt: skip
    finally:
        await run_in_threadpool(shutil.rmtree, work_dir, True)


@router.post(
    "/image",
    status_code=status.HTTP_201_CREATED,
    responses={415: {"description": "The content is not a kind of file this upload takes."}},
    openapi_extra=_form("An image (JPEG, PNG, WebP or GIF) in `file`, and its `purpose`."),
)
@access("upload", "create")
async def upload_image(request: Request, actor: CurrentActor, context: Context) -> UploadOut:
    return await _create(request, actor, context, images_only=True)


@router.post(
    "/file",
    status_code=status.HTTP_201_CREATED,
    responses={415: {"description": "The content is not a kind of file this upload takes."}},
    openapi_extra=_form("A PDF or an image in `file`, and its `purpose`."),
)
@access("upload", "create")
async def upload_file(request: Request, actor: CurrentActor, context: Context) -> UploadOut:
    return await _create(request, actor, context, images_only=False)


@router.get("/{upload_id}")
@access("upload", "read")
async def get_upload(
    upload_id: PathId, actor: CurrentActor, session: ReadSession, context: Context
) -> UploadOut:
    return await service.get_upload(
        session=session, context=context, actor=actor, upload_id=upload_id
    )


@router.delete("/{upload_id}", status_code=status.HTTP_204_NO_CONTENT)
@access("upload", "delete")
async def delete_upload(
    upload_id: PathId, actor: CurrentActor, session: WriteSession, context: Context
) -> Response:
    await service.delete_upload(session=session, context=context, actor=actor, upload_id=upload_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
