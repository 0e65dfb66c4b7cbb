"""One place that turns every error into the body `{"error": {code, message, details}}`."""

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from premier.http.methods import allow_header, allowed_methods
from premier.kit.errors import DomainError, RateLimited
from premier.kit.input import JSON_TYPE_ERROR

log = structlog.get_logger(__name__)


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(str(part) for part in _where(err)), "message": err["msg"],
         "type": err["type"]}
        for err in exc.errors()
    ]  # fmt: skip


def _where(err: Any) -> tuple[Any, ...]:
    """An error's location; a wrong JSON type, found for the whole body, names its field."""
    loc = tuple(err["loc"])
    if err["type"] == JSON_TYPE_ERROR:
        return (*loc, err["ctx"]["field"])
    return loc


def method_not_allowed(methods: list[str]) -> JSONResponse:
    return JSONResponse(
        error_body("method_not_allowed", f"this address takes {', '.join(methods)}"),
        405,
        headers=allow_header(methods),
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        headers = {}
        if isinstance(exc, RateLimited):
            headers["Retry-After"] = str(exc.retry_after_seconds)
        return JSONResponse(
            error_body(exc.code, exc.message, exc.details), exc.status_code, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if any(err["loc"][0] == "path" for err in exc.errors()):
            literal = allowed_methods(app, request, more_literal=True)
            if literal:
                return method_not_allowed(literal)
        details = _field_errors(exc)
        first = details[0] if details else {"field": "request", "message": "invalid"}
        message = f"{first['field']}: {first['message']}"
        return JSONResponse(error_body("validation_error", message, details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 405:
            # Starlette's own Allow names only the first route that matched the address.
            methods = allowed_methods(app, request)
            if methods:
                return method_not_allowed(methods)
        code = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code, headers=exc.headers)

    @app.exception_handler(OverflowError)
    async def _overflow(_: Request, exc: OverflowError) -> JSONResponse:
        # A number too large for the database, from a route that did not bound it.
        return JSONResponse(error_body("invalid_input", "a number is out of range"), 422)

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        # The database refused a value a schema let through: the client's, not ours.
        log.warning("database_refused_value", error=str(exc.orig))
        return JSONResponse(error_body("invalid_input", "a value is out of range"), 422)

    @app.exception_handler(PoolTimeout)
    async def _busy(_: Request, exc: PoolTimeout) -> JSONResponse:
        # Every database connection stayed busy for the pool timeout: overload, not a bug.
        log.warning("database_pool_exhausted")
        return JSONResponse(
            error_body("busy", "the hotel system is busy; try again shortly"),
            503,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        return JSONResponse(error_body("internal_error", "something went wrong on our side"), 500)
