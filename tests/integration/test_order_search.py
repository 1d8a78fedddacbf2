"""The order search box (API `q`, the list page): what plant staff type finds the order, best match
first: any part of the number or PO, customer code, name, pinyin initials or full pinyin, model."""

import pytest

from domain.masterdata import Customer
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data


@pytest.fixture
def orders(app):
    minghui = order_data.customer("C003")
    minghui.name = "中山市明辉塑胶有限公司"
    other = order_data.customer("C104")
    other.name = "东莞市宝华电子厂"
    db.session.commit()
    heater, fan = order_data.product("OH-HS-1420"), order_data.product("OH-FN-0200")
    made = {}
    for number, customer, product, ref, due_in in [
        ("SO-20261117-0001", other, fan, "PO-7781", 10),
        ("SO-20261201-0002", minghui, heater, "MH-2026-055", 20),
        ("SO-20261202-0003", other, fan, "1117", 30),
        ("SO-20261203-0004", minghui, fan, None, 5),
        ("SO-20261204-0005", other, heater, "BH-88", 40),
    ]:
        order = order_data.order_in_stage(customer, product, "confirmed", number=number, due_in=due_in)
        order.original_ref = ref
        made[number] = order
    db.session.commit()
    return made


def found(client, headers, q: str, **extra) -> list[str]:
    response = client.get("/api/v1/orders", query_string={"q": q, **extra}, headers=headers)
    assert response.status_code == 200, response.json
    return [o["number"] for o in response.json["items"]]


@pytest.fixture
def planner(auth):
    return auth.headers("planner")


def test_any_part_of_the_number_finds_the_order(client, planner, orders):
    assert found(client, planner, "0004") == ["SO-20261203-0004"]
    assert found(client, planner, "20261204") == ["SO-20261204-0005"]


def test_a_number_and_a_po_that_equal_the_text_come_before_partial_matches(client, planner, orders):
    # "1117" is the whole PO of -0003 and part of the number of -0001 (due sooner)
    assert found(client, planner, "1117") == ["SO-20261202-0003", "SO-20261117-0001"]


def test_part_of_a_po_finds_the_order(client, planner, orders):
    assert found(client, planner, "2026-055") == ["SO-20261201-0002"]
    assert found(client, planner, "po-77") == ["SO-20261117-0001"]


def test_customer_code_in_any_case_finds_its_orders(client, planner, orders):
    assert found(client, planner, "c003") == ["SO-20261203-0004", "SO-20261201-0002"]


def test_part_of_the_customer_name_finds_its_orders(client, planner, orders):
    assert found(client, planner, "明辉") == ["SO-20261203-0004", "SO-20261201-0002"]


@pytest.mark.parametrize("typed", ["zsmh", "ZSMH", "zssmh", "mh"])
def test_pinyin_initials_of_the_customer_find_its_orders(client, planner, orders, typed):
    assert set(found(client, planner, typed)) >= {"SO-20261203-0004", "SO-20261201-0002"}
    assert "SO-20261204-0005" not in found(client, planner, typed)


@pytest.mark.parametrize("typed", ["minghui", "zhongshan", "ming hui", "zhongshanshiminghui"])
def test_full_pinyin_of_the_customer_finds_its_orders(client, planner, orders, typed):
    assert found(client, planner, typed) == ["SO-20261203-0004", "SO-20261201-0002"]


def test_part_of_the_model_finds_its_orders(client, planner, orders):
    assert found(client, planner, "hs-1420") == ["SO-20261201-0002", "SO-20261204-0005"]


def test_an_exact_model_ranks_before_partial_number_matches(client, planner, orders):
    product = order_data.product("0200")
    order_data.order_in_stage(
        db.session.get(Customer, orders["SO-20261201-0002"].customer_id),
        product,
        "quote",
        number="SO-20261205-0200",
        due_in=90,
    )
    # "0200" is exactly the model of the new order, and part of the FN-0200 model of three others
    assert found(client, planner, "0200")[0] == "SO-20261205-0200"


def test_text_that_matches_nothing_finds_nothing(client, planner, orders):
    assert found(client, planner, "no such thing") == []
    assert found(client, planner, "%") == [] and found(client, planner, "_") == []


def test_search_pages_through_every_match_once(client, planner, orders):
    pages, cursor = [], None
    while True:
        extra = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/orders", query_string={"q": "so-2026", **extra}, headers=planner)
        pages.append([o["number"] for o in response.json["items"]])
        cursor = response.json["next_cursor"]
        if not cursor:
            break
    seen = [number for page in pages for number in page]
    assert sorted(seen) == sorted(orders) and len(seen) == len(set(seen))
    assert response.json["total"] == 5


def test_a_salesperson_searches_only_their_own_orders(client, auth, orders):
    sales = make_user("sales", ["sales"])
    orders["SO-20261201-0002"].created_by_id = sales.id
    db.session.commit()
    assert found(client, auth.headers("sales"), "c003") == ["SO-20261201-0002"]


def test_the_list_page_has_one_search_box_that_finds_by_pinyin(client, auth, orders):
    auth.login("planner")
    page = client.get("/orders/", query_string={"q": "zsmh"}).get_data(as_text=True)
    assert 'data-testid="order-search"' in page
    assert "SO-20261201-0002" in page and "SO-20261203-0004" in page and "SO-20261204-0005" not in page


def test_a_renamed_customer_is_found_by_its_new_name(client, planner, orders):
    customer = db.session.get(Customer, orders["SO-20261204-0005"].customer_id)
    customer.name = "佛山市顺德电器"
    db.session.commit()
    assert set(found(client, planner, "fssd")) == {"SO-20261117-0001", "SO-20261202-0003", "SO-20261204-0005"}
