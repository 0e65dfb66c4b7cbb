"""The FastAPI application: routers, error handling, static web UI and lifespan."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from starlette.types import ASGIApp

from premier import __version__, events
from premier.announcements.router import router as announcements_router
from premier.audit.router import router as audit_router
from premier.auth import passwords
from premier.auth.access import access
from premier.auth.actor_cache import ActorCache
from premier.auth.dependencies import authorize
from premier.auth.reset_router import router as password_reset_router
from premier.auth.router import router as auth_router
from premier.bookings.router import router as bookings_router
from premier.bookings.service import BookingWriter
from premier.config import Settings, get_settings
from premier.db import Database
from premier.email.router import router as emails_router
from premier.email.webhooks_router import router as email_webhooks_router
from premier.errors import error_body, install_error_handlers, method_not_allowed
from premier.events import UserChanged
from premier.events.dispatcher import EventDispatcher
from premier.folio.router import router as folio_router
from premier.guests.router import router as guests_router
from premier.health.router import router as health_router
from premier.hotel.router import router as hotel_router
from premier.http import openapi
from premier.http.audit_trail import AuditTrail
from premier.http.body_limit import BodyLimit
from premier.http.idempotency import Idempotency
from premier.http.methods import allowed_methods
from premier.http.security_headers import SecurityHeaders
from premier.http.web_assets import HashedAssets, index_response
from premier.logs import configure_logging
from premier.messaging.router import router as messaging_router
from premier.middleware import CountInFlight, RequestIdMiddleware, RequestLoad
from premier.migrations import migrate
from premier.notifications.router import admin as notification_templates_router
from premier.notifications.router import groups_router as notification_groups_router
from premier.notifications.router import router as notifications_router
from premier.orders.router import router as orders_router
from premier.payments.router import router as payments_router
from premier.payments.runtime import start_payments
from premier.push.router import router as push_router
from premier.realtime.asgi import RawSendMiddleware
from premier.realtime.router import router as realtime_router
from premier.realtime.setup import start_realtime, stop_realtime
from premier.reviews.router import router as reviews_router
from premier.rooms.inventory import InventoryCache
from premier.rooms.router import router as rooms_router
from premier.service_requests.router import router as service_requests_router
from premier.sms.router import hooks as sms_hooks_router
from premier.sms.router import router as sms_router
from premier.sms.router import verify as phone_verify_router
from premier.storage.factory import build_storage
from premier.storage.local_router import router as stored_files_router
from premier.uploads.errors import megabytes
from premier.uploads.images import ImageWorkers
from premier.uploads.library import UploadDocuments, UploadImages
from premier.uploads.router import router as uploads_router
from premier.uploads.service import UploadContext
from premier.users.router import router as users_router
from premier.wiring import hotel_bus, register_channel_owners
from premier.worker.runtime import BackgroundWorkers

ROUTERS: list[APIRouter] = [
    # First: routes are matched in order, and a shift starting opens thousands of sockets
    # at once; the socket routes match nothing else, so HTTP requests lose nothing.
    realtime_router,
    health_router,
    hotel_router,
    auth_router,
    users_router,
    guests_router,
    rooms_router,
    bookings_router,
    folio_router,
    orders_router,
    payments_router,
    service_requests_router,
    reviews_router,
    notifications_router,
    notification_templates_router,
    notification_groups_router,
    password_reset_router,
    emails_router,
    email_webhooks_router,
    sms_router,
    sms_hooks_router,
    phone_verify_router,
    uploads_router,
    stored_files_router,
    push_router,
    announcements_router,
    messaging_router,
    audit_router,
]


# Answered by the docs routes when they are on; otherwise 404, never the web UI's page.
DOCS_PATHS = frozenset({"docs", "redoc", "openapi.json", "docs/oauth2-redirect"})


def freeze_long_lived_objects() -> None:
    """Call once the server's app is built, before it serves.

    Modules, schemas, mappers and routes live as long as the process, yet every full
    collection walks them all again. Frozen, they are out of the collector's way and a
    collection walks only what requests left behind (throughput and tail latency of the
    one-row read benchmark, bench/api_load.py). Not for tests, which build an app per test
    and would keep every one of them.
    """
    gc.collect()
    gc.freeze()


# Provider callbacks: small by nature, so a tighter limit than the API's.
WEBHOOK_PREFIXES = (
    "/api/v1/webhooks/",
    "/api/v1/sms/webhooks/",
    "/api/v1/payments/webhooks/",
    "/api/v1/payments/callbacks/",
)


# Uploads stream to disk and count their file against its own limit as it arrives
# (premier.uploads.receive); the body may be larger than the file by the form around it.
UPLOAD_FORM_OVERHEAD = 64 * 1024


def upload_limits(settings: Settings) -> list[tuple[str, int, str]]:
    return [
        (path, limit + UPLOAD_FORM_OVERHEAD, f"The file is larger than {megabytes(limit)}")
        for path, limit in (
            ("/api/v1/uploads/image", settings.storage.image_max_bytes),
            ("/api/v1/uploads/file", settings.storage.file_max_bytes),
        )
    ]


class PremierAPI(FastAPI):
    """FastAPI whose every response, including the outermost 500 page, carries the security
    headers: they wrap the whole middleware stack rather than sit inside it."""

    def build_middleware_stack(self) -> ASGIApp:
        settings: Settings = self.state.settings
        return SecurityHeaders(
            super().build_middleware_stack(),
            https_base_url=settings.public_base_url.startswith("https://"),
            hsts_seconds=settings.hsts_seconds,
            image_origins=settings.storage.image_origins(),
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    passwords.set_concurrency(settings.password_hash_concurrency)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        bus = hotel_bus(settings)
        database = Database(settings.database_url, session_info=events.carrying(bus))
        app.state.settings = settings
        app.state.bus = bus
        app.state.database = database
        # In the API process the fan-out yields to requests; a worker process has no load.
        app.state.dispatcher = EventDispatcher(database=database, bus=bus, busy=app.state.load.busy)
        app.state.inventory = InventoryCache(database)
        app.state.booking_writer = BookingWriter(database)
        app.state.actor_cache = ActorCache(settings.auth_cache_seconds)
        app.state.storage = build_storage(settings)
        app.state.uploads = UploadContext(
            storage=app.state.storage,
            workers=ImageWorkers(settings.storage.image_workers),
            settings=settings.storage,
        )
        # Photos of room types and dishes, shown from uploads.
        app.state.images = UploadImages(app.state.storage)
        # Files the system makes for people (receipts), kept as private uploads.
        app.state.documents = UploadDocuments(app.state.storage)
        bus.subscribe(UserChanged.type, app.state.actor_cache.on_user_changed)
        await migrate(database.write_engine)
        if settings.seed_demo_data:
            from premier.seed import seed_demo_if_empty

            await seed_demo_if_empty(database=database, settings=settings)
        register_channel_owners()
        app.state.payments = start_payments(settings=settings, database=database)
        app.state.realtime = await start_realtime(settings=settings, database=database, bus=bus)
        # After the hub, which must hear the notifications the dispatcher announces.
        workers = (
            BackgroundWorkers(
                database=database,
                settings=settings,
                dispatcher=app.state.dispatcher,
                payments=app.state.payments,
            )
            if settings.run_workers_in_process
            else None
        )
        try:
            yield
        finally:
            await stop_realtime(app.state.realtime)
            if workers is not None:
                await workers.stop()
            await app.state.payments.aclose()
            await database.dispose()
            app.state.uploads.workers.close()
            await app.state.storage.aclose()

    app = PremierAPI(
        title=f"{settings.hotel_name} API",
        version=__version__,
        lifespan=lifespan,
        # Off in production unless asked for; app.openapi() builds the document regardless.
        docs_url="/docs" if settings.docs_enabled else None,
        redoc_url="/redoc" if settings.docs_enabled else None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,
        # Every route passes the access table's gate (premier.auth.access).
        dependencies=[Depends(authorize)],
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.state.load = RequestLoad()
    app.add_middleware(RawSendMiddleware)
    # Inside Idempotency: a replayed answer changed nothing and records nothing.
    app.add_middleware(AuditTrail, skip=("/api/v1/auth/", *WEBHOOK_PREFIXES))
    # Inside the body limit, which bounds what it reads.
    app.add_middleware(Idempotency, skip=("/api/v1/auth/", *WEBHOOK_PREFIXES))
    app.add_middleware(CountInFlight, load=app.state.load)
    app.add_middleware(
        BodyLimit,
        default=settings.max_body_bytes,
        limits=[
            *[(prefix, settings.max_webhook_body_bytes) for prefix in WEBHOOK_PREFIXES],
            *upload_limits(settings),
        ],
    )
    app.add_middleware(RequestIdMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    for router in ROUTERS:
        app.include_router(router)
    _mount_web_ui(app, settings)
    openapi.install(app)
    return app


def _mount_web_ui(app: FastAPI, settings: Settings) -> None:
    """Serve the built single-page app at `/`, falling back to index.html for its routes."""
    index = settings.static_dir / "index.html"
    assets = settings.static_dir / "assets"
    if assets.is_dir():
        app.mount("/assets", HashedAssets(assets), name="assets")

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    @access("web_ui", "read")
    async def web_ui(request: Request, path: str) -> Any:
        if methods := allowed_methods(app, request):
            return method_not_allowed(methods)
        if path.startswith("api/") or path in DOCS_PATHS:
            return JSONResponse(error_body("not_found", f"no endpoint at /{path}"), 404)
        candidate = (settings.static_dir / path).resolve()
        if path and candidate.is_file() and settings.static_dir.resolve() in candidate.parents:
            return FileResponse(candidate)
        if index.is_file():
            return index_response(index)
        return JSONResponse(
            {"message": "The web UI is not built yet: run `make web`. The API is at /docs."}
        )
