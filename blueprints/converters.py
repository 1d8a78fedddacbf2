"""URL converters: `<int:...>` path values that the database can hold, so a hostile or mistyped id is
a 404, never an integer overflow inside SQLite or PostgreSQL (a 500)."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL `integer` primary keys


class DatabaseIdConverter(IntegerConverter):
    """werkzeug's int converter with a maximum; flask-smorest documents it as the path's `maximum`."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:  # fmt: skip
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app) -> None:
    """Before any blueprint: rules pick their converter when they are added."""
    app.url_map.converters["int"] = DatabaseIdConverter
