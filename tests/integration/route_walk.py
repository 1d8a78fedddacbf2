"""Every (rule, method) the app registers, with a URL built from made-up values, so contract tests
cover the routes other modules add without listing them."""

from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.routing import AnyConverter, BaseConverter, IntegerConverter, Rule

from blueprints.access import declared_roles

UNKNOWN_ID = 999_999  # no row has it: views answer 404 instead of changing a real row
_SKIPPED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Route:
    rule: Rule
    method: str
    url: str
    roles: Any  # frozenset of roles, None (public) or access._UNDECLARED

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/api/")

    @property
    def has_id(self) -> bool:
        return any(isinstance(c, IntegerConverter) for c in self.rule._converters.values())

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule} ({self.rule.endpoint})"


def _made_up_value(converter: BaseConverter) -> Any:
    if isinstance(converter, IntegerConverter):
        return UNKNOWN_ID
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _made_up_values(rule: Rule) -> dict[str, Any]:
    return {name: _made_up_value(converter) for name, converter in rule._converters.items()}


def routes(app: Flask) -> list[Route]:
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        built = rule.build(_made_up_values(rule), append_unknown=False)
        assert built is not None, f"cannot build a URL for {rule.rule}"
        url = built[1]
        for method in sorted((rule.methods or set()) - _SKIPPED_METHODS):
            found.append(Route(rule, method, url, declared_roles(app, rule.endpoint, method)))
    return found


def send(client, route: Route, headers: dict[str, str] | None = None):
    """The request a careless client would send: an empty JSON body to the API, an empty form to pages."""
    body: dict[str, Any] = {}
    if route.method in ("POST", "PUT", "PATCH"):
        body = {"json": {}} if route.is_api else {"data": {}}
    return client.open(route.url, method=route.method, headers=headers or {}, **body)
