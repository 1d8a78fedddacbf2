"""Rough phone photos of printed labels, made from a seed: what the decoder is tested and measured on.

Each photo is 1280×720 (a phone's video-size still), JPEG, of one label of this app on a cluttered
background, with what a warehouse photo suffers: the code small or large, turned, seen at an angle,
out of focus or shaken, noisy, under a glare spot, washed out (low contrast), and compressed. Some
photos hold other codes too (a supplier's QR, an EAN-13 barcode). Everything comes from `random.Random`
and numpy's seeded generator, so a seed always makes the same photo.
"""

import io
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from scanning.qr import modules

WIDTH, HEIGHT = 1280, 720
BASE = "https://oh.example.cn"
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


@dataclass
class Rough:
    """How rough one photo is. Defaults: a clean, square, mid-size shot."""

    size: int = 260  # the code's width in pixels, quiet zone included
    angle: float = 0.0  # degrees, in the photo's plane
    tilt: float = 0.0  # 0..0.35: how far the corners are pulled (perspective)
    blur: float = 0.0  # Gaussian radius in pixels
    motion: int = 0  # length of a horizontal shake in pixels
    noise: float = 0.0  # sensor noise, standard deviation in grey levels
    glare: float = 0.0  # 0..1: strength of a bright spot over part of the code
    contrast: float = 1.0  # 1 = black on white; 0.25 = dark grey on light grey
    jpeg: int = 85
    others: int = 0  # other (foreign) codes in view
    seed: int = 0


@dataclass
class Photo:
    jpeg: bytes
    text: str  # the app label in the photo
    others: list[str] = field(default_factory=list)
    rough: Rough = field(default_factory=Rough)


def label_text(rng: random.Random) -> str:
    kind = rng.choice(["loc", "sku", "lot", "wo", "sn"])
    n = rng.randrange(1, 99999)
    ids = {
        "loc": f"{n}.{''.join(rng.choice(BASE64URL) for _ in range(11))}",
        "sku": f"PP-H{n:05d}",
        "lot": f"RM-{n % 900:03d}/L2601{n % 28 + 1:02d}-{rng.choice('ABC')}",
        "wo": f"WO-202601{n % 28 + 1:02d}-{n % 9999:04d}",
        "sn": f"SN{n:08d}",
    }
    return f"{BASE}/s/{kind}/{ids[kind]}"


def qr_image(text: str, module_px: int = 8) -> Image.Image:
    matrix = np.array(modules(text), dtype=bool)
    pixels = np.where(matrix, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "L").resize(
        (matrix.shape[1] * module_px, matrix.shape[0] * module_px), Image.Resampling.NEAREST
    )


EAN_L = [
    "0001101",
    "0011001",
    "0010011",
    "0111101",
    "0100011",
    "0110001",
    "0101111",
    "0111011",
    "0110111",
    "0001011",
]
EAN_G = [
    "0100111",
    "0110011",
    "0011011",
    "0100001",
    "0011101",
    "0111001",
    "0000101",
    "0010001",
    "0001001",
    "0010111",
]
EAN_FIRST = [
    "LLLLLL",
    "LLGLGG",
    "LLGGLG",
    "LLGGGL",
    "LGLLGG",
    "LGGLLG",
    "LGGGLL",
    "LGLGLG",
    "LGLGGL",
    "LGGLGL",
]


def ean13(digits12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return digits12 + str((10 - total % 10) % 10)


def ean_image(code: str, bar_px: int = 3, height: int = 120) -> Image.Image:
    """An EAN-13 barcode: another kind of code a worker's camera sees on a box."""
    pattern = EAN_FIRST[int(code[0])]
    bits = "101"
    for i, digit in enumerate(code[1:7]):
        bits += (EAN_L if pattern[i] == "L" else EAN_G)[int(digit)]
    bits += "01010"
    for digit in code[7:]:
        bits += "".join("1" if b == "0" else "0" for b in EAN_L[int(digit)])
    bits += "101"
    quiet = 11
    row = np.array([0] * quiet + [int(b) for b in bits] + [0] * quiet, dtype=bool)
    pixels = np.where(np.tile(row, (height, 1)), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "L")
    return image.resize((image.width * bar_px, height), Image.Resampling.NEAREST)


def _background(rng: random.Random, np_rng: np.random.Generator) -> Image.Image:
    """A shelf-ish scene: a shaded gradient with boxes and lines in it."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    base = 90 + 60 * (x / WIDTH) + 40 * np.sin(y / (60 + rng.random() * 80))
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "L").convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randrange(6, 16)):
        x0, y0 = rng.randrange(-100, WIDTH), rng.randrange(-100, HEIGHT)
        colour = tuple(rng.randrange(30, 220) for _ in range(3))
        draw.rectangle([x0, y0, x0 + rng.randrange(40, 400), y0 + rng.randrange(30, 300)], fill=colour)
    for _ in range(rng.randrange(4, 12)):
        points = [(rng.randrange(WIDTH), rng.randrange(HEIGHT)) for _ in range(2)]
        draw.line(points, fill=tuple(rng.randrange(256) for _ in range(3)), width=rng.randrange(1, 6))
    return image


def _label_card(code: Image.Image, contrast: float) -> Image.Image:
    """The code on its white label, inked at `contrast` (1 = full black on white)."""
    pad = code.width // 10
    card = Image.new("L", (code.width + 2 * pad, code.height + 3 * pad), 255)
    card.paste(code, (pad, pad))
    ImageDraw.Draw(card).rectangle(
        [pad, code.height + pad + pad // 3, code.width - pad, code.height + 2 * pad], fill=60
    )  # the human-readable line under the code, as a dark bar
    light, dark = 255 - (1 - contrast) * 60, (1 - contrast) * 170
    pixels = np.asarray(card, dtype=np.float32) / 255.0
    return Image.fromarray((dark + pixels * (light - dark)).astype(np.uint8), "L")


def _perspective_coefficients(source: list[tuple[float, float]], target: list[tuple[float, float]]):
    """Pillow's PERSPECTIVE maps output (target) pixels to input (source) ones."""
    rows = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    return np.linalg.solve(np.array(rows, dtype=float), np.array(source, dtype=float).reshape(8)).tolist()


def _place(
    photo: Image.Image,
    card: Image.Image,
    width: int,
    angle: float,
    tilt: float,
    rng: random.Random,
    taken: list,
) -> None:
    """Paste `card` scaled to `width`, turned and seen at an angle, where it overlaps nothing taken."""
    scale = width / card.width
    w, h = card.width * scale, card.height * scale
    theta = np.radians(angle)
    corners = np.array([(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)])
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    corners = corners @ rotation.T
    corners += np.array([[rng.uniform(-tilt, tilt) * w, rng.uniform(-tilt, tilt) * h] for _ in range(4)])
    span = corners.max(axis=0) - corners.min(axis=0)
    for _ in range(40):
        cx = rng.uniform(span[0] / 2 + 4, max(span[0] / 2 + 5, WIDTH - span[0] / 2 - 4))
        cy = rng.uniform(span[1] / 2 + 4, max(span[1] / 2 + 5, HEIGHT - span[1] / 2 - 4))
        box = (cx - span[0] / 2, cy - span[1] / 2, cx + span[0] / 2, cy + span[1] / 2)
        if not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken):
            break
    taken.append(box)
    target = [(cx + x, cy + y) for x, y in corners]
    source = [(0, 0), (card.width, 0), (card.width, card.height), (0, card.height)]
    coefficients = _perspective_coefficients(source, target)
    warped = card.convert("RGB").transform(
        photo.size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR
    )
    mask = Image.new("L", card.size, 255).transform(
        photo.size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR
    )
    photo.paste(warped, (0, 0), mask)


def _glare(photo: Image.Image, box: tuple, strength: float, rng: random.Random) -> Image.Image:
    x0, y0, x1, y1 = box
    cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
    radius = (x1 - x0) * rng.uniform(0.15, 0.35)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    spot = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius**2)) * 255 * strength
    pixels = np.asarray(photo, dtype=np.float32) + spot[..., None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def render(text: str, rough: Rough, others: list[str] | None = None) -> bytes:
    """One JPEG photo of the label `text` (and the foreign codes `others`) taken as rough as `rough`."""
    rng = random.Random(rough.seed)
    np_rng = np.random.default_rng(rough.seed)
    photo = _background(rng, np_rng)
    taken: list = []
    code = qr_image(text)
    _place(photo, _label_card(code, rough.contrast), rough.size * 1.2, rough.angle, rough.tilt, rng, taken)
    label_box = taken[0]
    for other in others or []:
        image = ean_image(other) if other.isdigit() else qr_image(other)
        card = _label_card(image, 1.0)
        _place(photo, card, rng.uniform(180, 300), rng.uniform(-20, 20), 0.05, rng, taken)
    if rough.glare:
        photo = _glare(photo, label_box, rough.glare, rng)
    if rough.motion:
        kernel = ImageFilter.Kernel((5, 5), [0] * 10 + [1] * 5 + [0] * 10)
        for _ in range(max(1, rough.motion // 4)):
            photo = photo.filter(kernel)
    if rough.blur:
        photo = photo.filter(ImageFilter.GaussianBlur(rough.blur))
    if rough.noise:
        pixels = np.asarray(photo, dtype=np.float32) + np_rng.normal(0, rough.noise, (HEIGHT, WIDTH, 1))
        photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=rough.jpeg)
    return out.getvalue()


def random_rough(rng: random.Random, seed: int) -> Rough:
    """A rough photo as phones in a warehouse take them: most a bit off, some very."""
    return Rough(
        size=int(rng.choice([rng.uniform(75, 140), rng.uniform(110, 260), rng.uniform(200, 460)])),
        angle=rng.uniform(-180, 180) if rng.random() < 0.5 else rng.uniform(-12, 12),
        tilt=rng.choice([0.0, rng.uniform(0.05, 0.18), rng.uniform(0.15, 0.3)]),
        blur=rng.choice([0.0, rng.uniform(0.5, 1.8), rng.uniform(1.5, 3.2)]),
        motion=rng.choice([0, 0, 0, rng.randrange(4, 12)]),
        noise=rng.choice([0.0, rng.uniform(4, 14), rng.uniform(12, 28)]),
        glare=rng.choice([0.0, 0.0, rng.uniform(0.4, 0.9)]),
        contrast=rng.choice([1.0, 1.0, rng.uniform(0.35, 0.7), rng.uniform(0.15, 0.35)]),
        jpeg=rng.choice([85, 60, rng.randrange(20, 45)]),
        others=rng.choice([0, 0, 1, 2]),
        seed=seed,
    )


def photo_set(count: int = 200, seed: int = 2026) -> list[Photo]:
    rng = random.Random(seed)
    photos = []
    for index in range(count):
        rough = random_rough(rng, seed * 1000 + index)
        text = label_text(rng)
        others = [
            ean13(f"69{rng.randrange(10**10):010d}")
            if rng.random() < 0.5
            else f"https://supplier.example.com/p/{rng.randrange(10**6)}"
            for _ in range(rough.others)
        ]
        photos.append(Photo(render(text, rough, others), text, others, rough))
    return photos
