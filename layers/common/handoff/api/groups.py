"""A function's routes in groups that load on the first request to a path they serve.

A context's API can be large (Tickets: 36 routes over one ticket, its offers, costs, attachments, the
service board, reports and the partner systems' updates), and a request needs one group of it. Each group is
a module of the function's `routes` package with its own resolver (`new_app()`): its routes, the schemas
and services they import. The entry module names which template paths each group serves; a request
loads its group's module and is resolved there.

One resolver per group, not one `include_router`-ed resolver: Powertools tries routes in the order they
were registered, and a group loaded later would otherwise be shadowed by an earlier group's pattern (the
first `POST /tickets/<ticket_id>/<action>` would catch `/tickets/<id>/offers`). API Gateway has already
picked the route (`resource`), so the group it belongs to is the only resolver that sees the request.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

# Every function's groups, as the entry modules create them (the local stack and the OpenAPI document load
# them all; a Lambda sandbox loads what its requests need).
ALL: list[RouteGroups] = []


class RouteGroups:
    """`served` maps a template path prefix (`/tenants/{tenant_id}/tickets`) to the module of the function's
    `routes` package that serves it; a path goes to its longest matching prefix, segment by segment."""

    def __init__(self, package: str | None, served: Mapping[str, str]):
        # Beside the entry module: `routes.<group>` in a Lambda artifact (its root is on sys.path),
        # `functions.<context>.routes.<group>` in the local stack, which imports every function at once.
        self.package = f"{package}.routes" if package else "routes"
        self.served = dict(sorted(served.items(), key=lambda item: -len(item[0])))
        self._apps: dict[str, APIGatewayRestResolver] = {}
        self._lock = threading.Lock()  # the local stack serves requests on several threads
        ALL.append(self)

    def group_of(self, resource: str) -> str | None:
        for prefix, group in self.served.items():
            if resource == prefix or resource.startswith(prefix.rstrip("/") + "/"):
                return group
        return None

    def app_for(self, resource: str) -> APIGatewayRestResolver | None:
        """The resolver of the group serving this template path, loaded on first use; None if none does."""
        group = self.group_of(resource)
        return None if group is None else self.load(group)

    def load(self, group: str) -> APIGatewayRestResolver:
        loaded = self._apps.get(group)
        if loaded is None:
            with self._lock:
                loaded = self._apps.get(group)
                if loaded is None:
                    loaded = importlib.import_module(f"{self.package}.{group}").app
                    self._apps[group] = loaded
        return loaded

    def apps(self) -> dict[str, APIGatewayRestResolver]:
        """Every group's resolver, by group, loaded."""
        return {group: self.load(group) for group in sorted(set(self.served.values()))}


def load_everything() -> None:
    """Every group of every function imported so far (the local stack, the document, the route checks)."""
    for routes in ALL:
        routes.apps()
