"""Text of a CSV exported by Excel on a Chinese Windows PC: UTF-8 with a BOM, plain UTF-8, or the ANSI
code page (GBK, whose superset GB18030 we decode with).

A strict cascade rather than a guess: a byte order mark decides; otherwise UTF-8 is tried strictly (GBK
text is almost never valid UTF-8, since its lead bytes 0x81-0xFE are followed by bytes that break UTF-8's
continuation rule); otherwise GB18030, strictly. Bytes that are neither are refused, never mangled.
"""

import codecs

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UndecodableText(ValueError):
    """The bytes are not text in any encoding Excel writes CSV in."""


def detect_encoding(data: bytes) -> str:
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    for name in ("utf-8", "gb18030"):
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return name
    raise UndecodableText("not UTF-8, UTF-16 or GBK/GB18030 text")


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name); a UTF-8 BOM is removed from the text."""
    name = detect_encoding(data)
    return data.decode(name), name
