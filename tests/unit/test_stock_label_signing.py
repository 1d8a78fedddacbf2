"""Signed location labels (scanning/label_signing.py): short, and a hand-made label is refused."""

import pytest

from scanning.errors import LabelRefused
from scanning.label_signing import derive_key, location_label_url, location_token, read_location_label

KEY = derive_key("server-secret")


def refused(scanned: str, key: bytes = KEY) -> LabelRefused:
    with pytest.raises(LabelRefused) as caught:
        read_location_label(key, scanned)
    return caught.value


def test_label_url_names_its_location():
    url = location_label_url("https://oh.example.cn", KEY, 42)
    assert url.startswith("https://oh.example.cn/s/loc/42.")
    assert read_location_label(KEY, url) == 42


def test_label_url_is_short_enough_for_a_small_qr_code():
    assert len(location_label_url("https://oh.example.cn", KEY, 123456)) <= 48


def test_path_or_bare_token_read_the_same_as_the_url():
    token = location_token(KEY, 7)
    assert read_location_label(KEY, f"/s/loc/{token}") == read_location_label(KEY, token) == 7


def test_query_string_and_trailing_slash_are_ignored():
    assert (
        read_location_label(KEY, location_label_url("https://oh.example.cn/", KEY, 9) + "/?src=camera") == 9
    )


def test_hand_made_label_for_another_location_is_refused():
    signature = location_token(KEY, 42).split(".")[1]
    error = refused(f"https://oh.example.cn/s/loc/43.{signature}")
    assert (error.code, error.status, set(error.fields)) == (
        "invalid_location_label",
        422,
        {"location_label"},
    )


def test_label_signed_with_another_server_key_is_refused():
    assert (
        refused(location_label_url("https://x.cn", derive_key("other-secret"), 42)).code
        == "invalid_location_label"
    )


def test_bare_location_number_is_refused():
    assert refused("42").code == "invalid_location_label"


def test_one_changed_character_of_the_signature_is_refused():
    token = location_token(KEY, 42)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert refused(flipped).code == "invalid_location_label"
