"""Which methods an API address answers, for an honest `405 Method Not Allowed`.

FastAPI registers one route per method, so Starlette's own 405 names only the first route
that matched the address, and a GET to a POST-only address falls through to the web UI's
catch-all. A client (or a generated one) learns what an address takes only from a 405 whose
`Allow` lists every method the OpenAPI document declares there, so that document is the
source read here.
"""

import re
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from starlette.routing import compile_path

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@dataclass(frozen=True)
class Address:
    pattern: re.Pattern[str]
    parameters: int
    methods: frozenset[str]


class Addresses:
    """The document's paths compiled once; `allowed` answers per request path."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._addresses = [
            Address(
                pattern=compile_path(path)[0],
                parameters=path.count("{"),
                methods=frozenset(m.upper() for m in operations if m in HTTP_METHODS),
            )
            for path, operations in document.get("paths", {}).items()
        ]

    def allowed(self, path: str, *, fewer_parameters_than: int | None = None) -> list[str]:
        """The methods declared at the address that names `path` most literally.

        `/notifications/unread-count` matches both itself and `/notifications/{id}`; it is
        the first, so it answers only what that one declares. With `fewer_parameters_than`,
        only addresses naming the path more literally than the route that matched count:
        `DELETE /notifications/unread-count` matched `DELETE /notifications/{id}` and failed
        on the id, but the address is the literal one, so the honest answer is 405.
        """
        matching = [
            address
            for address in self._addresses
            if (fewer_parameters_than is None or address.parameters < fewer_parameters_than)
            and address.pattern.match(path)
        ]
        if not matching:
            return []
        literal = min(address.parameters for address in matching)
        return sorted(
            {m for address in matching if address.parameters == literal for m in address.methods}
        )


def allow_header(methods: list[str]) -> dict[str, str]:
    return {"Allow": ", ".join(methods)}


def allowed_methods(app: FastAPI, request: Request, *, more_literal: bool = False) -> list[str]:
    """Methods declared at this request's address; with `more_literal`, only at addresses
    with fewer path parameters than the route that matched it."""
    if not request.url.path.startswith("/api/"):
        return []
    addresses: Addresses | None = getattr(app.state, "addresses", None)
    if addresses is None:
        addresses = app.state.addresses = Addresses(app.openapi())
    fewer = None
    if more_literal:
        fewer = str(getattr(request.scope.get("route"), "path", "")).count("{")
    return addresses.allowed(request.url.path, fewer_parameters_than=fewer)
