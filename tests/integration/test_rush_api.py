"""Rush orders (DESIGN §3.3) over the API: the score with every dimension's why, opening at once at the
threshold, the VP's decision with a comment below it, the orders it delays, and the settings."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.masterdata import Location, Warehouse
from domain.orders.models import Order
from domain.orders.service import plant_today
from domain.stock.ledger import StockBalance
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data


def stock(sku_code: str, qty: str) -> None:
    from domain.masterdata import Sku

    warehouse = Warehouse(code=f"WH-{sku_code}", name="原料仓")
    location = Location(warehouse=warehouse, code="A-01")
    db.session.add_all([warehouse, location])
    db.session.flush()
    sku = db.session.execute(db.select(Sku).where(Sku.code == sku_code)).scalar_one()
    db.session.add(StockBalance(sku_id=sku.id, location_id=location.id, qty=Decimal(qty)))
    db.session.commit()


@pytest.fixture
def plant(app):
    """C-TOP is the largest of 10 customers, C-SMALL the smallest; P-100 sells at 10 with cost 8
    (20% margin); resin for 1000 pieces (200 kg) is in stock; the same mold and colour run in W1."""
    sales = make_user("sales", ["sales"])
    top = data.customer("C-TOP", purchase=900_000)
    small = data.customer("C-SMALL", purchase=1_000)
    for rank in range(2, 10):  # ten active customers: the largest alone is the top 10%
        data.customer(f"C-{rank}", purchase=100_000 - rank)
    prod = data.product("P-100", mold="M1", colorant="black")
    twin = data.product("P-101", mold="M1", colorant="black")
    data.price(top, prod, unit_price="10", unit_cost="8")
    data.price(small, prod, unit_price="10", unit_cost="9.5")
    stock("RES-P-100", "250")
    data.order_in_stage(top, twin, "in_production", number="SO-RUN", due_in=3)
    return {"sales": sales, "top": top, "small": small, "product": prod}


def confirmed(plant, customer="top", number="SO-R-1", due_in=20) -> Order:
    return data.order_in_stage(
        plant[customer],
        plant["product"],
        "confirmed",
        number=number,
        due_in=due_in,
        created_by_id=plant["sales"].id,
    )


def ask(client, headers, order, due_in=5, **extra):
    body = {
        "order_id": order.id,
        "requested_due_date": data.days_from_today(due_in),
        "reason": "客户停线",
        **extra,
    }
    return client.post("/api/v1/rush", json=body, headers=headers)


def scores(response) -> dict[str, str]:
    return {d["key"]: d["score"] for d in response.json["dimensions"]}


def test_rush_scoring_5_everywhere_opens_the_channel_at_once(client, auth, plant):
    order = confirmed(plant)
    response = ask(client, auth.headers("sales"), order, due_in=5)
    assert response.status_code == 201, response.json
    assert scores(response) == {
        "customer": "5.00",
        "margin": "5.00",
        "complexity": "5.00",
        "urgency": "5.00",
        "material": "5.00",
    }
    assert (response.json["composite"], response.json["status"]) == ("5.00", "open")
    assert all(d["why"] for d in response.json["dimensions"])
    db.session.expire_all()
    rushed = db.session.get(Order, order.id)
    assert (rushed.is_rush, rushed.priority, rushed.due_date) == (
        True,
        "A",
        plant_today() + timedelta(days=5),
    )


def test_rush_below_threshold_waits_for_the_vp_who_approves_with_a_comment(client, auth, plant):
    order = confirmed(plant, customer="small")  # rank 10 of 10 → 1; margin 5% → 0
    response = ask(client, auth.headers("sales"), order, due_in=12)  # 12 of 15 days → 3
    assert response.json["status"] == "pending_vp"
    assert scores(response)["customer"] == "1.00" and scores(response)["margin"] == "0.00"
    assert Decimal(response.json["composite"]) < Decimal("4.2")
    vp = auth.headers("vp")
    decided = client.post(
        f"/api/v1/rush/{response.json['id']}/decision",
        json={"approve": True, "comment": "战略客户，同意插单"},
        headers=vp,
    )
    assert decided.status_code == 200, decided.json
    assert (decided.json["status"], decided.json["decision_comment"]) == ("approved", "战略客户，同意插单")
    db.session.expire_all()
    assert db.session.get(Order, order.id).is_rush is True


def test_vp_rejection_needs_a_comment_and_leaves_the_order_alone(client, auth, plant):
    order = confirmed(plant, customer="small")
    request_id = ask(client, auth.headers("sales"), order, due_in=12).json["id"]
    vp = auth.headers("vp")
    empty = client.post(
        f"/api/v1/rush/{request_id}/decision", json={"approve": False, "comment": " "}, headers=vp
    )
    assert empty.status_code == 422
    assert empty.json["error"]["code"] == "comment_required"
    rejected = client.post(
        f"/api/v1/rush/{request_id}/decision", json={"approve": False, "comment": "产能已满"}, headers=vp
    )
    assert rejected.json["status"] == "rejected"
    db.session.expire_all()
    assert (db.session.get(Order, order.id).is_rush, db.session.get(Order, order.id).priority) == (False, "B")


def test_only_the_vp_decides(client, auth, plant):
    order = confirmed(plant, customer="small")
    request_id = ask(client, auth.headers("sales"), order, due_in=12).json["id"]
    response = client.post(
        f"/api/v1/rush/{request_id}/decision",
        json={"approve": True, "comment": "ok"},
        headers=auth.headers("sales"),
    )
    assert response.status_code == 403


def test_a_decided_request_cannot_be_decided_again(client, auth, plant):
    order = confirmed(plant, customer="small")
    request_id = ask(client, auth.headers("sales"), order, due_in=12).json["id"]
    vp = auth.headers("vp")
    client.post(f"/api/v1/rush/{request_id}/decision", json={"approve": False, "comment": "no"}, headers=vp)
    again = client.post(
        f"/api/v1/rush/{request_id}/decision", json={"approve": True, "comment": "yes"}, headers=vp
    )
    assert again.status_code == 409


def test_mold_change_and_missing_stock_lower_the_score_with_reasons(client, auth, plant):
    other = data.product("P-200", mold="M9", colorant="red")
    data.price(plant["top"], other, unit_price="10", unit_cost="8")
    order = data.order_in_stage(
        plant["top"], other, "confirmed", number="SO-R-9", created_by_id=plant["sales"].id
    )
    response = ask(client, auth.headers("sales"), order, due_in=5)
    dims = {d["key"]: d for d in response.json["dimensions"]}
    assert dims["complexity"]["score"] == "2.00"
    assert dims["material"]["score"] == "0.00"
    assert "0.0%" in dims["material"]["why"]


def test_orders_the_rush_delays_are_listed_with_new_finish_dates(client, auth, plant):
    order = confirmed(plant, customer="small")
    later = confirmed(plant, number="SO-LATER", due_in=20)
    later.stage = "scheduling"
    earlier = confirmed(plant, number="SO-EARLIER", due_in=2)
    earlier.stage = "scheduling"
    elsewhere = data.product("P-300", workshop_code="W7")
    data.order_in_stage(plant["top"], elsewhere, "scheduling", number="SO-W7", due_in=30)
    db.session.commit()
    response = ask(client, auth.headers("sales"), order, due_in=12)
    # 60 min setup + 1000 × 36 s = 11 h of W1 time: one working day of 16 h
    assert response.json["delayed_orders"] == [
        {
            "order_id": later.id,
            "number": "SO-LATER",
            "due_date": data.days_from_today(20),
            "priority": "B",
            "delay_days": 1,
            "new_finish": data.days_from_today(21),
        }
    ]


def test_admin_lowers_the_threshold_and_the_next_request_opens(client, auth, plant):
    admin = auth.headers("admin")
    response = client.put("/api/v1/rush/settings", json={"threshold": "1.5"}, headers=admin)
    assert response.status_code == 200, response.json
    assert response.json["threshold"] == "1.5"
    order = confirmed(plant, customer="small")
    assert ask(client, auth.headers("sales"), order, due_in=12).json["status"] == "open"


def test_settings_whose_weights_do_not_add_up_are_refused(client, auth):
    response = client.put(
        "/api/v1/rush/settings", json={"weights": {"customer": "0.9"}}, headers=auth.headers("admin")
    )
    assert response.status_code == 422
    assert "weights" in response.json["error"]["fields"]


def test_quote_cannot_be_rushed(client, auth, plant):
    order = data.order_in_stage(
        plant["top"], plant["product"], "quote", number="SO-Q", created_by_id=plant["sales"].id
    )
    response = ask(client, auth.headers("sales"), order)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "not_rushable"


def test_rush_requests_page_newest_first_and_sales_see_only_their_own(client, auth, plant):
    sales = auth.headers("sales")
    mine = [confirmed(plant, number=f"SO-R-{n}") for n in range(3)]
    for order in mine:
        assert ask(client, sales, order).status_code == 201
    other = data.order_in_stage(plant["top"], plant["product"], "confirmed", number="SO-R-X", due_in=20)
    assert ask(client, auth.headers("admin"), other).status_code == 201

    def pages(headers) -> list[list[str]]:
        seen, cursor = [], None
        while True:
            query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            body = client.get("/api/v1/rush", query_string=query, headers=headers).json
            seen.append([r["order_number"] for r in body["items"]])
            if not (cursor := body["next_cursor"]):
                return seen

    assert pages(auth.headers("vp")) == [["SO-R-X", "SO-R-2"], ["SO-R-1", "SO-R-0"]]
    assert pages(sales) == [["SO-R-2", "SO-R-1"], ["SO-R-0"]]
    assert client.get("/api/v1/rush", headers=sales).json["total"] == 3


def test_the_margin_behind_a_rush_score_is_shown_to_the_vp_not_to_the_planner(client, auth, plant):
    created = ask(client, auth.headers("sales"), confirmed(plant), due_in=5)
    path = f"/api/v1/rush/{created.json['id']}"

    def margin_why(role: str) -> str:
        return next(
            d["why"]
            for d in client.get(path, headers=auth.headers(role)).json["dimensions"]
            if d["key"] == "margin"
        )

    assert "20" in margin_why("vp") and "%" in margin_why("vp")
    assert "%" not in margin_why("planner") and "20" not in margin_why("planner")
    auth.login("planner")
    page = client.get(f"/rush/{created.json['id']}").get_data(as_text=True)
    margin = page.split('data-dimension="margin"', 1)[1].split("</li>", 1)[0]
    assert 'class="why"' in margin and "20.0%" not in margin
