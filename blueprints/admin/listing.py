"""Admin lists: the search, "show deactivated" and sort choices read from the query string, and
links that keep them. Shared by every admin list page.

    params = ListParams.from_request(sort_keys=("code", "name"))
    ... query with params.q, params.inactive, params.sort, params.page ...
    render_template(..., params=params)   # templates/admin/_listing.html: toolbar(), pager()

In a template, `params.url(page=3)` is the current list's URL with one choice changed.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from flask import request, url_for

MAX_SEARCH = 100


@dataclass(frozen=True)
class ListParams:
    q: str = ""
    inactive: bool = False  # also show deactivated rows
    sort: str = ""  # a sort key, "-" in front for descending; "" = the list's default
    page: int = 1

    @classmethod
    def from_request(cls, sort_keys: Iterable[str]) -> "ListParams":
        args = request.args
        sort = args.get("sort", "")
        allowed = set(sort_keys)
        page = args.get("page", "1")
        return cls(
            q=args.get("q", "").strip()[:MAX_SEARCH],
            inactive=args.get("inactive") in ("1", "on", "y", "true"),
            sort=sort if sort.lstrip("-") in allowed else "",
            page=int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1,
        )

    def url(self, **changes: Any) -> str:
        """This list's URL with `changes` applied; defaults are left out so links stay short."""
        chosen = asdict(replace(self, **changes))
        defaults = asdict(ListParams())
        args = {k: ("1" if v is True else v) for k, v in chosen.items() if v != defaults[k]}
        return url_for(request.endpoint, **(request.view_args or {}), **args)
