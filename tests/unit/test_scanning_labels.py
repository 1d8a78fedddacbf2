"""Label payloads (scanning/labels.py): each kind reads back to its ids; foreign codes are not ours."""

import pytest

from scanning.errors import LabelRefused
from scanning.label_signing import derive_key, location_label_url, location_token
from scanning.labels import container_url, label_url, location_url, read_label

KEY = derive_key("server-secret")
BASE = "https://oh.example.cn"
OURS = (BASE,)


def read(text: str, bases: tuple[str, ...] = OURS):
    return read_label(text, KEY, bases)


def test_location_label_reads_to_its_id():
    label = read(location_url(BASE, KEY, 42))
    assert (label.kind, label.ids) == ("loc", {"location_id": 42})


def test_sku_label_reads_to_its_code():
    assert read(label_url(BASE, "sku", "PP-H1200")).to_dict() == {
        "kind": "sku",
        "text": f"{BASE}/s/sku/PP-H1200",
        "sku": "PP-H1200",
    }


def test_lot_label_keeps_a_slash_inside_the_sku_code():
    url = label_url(BASE, "lot", "RM/PP-01", "L240115 A")
    assert url == f"{BASE}/s/lot/RM%2FPP-01/L240115%20A"
    assert read(url).ids == {"sku": "RM/PP-01", "lot": "L240115 A"}


def test_work_order_and_serial_labels_read_to_their_numbers():
    assert read(label_url(BASE, "wo", "WO-20260112-0003")).ids == {"work_order": "WO-20260112-0003"}
    assert read(label_url(BASE, "sn", "SN000123")).ids == {"serial": "SN000123"}


def test_unicode_ids_round_trip():
    assert read(label_url(BASE, "lot", "原料-01", "批次7")).ids == {"sku": "原料-01", "lot": "批次7"}


def test_bare_path_query_and_trailing_slash_are_accepted():
    assert read("/s/sku/PP-H1200/?from=camera#x").ids == {"sku": "PP-H1200"}


def test_base_with_a_path_prefix_and_other_case_is_ours():
    assert read("HTTPS://OH.example.cn/plant/s/sku/A1", ("https://oh.example.cn/plant/",)).kind == "sku"


@pytest.mark.parametrize(
    "text",
    [
        "6901234567892",
        "https://supplier.example.com/product/123",
        "https://other.example.com/s/sku/PP-H1200",
        "",
        "   ",
        "https://oh.example.cn/s/box/12",
    ],
)
def test_foreign_codes_are_not_ours(text):
    assert read(text) is None


def test_any_address_is_accepted_when_no_base_is_known():
    assert read("https://other.example.com/s/sn/SN1", ()).ids == {"serial": "SN1"}


def test_signed_location_label_from_an_old_address_is_still_ours():
    assert read(location_url("http://192.168.1.5:5000", KEY, 7)).ids == {"location_id": 7}


def test_forged_location_label_of_this_app_is_refused():
    signature = location_token(KEY, 42).split(".")[1]
    with pytest.raises(LabelRefused) as caught:
        read(f"{BASE}/s/loc/43.{signature}")
    assert caught.value.code == "invalid_location_label"


def test_another_sites_location_url_is_foreign_not_forged():
    assert read("https://other.example.com/s/loc/43.AAAAAAAAAAA") is None


@pytest.mark.parametrize("text", [f"{BASE}/s/lot/PP-H1200", f"{BASE}/s/sku/A/B", f"{BASE}/s/sku/{'x' * 65}"])
def test_label_with_wrong_segments_is_refused(text):
    with pytest.raises(LabelRefused) as caught:
        read(text)
    assert caught.value.code == "invalid_label"


def test_label_url_refuses_wrong_id_count():
    with pytest.raises(ValueError):
        label_url(BASE, "lot", "only-sku")


def test_location_label_carries_its_printed_code_and_still_reads_to_its_id():
    url = location_label_url(BASE, KEY, 21, "B-01-01")
    assert url == f"{BASE}/s/loc/{location_token(KEY, 21)}?c=B-01-01"
    assert read_label(url, KEY, (BASE,)).ids == {"location_id": 21}


def test_a_printed_code_is_percent_encoded():
    assert location_label_url(BASE, KEY, 7, "原料/A 1").endswith("?c=%E5%8E%9F%E6%96%99%2FA%201")


def test_container_label_reads_to_its_lot_and_the_quantity_packed():
    url = container_url(BASE, KEY, "RES-ABS-01", "L1", "25")
    assert url.startswith(f"{BASE}/s/lot/RES-ABS-01/L1?q=25.")
    assert read(url).ids == {"sku": "RES-ABS-01", "lot": "L1", "qty": "25"}


def test_container_label_with_a_hand_written_quantity_is_refused():
    url = container_url(BASE, KEY, "RES-ABS-01", "L1", "25").replace("?q=25.", "?q=250.")
    with pytest.raises(LabelRefused) as refused:
        read(url)
    assert refused.value.code == "invalid_quantity_label"
