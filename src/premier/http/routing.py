"""Routing that skips a whole router when a path cannot be one of its routes.

FastAPI asks each included router in turn whether it holds a request's route, and each
answers by trying every one of its routes' patterns: a request for the twelfth router
pays for every route of the eleven before it (with about 170 routes, routing cost more
than a payment webhook's own work). A route's path can only match paths that start with
its literal part (what comes before its first `{parameter}`), so a router whose routes'
literal parts the path starts with none of says "no match" at once.
"""

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope


class Router(APIRouter):
    """An `APIRouter` that answers "no match" at once for a path none of its routes'
    literal beginnings start."""

    _heads: tuple[str, ...] = ("",)
    _heads_of_routes = -1

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] in ("http", "websocket") and not route_path(scope).startswith(
            self.heads()
        ):
            return Match.NONE, {}
        return super().matches(scope)

    def heads(self) -> tuple[str, ...]:
        """The literal beginnings of the routes' paths, read again when routes are added."""
        if self._heads_of_routes != len(self.routes):
            self._heads = tuple({_literal_start(route) for route in self.routes})
            self._heads_of_routes = len(self.routes)
        return self._heads


def _literal_start(route: object) -> str:
    """What any path the route matches starts with ("" when that is not known)."""
    path = getattr(route, "path", "")
    return path.partition("{")[0] if isinstance(path, str) else ""


def route_path(scope: Scope) -> str:
    """The path routes are matched against: the request's, less the app's mount point."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and (len(path) == len(root) or path[len(root)] == "/"):
        return path[len(root) :]
    return path
