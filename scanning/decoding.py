"""Every code in a phone photo, this app's labels first (DESIGN §12 `scanning.decode`).

pyzbar reads first. pyzbar alone misses about two photos in three of the rough ones in
bench/decode_rate.py (small, turned, at an angle, blurred, washed out), so behind the same function
zxing-cpp reads the same picture too (it finds codes pyzbar misses and the other way round), and while
no label of this app has been found, a short chain of reworked pictures follows: sharpened, enlarged,
halved, contrast stretched. The chain stops at the first label of this app, or when its time is up.
bench/README.md has the numbers.
"""

import io
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from scanning.errors import LabelRefused

# What phones and scanners upload; anything else (a PDF, a HEIC the browser did not convert, a text
# file) is refused by its first bytes before Pillow parses anything.
MAGIC = {
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"BM": "BMP",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}
MAX_PIXELS = 50_000_000  # a 48 MP phone photo passes; a decompression bomb does not
WORK_SIDE = 2000  # longer side the decoders work at: enough for a label a tenth of a 12 MP frame wide
UPSCALE_BELOW = 1400  # pictures whose longer side is smaller than this are also tried at double size
# The rework chain stops after this much CPU time of the calling thread (a photo with no code at all);
# CPU, not wall-clock, so a busy server reads the same photos as an idle one, only later.
CPU_BUDGET_S = 1.2
_APP_LABEL = re.compile(r"/s/(?:loc|sku|lot|wo|sn)/[^/?#]")


def image_format(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return next((name for magic, name in MAGIC.items() if data.startswith(magic)), None)


def open_photo(data: bytes) -> Image.Image:
    """The photo as a greyscale picture the right way up, or a refusal a worker can act on."""
    kind = image_format(data or b"")
    if kind is None:
        raise LabelRefused(
            "not_an_image",
            _("This file is not a photo; take a JPEG or PNG picture of the label."),
            {"photo": _("not a JPEG, PNG, WebP, GIF, BMP or TIFF image")},
            status=415,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            if image.format == "JPEG" and max(image.size) > 2 * WORK_SIDE:
                # A 12 MP phone JPEG decoded straight at half or quarter size (DCT scaling): the
                # decoders work at WORK_SIDE anyway, and this saves most of the decode time.
                scale = WORK_SIDE / max(image.size)
                image.draft("L", (round(image.width * scale), round(image.height * scale)))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise LabelRefused(
            "image_too_large",
            _("This picture has too many pixels (at most %(mp)d megapixels).", mp=MAX_PIXELS // 1_000_000),
            {"photo": _("too many pixels")},
            status=413,
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise LabelRefused(
            "unreadable_image",
            _("This picture is damaged or cut off; take the photo again."),
            {"photo": _("the image data is damaged")},
        ) from error
    return ImageOps.exif_transpose(image).convert("L")


def _pyzbar(picture: Image.Image) -> list[str]:
    from pyzbar import pyzbar

    return [_text(symbol.data) for symbol in pyzbar.decode(picture, symbols=_pyzbar_symbols())]


def _pyzbar_symbols() -> list:
    # Without DataBar: zbar's DataBar decoder prints assertion failures on noisy photos and finds
    # nothing a warehouse labels with.
    from pyzbar.pyzbar import ZBarSymbol

    return [
        ZBarSymbol.QRCODE,
        ZBarSymbol.EAN13,
        ZBarSymbol.EAN8,
        ZBarSymbol.UPCA,
        ZBarSymbol.UPCE,
        ZBarSymbol.CODE128,
        ZBarSymbol.CODE39,
        ZBarSymbol.I25,
    ]


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _zxing(picture: Image.Image) -> list[str]:
    try:
        import zxingcpp
    except ImportError:  # the fallback is optional: without it pyzbar and the reworked pictures remain
        return []
    return [barcode.text for barcode in zxingcpp.read_barcodes(picture) if barcode.text]


def _sharpened(picture: Image.Image) -> Image.Image:
    return picture.filter(ImageFilter.UnsharpMask(radius=3, percent=200, threshold=0))


def _halved_sharpened(picture: Image.Image) -> Image.Image:
    """A large, blurred code: half size makes its edges steep again."""
    return picture.reduce(2).filter(ImageFilter.UnsharpMask(radius=2, percent=250, threshold=0))


def _doubled_sharpened(picture: Image.Image) -> Image.Image | None:
    doubled = _doubled(picture)
    return doubled.filter(ImageFilter.UnsharpMask(radius=4, percent=250, threshold=0)) if doubled else None


def _doubled(picture: Image.Image) -> Image.Image | None:
    if max(picture.size) >= UPSCALE_BELOW:
        return None
    return picture.resize((picture.width * 2, picture.height * 2), Image.Resampling.BICUBIC)


def _stretched(picture: Image.Image) -> Image.Image:
    return ImageOps.autocontrast(picture, cutoff=1)


@dataclass(frozen=True)
class Attempt:
    name: str
    rework: Callable[[Image.Image], Image.Image | None]
    reader: Callable[[Image.Image], list[str]]


# Ordered by what each adds on bench/decode_rate.py's photos per millisecond spent.
REWORKS = (
    Attempt("zxing sharpened", _sharpened, _zxing),
    Attempt("zxing halved sharpened", _halved_sharpened, _zxing),
    Attempt("zxing doubled", _doubled, _zxing),
    Attempt("pyzbar doubled", _doubled, _pyzbar),
    Attempt("pyzbar stretched", _stretched, _pyzbar),
    Attempt("zxing doubled sharpened", _doubled_sharpened, _zxing),
)


def is_app_label(text: str) -> bool:
    """Shaped like a label of this app; scanning.labels.parse_label decides for real."""
    return bool(_APP_LABEL.search(text))


def _working_size(picture: Image.Image) -> Image.Image:
    factor = max(picture.size) / WORK_SIDE
    if factor <= 1:
        return picture
    return picture.resize(
        (round(picture.width / factor), round(picture.height / factor)), Image.Resampling.BOX
    )


def read_codes(picture: Image.Image, reworks: tuple[Attempt, ...] = REWORKS) -> list[str]:
    """The codes in a greyscale picture: both decoders on it, then the reworks until a label of this
    app is found or the time budget is spent; deduplicated, labels of this app first."""
    picture = _working_size(picture)
    found = dict.fromkeys(_pyzbar(picture) + _zxing(picture))
    started = time.thread_time()
    for attempt in reworks:
        if any(is_app_label(text) for text in found) or time.thread_time() - started > CPU_BUDGET_S:
            break
        reworked = attempt.rework(picture)
        if reworked is not None:
            found.update(dict.fromkeys(attempt.reader(reworked)))
    return sorted(found, key=lambda text: not is_app_label(text))


def decode(image_bytes: bytes) -> list[str]:
    """The text of every code found in a photo, the app's own labels first. A file that is not an
    image, or one with too many pixels, is refused with a LabelRefused (`not_an_image`,
    `unreadable_image`, `image_too_large`); a photo without a code gives an empty list."""
    return read_codes(open_photo(image_bytes))


def pyzbar_only(image_bytes: bytes) -> list[str]:
    """pyzbar alone on the same picture: the baseline bench/decode_rate.py measures against."""
    return _pyzbar(_working_size(open_photo(image_bytes)))
