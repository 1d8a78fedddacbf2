"""QR codes for labels with `qrcode`: a PNG for photos and tests, an SVG that prints sharp at any size."""

import io

import qrcode
import qrcode.constants

# Q: a quarter of the code may be scuffed, torn or lost under glare and it still reads; our payloads stay
# short (≤ ~60 characters), so the code stays at version 3-5 (29-37 modules across).
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q
QUIET_ZONE = 4  # modules of white around the code, as the standard asks; scanners need it


def _code(text: str, box_size: int = 10, border: int = QUIET_ZONE) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=border)
    code.add_data(text)
    code.make(fit=True)
    return code


def modules(text: str) -> list[list[bool]]:
    """The code's dark modules (True), quiet zone included."""
    return _code(text).get_matrix()


def qr_png(text: str, box_size: int = 10, border: int = QUIET_ZONE) -> bytes:
    image = _code(text, box_size, border).make_image(fill_color="black", back_color="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def qr_svg(text: str, border: int = QUIET_ZONE) -> str:
    """A standalone SVG: one <path> of horizontal runs of dark modules on a white square, sized by its
    viewBox so the page's CSS sets the printed size (crisp at any printer resolution)."""
    matrix = _code(text, border=border).get_matrix()
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"'
        f' role="img"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
