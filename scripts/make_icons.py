"""Draws the app icons (a white clipboard with ticked lines on the brand blue) into pwa/icons/.

Run `.venv/bin/python scripts/make_icons.py` after changing the mark; the PNGs are committed so the
app needs no drawing at start-up. Shapes only, no font: the result is the same on every machine.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (31, 95, 168, 255)  # #1f5fa8, the manifest's theme colour
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
SUPERSAMPLE = 4  # draw large, shrink with a good filter: smooth edges without antialiasing support
OUT = Path(__file__).resolve().parent.parent / "pwa" / "icons"


def _box(size: int, scale: float, x0: float, y0: float, x1: float, y1: float) -> list[float]:
    """A box given on a 100×100 grid, scaled about the centre by `scale` (maskable safe zone)."""
    offset = size * (1 - scale) / 2
    unit = size * scale / 100
    return [offset + x0 * unit, offset + y0 * unit, offset + x1 * unit, offset + y1 * unit]


def _point(size: int, scale: float, x: float, y: float) -> tuple[float, float]:
    x0, y0, _, _ = _box(size, scale, x, y, x, y)
    return (x0, y0)


def _draw_mark(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    unit = size * scale / 100
    draw.rounded_rectangle(_box(size, scale, 26, 20, 74, 86), radius=7 * unit, fill=WHITE)
    # The clip: a blue band cut out of the board's top, then a white clip inside it.
    draw.rounded_rectangle(_box(size, scale, 36, 12, 64, 29), radius=6 * unit, fill=BLUE)
    draw.rounded_rectangle(_box(size, scale, 40, 15, 60, 26), radius=4 * unit, fill=WHITE)
    line = 5 * unit
    for row in (44, 58, 72):
        tick = [_point(size, scale, x, row + dy) for x, dy in ((33, -1), (37, 3), (44, -5))]
        draw.line(tick, fill=BLUE, width=round(line * 0.8), joint="curve")
        draw.rounded_rectangle(_box(size, scale, 49, row - 2.5, 67, row + 2.5), radius=line / 2, fill=BLUE)


def draw_icon(size: int, maskable: bool) -> Image.Image:
    """`any` icons: a rounded tile with transparent corners. Maskable: full-bleed blue with the mark
    inside the central safe zone, because the launcher crops it to its own shape."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), BLUE if maskable else CLEAR)
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.22, fill=BLUE)
    _draw_mark(draw, big, scale=0.8 if maskable else 0.9)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw_icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        draw_icon(size, maskable=True).save(OUT / f"icon-maskable-{size}.png", optimize=True)
    # iOS ignores the manifest's icons and rounds the corners itself, so it gets the full-bleed one.
    draw_icon(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
