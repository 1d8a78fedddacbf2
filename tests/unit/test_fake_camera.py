"""tests/browser/fake_camera.py writes clips Chromium's fake camera plays, with a readable label."""

import pytest
from PIL import Image

from scanning.decoding import read_codes
from tests.browser.fake_camera import write_label_clip, write_y4m

LABEL = "https://oh.example.cn/s/sku/PP-H1200"
FRAME_BYTES = 640 * 480 + 2 * (320 * 240)


def test_clip_has_a_420_header_and_whole_frames(tmp_path):
    clip = write_label_clip(tmp_path / "label.y4m", LABEL, frames_each=5).read_bytes()
    header, _, body = clip.partition(b"\n")
    assert header == b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg"
    frame = len(b"FRAME\n") + FRAME_BYTES
    assert len(body) == 5 * frame
    assert all(body[i * frame : i * frame + 6] == b"FRAME\n" for i in range(5))
    assert set(body[6 + 640 * 480 : frame]) == {128}  # grey: no colour


def test_frame_shows_the_label_readably(tmp_path):
    clip = write_label_clip(tmp_path / "label.y4m", LABEL, frames_each=1).read_bytes()
    luma = clip[clip.index(b"FRAME\n") + 6 :][: 640 * 480]
    assert read_codes(Image.frombytes("L", (640, 480), luma)) == [LABEL]


def test_labels_follow_one_another(tmp_path):
    second = "https://oh.example.cn/s/lot/PP-H1200/L7"
    clip = write_label_clip(tmp_path / "two.y4m", [LABEL, second], frames_each=2).read_bytes()
    frames = clip.split(b"FRAME\n")[1:]
    assert len(frames) == 4
    assert read_codes(Image.frombytes("L", (640, 480), frames[3][: 640 * 480])) == [second]


def test_odd_frame_size_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write_y4m(tmp_path / "odd.y4m", [Image.new("L", (641, 480))])
