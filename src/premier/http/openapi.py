"""The OpenAPI document tells the truth about errors: every operation declares the error
answers it can give, each with the one error body every error has.

FastAPI declares only the success answer and its own 422 (with a body shape we never send).
The errors come from one place (premier.errors) and the access table, so they can be
declared from the same facts, for every route, here:

- 401 and 403 where the access table asks for a signed-in seat;
- 404 where the path names a thing by id, or the body may name one;
- 409 and 413 where a request writes;
- the refusals of public routes that check something else than a seat: a provider's
  signature on webhooks, a password or refresh token on signing in;
- 400, 422, 429 and 503 anywhere: a malformed request, a refused value, a rate limit,
  a database too busy to answer in time.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from premier.auth import access

ERROR_SCHEMA = "ErrorBody"
WRITES = frozenset({"post", "put", "patch", "delete"})
_DESCRIPTIONS = {
    "400": "The request is malformed (for example a bad Idempotency-Key header).",
    "401": "Not signed in, or the access token has expired.",
    "403": "Signed in, but this seat may not do this.",
    "404": "The thing named by an id does not exist, or is not yours to see.",
    "409": "The request conflicts with the current state (already booked, already paid...).",
    "413": "The request body is larger than the limit.",
    "422": "A value is missing or refused; `details` names each field and why.",
    "429": "Too many requests; `Retry-After` says when to try again.",
    "503": "The hotel system is busy; try again shortly.",
}
_ERROR_BODY = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "What went wrong, for programs."},
                "message": {"type": "string", "description": "What went wrong, for people."},
                "details": {"description": "Per-field errors, or facts about the error."},
            },
        }
    },
}


# Public routes that still refuse: what they check instead of a seat.
_PUBLIC_REFUSALS: dict[access.Permission, tuple[str, str]] = {
    ("email_webhook", "deliver"): (
        "403",
        "The provider's signature does not verify, was used before, or this provider's "
        "webhook is not configured.",
    ),
    ("sms_webhook", "deliver"): ("403", "The provider's signature does not verify."),
    ("payment_webhook", "deliver"): ("401", "The provider's signature does not verify."),
    ("session", "sign_in"): ("401", "Wrong email or password."),
    ("session", "refresh"): ("401", "No valid refresh token: sign in again."),
}


def replayed(model: type[Any]) -> dict[int | str, dict[str, Any]]:
    """A create that, sent again, answers 200 with what the first request made."""
    return {200: {"model": model, "description": "Sent before: the one the first request made."}}


def install(app: FastAPI) -> None:
    """Build the document once, with the errors declared."""

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            declare_errors(generate(), routes=_api_routes(app.router.routes))
        assert app.openapi_schema is not None
        return app.openapi_schema

    setattr(app, "openapi", openapi)  # noqa: B010 - FastAPI's documented way to customise it


def declare_errors(document: dict[str, Any], *, routes: Iterable[APIRoute]) -> None:
    by_id = {route.unique_id: route.endpoint for route in routes}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_SCHEMA] = _ERROR_BODY
    for schemas_name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(schemas_name, None)
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            endpoint = by_id.get(operation.get("operationId", ""))
            _absent_not_null(operation.get("parameters", []))
            codes = _error_codes(path, method, endpoint, operation)
            responses = operation.setdefault("responses", {})
            refusal = _public_refusal(endpoint)
            if refusal is not None:
                responses.setdefault(refusal[0], {"description": refusal[1]})
            # A route may name an error of its own (`responses=` on its decorator), with
            # the description that fits it; it gets the one error body too.
            codes |= {code for code in responses if code[:1] in ("4", "5")}
            for code in sorted(codes):
                responses[code] = _response(code, responses.get(code, {}).get("description"))


def _error_codes(
    path: str, method: str, endpoint: Callable[..., Any] | None, operation: dict[str, Any]
) -> set[str]:
    codes = {"400", "422", "429", "503"}
    permission = access.declared(endpoint) if endpoint else None
    if permission is None or not access.is_public(permission):
        codes |= {"401", "403"}
    writes = method in WRITES
    if "{" in path or writes:
        codes.add("404")
    if writes:
        codes |= {"409", "413"}
    return codes


def _absent_not_null(parameters: list[dict[str, Any]]) -> None:
    """A query, header or path value is text: it cannot be null, only left out. FastAPI
    writes `str | None` parameters as "string or null"; a client taking that at its word
    sends an empty value, which the length and pattern rules refuse."""
    for parameter in parameters:
        schema = parameter.get("schema", {})
        choices = schema.get("anyOf")
        if not choices or {"type": "null"} not in choices:
            continue
        kept = [choice for choice in choices if choice != {"type": "null"}]
        schema.pop("anyOf")
        schema.update(kept[0] if len(kept) == 1 else {"anyOf": kept})


def _public_refusal(endpoint: Callable[..., Any] | None) -> tuple[str, str] | None:
    permission = access.declared(endpoint) if endpoint else None
    if permission is None or not access.is_public(permission):
        return None
    return _PUBLIC_REFUSALS.get(permission)


def _response(code: str, description: str | None = None) -> dict[str, Any]:
    return {
        "description": description or _DESCRIPTIONS[code],
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}
        },
    }


def _api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every API route, including those of included routers."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _api_routes(inner.routes)
