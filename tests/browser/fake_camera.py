"""A fake camera for Chromium: label QR codes filmed as a .y4m clip for
`--use-fake-device-for-media-stream --use-file-for-fake-video-capture=<clip.y4m>`.

Chromium loops the clip. YUV4MPEG2 with 4:2:0 chroma (`C420jpeg`): each frame is `FRAME\\n`, then the
W×H luma plane, then two (W/2)×(H/2) chroma planes; a grey picture has every chroma byte at 128.

    from tests.browser.fake_camera import write_label_clip
    clip = write_label_clip(tmp_path / "loc.y4m", [location_label, lot_label])  # shown one after another
"""

import io
from pathlib import Path

from PIL import Image

from scanning.qr import qr_png

WIDTH, HEIGHT = 640, 480
FPS = 10


def label_frame(text: str, size: int = 360, width: int = WIDTH, height: int = HEIGHT) -> Image.Image:
    """The label's QR code, `size` pixels wide, centred on a light sheet."""
    code = Image.open(io.BytesIO(qr_png(text, box_size=8))).convert("L")
    code = code.resize((size, size), Image.Resampling.NEAREST)
    frame = Image.new("L", (width, height), 235)
    frame.paste(code, ((width - size) // 2, (height - size) // 2))
    return frame


def y4m_header(width: int = WIDTH, height: int = HEIGHT, fps: int = FPS) -> bytes:
    return f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode()


def write_y4m(path: Path, frames: list[Image.Image], fps: int = FPS) -> Path:
    """Greyscale frames (all one size, even width and height) as a 4:2:0 clip."""
    width, height = frames[0].size
    if width % 2 or height % 2:
        raise ValueError("4:2:0 needs an even width and height")
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with Path(path).open("wb") as out:
        out.write(y4m_header(width, height, fps))
        for frame in frames:
            if frame.size != (width, height):
                raise ValueError("every frame must have the first frame's size")
            out.write(b"FRAME\n" + frame.convert("L").tobytes() + chroma + chroma)
    return Path(path)


def write_label_clip(path: Path, texts: list[str] | str, frames_each: int = 10, size: int = 360) -> Path:
    """A clip showing each label in `texts` for `frames_each` identical frames, in order."""
    texts = [texts] if isinstance(texts, str) else texts
    frames = [label_frame(text, size) for text in texts for _ in range(frames_each)]
    return write_y4m(path, frames)
