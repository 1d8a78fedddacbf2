"""Case-insensitive "contains" filters in which % and _ are what the user typed, not wildcards."""

from sqlalchemy import ColumnElement, false, or_


def contains(text: str, *columns) -> ColumnElement[bool]:
    """Rows where any of `columns` contains `text`, ignoring case (SQLite and PostgreSQL alike)."""
    if not columns:
        return false()
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))
