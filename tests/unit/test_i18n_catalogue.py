"""The Chinese catalogue is complete (STYLE habit 6): every message in the source has a reviewed
translation with the same placeholders, and the compiled .mo the app loads says what the .po says."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
IGNORED_DIRS = {"migrations", "tests", "bench", "node_modules", "translations"}  # as `make i18n`
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|\{(\w*)\}")


def _wanted_dir(dirpath: str) -> bool:
    parts = Path(dirpath).relative_to(ROOT).parts
    return not any(part.startswith((".", "_")) or part in IGNORED_DIRS for part in parts)


def source_messages() -> dict[str, str]:
    """msgid → where it is used, read from the source with babel.cfg like `pybabel extract` does."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=_wanted_dir
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def po_catalogue(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def mo_catalogue(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        return read_mo(mo)


def translations(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def placeholders(text: str) -> set[str]:
    return {named or braced for named, braced in PLACEHOLDER.findall(text)}


def test_source_has_messages_to_translate():
    assert "Wrong username or password." in source_messages()


def test_every_source_message_is_in_the_chinese_catalogue():
    catalogue = po_catalogue("zh")
    missing = [f"{where}: {msgid!r}" for msgid, where in source_messages().items() if msgid not in catalogue]
    assert missing == [], "run `make i18n`; not in the catalogue:\n" + "\n".join(missing)


def test_every_source_message_has_a_reviewed_chinese_translation():
    catalogue = po_catalogue("zh")
    untranslated = [
        f"{where}: {msgid!r}"
        for msgid, where in source_messages().items()
        if (message := catalogue.get(msgid)) is not None
        and (message.fuzzy or not all(text.strip() for text in translations(message)))
    ]
    assert untranslated == [], "empty or fuzzy translations:\n" + "\n".join(untranslated)


def test_translations_keep_the_placeholders_of_the_english():
    wrong = []
    for message in po_catalogue("zh"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else [message.id]
        wanted = set().union(*(placeholders(text) for text in ids))
        wrong += [
            f"{message.id!r} → {text!r}"
            for text in translations(message)
            if text and placeholders(text) != wanted
        ]
    assert wrong == [], "placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_compiled_catalogue_matches_the_po_file(locale):
    """pybabel compile leaves out fuzzy and empty entries; the .mo must hold exactly the rest."""
    expected = {
        _hashable(message.id): _hashable(message.string)
        for message in po_catalogue(locale)
        if message.id and not message.fuzzy and all(translations(message))
    }
    compiled = {
        _hashable(message.id): _hashable(message.string)
        for message in mo_catalogue(locale)
        # babel compiles an untranslated plural as its English forms: same as falling back
        if message.id and not (isinstance(message.id, list) and message.string == message.id)
    }
    assert compiled == expected, "run `make i18n` (or `pybabel compile -d translations`)"


def _hashable(value):
    """Plural entries come back as tuples from a .po and as lists from a .mo."""
    return tuple(value) if isinstance(value, (list, tuple)) else value
