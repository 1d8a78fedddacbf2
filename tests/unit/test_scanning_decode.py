"""scanning.decode on generated phone photos of labels: rough ones read, bad files refused plainly."""

import io

import pytest
from PIL import Image

import scanning
from scanning.decoding import open_photo, pyzbar_only
from scanning.errors import LabelRefused
from tests.label_photos import Rough, ean13, render

LABEL = "https://oh.example.cn/s/lot/RM-017/L260114-B"
SUPPLIER = "https://supplier.example.com/p/778899"


@pytest.mark.parametrize(
    "rough",
    [
        pytest.param(Rough(seed=1), id="clean"),
        pytest.param(Rough(angle=137, seed=2), id="rotated"),
        pytest.param(Rough(angle=8, tilt=0.22, seed=3), id="perspective"),
        pytest.param(Rough(blur=1.6, seed=4), id="blur"),
        pytest.param(Rough(motion=8, seed=5), id="shaken"),
        pytest.param(Rough(size=520, seed=6), id="large"),
        pytest.param(Rough(size=95, seed=7), id="small"),
        pytest.param(Rough(noise=22, seed=8), id="noise"),
        pytest.param(Rough(glare=0.7, seed=9), id="glare"),
        pytest.param(Rough(contrast=0.25, seed=10), id="low-contrast"),
        pytest.param(Rough(jpeg=20, seed=11), id="jpeg-q20"),
        pytest.param(Rough(angle=-30, tilt=0.12, blur=1.0, noise=10, jpeg=40, seed=12), id="all-at-once"),
    ],
)
def test_rough_photo_of_a_label_is_read(rough):
    assert scanning.decode(render(LABEL, rough)) == [LABEL]


def test_several_codes_in_view_put_the_app_label_first():
    barcode = ean13("690123456789")
    codes = scanning.decode(render(LABEL, Rough(others=2, seed=21), [SUPPLIER, barcode]))
    assert codes[0] == LABEL
    assert set(codes) == {LABEL, SUPPLIER, barcode}


def test_photos_pyzbar_alone_misses_are_read_by_the_fallback():
    """The fallback earns its place: these photos defeat pyzbar on its own."""
    photos = [
        render(LABEL, Rough(size=85, angle=33, seed=31)),
        render(LABEL, Rough(contrast=0.2, noise=14, seed=32)),
        render(LABEL, Rough(tilt=0.28, blur=1.4, seed=33)),
    ]
    assert [pyzbar_only(photo) for photo in photos] == [[], [], []]
    assert [scanning.decode(photo) for photo in photos] == [[LABEL]] * 3


def test_png_and_exif_rotated_photos_are_read():
    photo = Image.open(io.BytesIO(render(LABEL, Rough(seed=41))))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone on its side
    photo.rotate(90, expand=True).save(out, format="JPEG", exif=exif)
    png = io.BytesIO()
    photo.save(png, format="PNG")
    assert scanning.decode(out.getvalue()) == [LABEL]
    assert scanning.decode(png.getvalue()) == [LABEL]


def test_photo_without_a_code_gives_no_codes():
    blank = io.BytesIO()
    Image.new("RGB", (1280, 720), (120, 130, 140)).save(blank, format="JPEG")
    assert scanning.decode(blank.getvalue()) == []


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.7 not a photo", b"hello", "二维码".encode()], ids=["empty", "pdf", "text", "utf8"]
)
def test_file_that_is_not_an_image_is_refused(data):
    with pytest.raises(LabelRefused) as caught:
        scanning.decode(data)
    assert (caught.value.code, caught.value.status) == ("not_an_image", 415)


def test_cut_off_photo_is_refused_as_damaged():
    with pytest.raises(LabelRefused) as caught:
        scanning.decode(render(LABEL, Rough(seed=51))[:2000])
    assert caught.value.code == "unreadable_image"


def test_decompression_bomb_is_refused_before_it_is_unpacked():
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, format="PNG")  # 144 MP in ~20 KB
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(LabelRefused) as caught:
        scanning.decode(bomb.getvalue())
    assert (caught.value.code, caught.value.status) == ("image_too_large", 413)


def test_full_size_phone_photo_turned_by_exif_is_read():
    photo = Image.open(io.BytesIO(render(LABEL, Rough(size=220, seed=61)))).resize((4032, 2268))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    photo.rotate(90, expand=True).save(out, format="JPEG", exif=exif, quality=88)
    assert open_photo(out.getvalue()).size == (2016, 1134)  # decoded at half size, the right way up
    assert scanning.decode(out.getvalue()) == [LABEL]
