"""Text search helpers: case-insensitive "contains" filters in which % and _ are what the user typed,
and the search key of a name, which holds its pinyin so that "zsmh" or "minghui" finds 中山市明辉."""

from pypinyin import Style, lazy_pinyin
from sqlalchemy import ColumnElement, false, or_

SEPARATOR = "|"  # between the parts of a search key, so no match spans two of them
# People say 中山明辉 for 中山市明辉 and type its initials "zsmh": the administrative words of a place
# name are also left out of one reading of the name.
PLACE_WORDS = str.maketrans("", "", "省市县区镇")


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(text: str, *columns) -> ColumnElement[bool]:
    """Rows where any of `columns` contains `text`, ignoring case (SQLite and PostgreSQL alike)."""
    if not columns:
        return false()
    pattern = "%" + escaped(text) + "%"
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def search_key(*texts: str) -> str:
    """Lower-case text to match what people type: each text as written, and for text with Chinese
    characters its full pinyin and its initials ("中山市明辉" → "zhongshanshiminghui", "zsmh").
    Phrases are read as phrases (长安 is chang'an, not zhang'an)."""
    parts: list[str] = []
    for text in texts:
        text = (text or "").strip().lower()
        if not text:
            continue
        parts.append(text)
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            parts += _pinyin(text)
            short = text.translate(PLACE_WORDS)
            if short != text:
                parts += _pinyin(short)
    return SEPARATOR.join(dict.fromkeys(parts))


def _pinyin(text: str) -> list[str]:
    syllables = lazy_pinyin(text, errors="ignore")
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return ["".join(s for s in syllables if s.strip()), "".join(s for s in initials if s.strip())]


def typed(query: str) -> str:
    """A search box's text as it is matched: trimmed and lower-cased, spaces between pinyin syllables
    dropped ("ming hui" finds minghui)."""
    return " ".join(query.lower().split())
