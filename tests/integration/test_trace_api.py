"""Lots, shipments, trace and kitting over the API: a phone receives a supplier's batch, issues it to a
work order and books the output lot; the shipment carries serials; QC traces and reports a defect."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.integration.quality_world import (
    MODEL,
    RESIN,
    YARD_A,
    YARD_B,
    add_order,
    add_work_order,
    build_plant,
)
from tests.integration.stock_world import gps, label


@pytest.fixture
def plant(app):
    plant = build_plant()
    add_order(plant, "C-A", "SO-A")
    add_work_order(plant, "SO-A", "WO-A")
    return plant


class Phone:
    def __init__(self, client, headers):
        self.client, self.headers, self.n = client, headers, 0

    def post(self, path: str, body: dict):
        self.n += 1
        return self.client.post(path, json=body, headers={**self.headers, "Idempotency-Key": f"p-{self.n}"})


def test_receipt_issue_output_shipment_and_both_traces(client, auth, plant):
    phone = Phone(client, auth.headers("warehouse"))
    at_a = {"location_label": label(plant.loc_a), "gps": gps(YARD_A)}
    at_b = {"location_label": label(plant.loc_b), "gps": gps(YARD_B)}
    receipt = phone.post(
        "/api/v1/lots/receipts",
        {"sku": RESIN, "qty": "100", "supplier": "Sinopec", "supplier_lot": "SP-1", **at_a},
    )
    assert receipt.status_code == 201, receipt.json
    material = receipt.json["lot"]
    assert receipt.json["label_url"].endswith(f"/s/lot/{RESIN}/{material}")
    issue = phone.post(
        "/api/v1/lots/issues", {"sku": RESIN, "lot": material, "qty": "40", "work_order": "WO-A", **at_a}
    )
    assert (issue.status_code, issue.json["move"]["on_hand"]) == (201, "60.000")
    output = phone.post("/api/v1/lots/outputs", {"work_order": "WO-A", "qty": "800", **at_b})
    assert (output.status_code, output.json["lot"]) == (201, "WO-A-01")
    line = {"sku": MODEL, "qty": "2", "lot": "WO-A-01", "serials": ["SN1", "SN2"]}
    shipment = phone.post("/api/v1/shipments", {"order": "SO-A", "ship_date": "2026-11-24", "lines": [line]})
    assert shipment.status_code == 201, shipment.json
    assert shipment.json["number"] == "SH-20261124-0001"

    qc = auth.headers("qc")
    found = client.get("/api/v1/lots", query_string={"code": "SP-1"}, headers=qc).json
    supplier_lot = found["items"][0]["id"]
    forward = client.get(f"/api/v1/trace/lots/{supplier_lot}", headers=qc).json
    assert {lot["code"] for lot in forward["lots"]} == {"SP-1", material, "WO-A-01"}
    assert [c["code"] for c in forward["customers"]] == ["C-A"]
    assert forward["shipments"][0]["lines"][0]["serials"] == ["SN1", "SN2"]
    backward = client.get(f"/api/v1/trace/orders/{plant.orders['SO-A']}", headers=qc).json
    assert {(lot["code"], lot["kind"]) for lot in backward["lots"]} == {
        ("WO-A-01", "output"),
        (material, "material"),
        ("SP-1", "supplier"),
    }
    serial = client.get("/api/v1/shipments/serials/SN2", headers=auth.headers("service")).json
    assert (serial["order_number"], serial["customer_code"], serial["ship_date"]) == (
        "SO-A",
        "C-A",
        "2026-11-24",
    )

    report = client.post(
        f"/api/v1/trace/lots/{supplier_lot}/defects",
        json={"description": "含水率高 wet resin"},
        headers={**qc, "Idempotency-Key": "d-1"},
    )
    assert report.status_code == 201, report.json
    assert [o["number"] for o in report.json["orders"]] == ["SO-A"]
    book = client.get(report.json["xlsx_url"], headers=qc)
    assert book.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(book.data))["Shipments"]
    rows = [(row[0], row[2], row[3], row[8]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == [("SH-20261124-0001", "SO-A", "C-A", "SN1 SN2")]


def test_a_serial_ships_once(client, auth, plant):
    phone = Phone(client, auth.headers("warehouse"))
    body = {
        "order": "SO-A",
        "ship_date": "2026-11-24",
        "lines": [{"sku": MODEL, "qty": "1", "serials": ["SN9"]}],
    }
    assert phone.post("/api/v1/shipments", body).status_code == 201
    again = phone.post("/api/v1/shipments", body)
    assert (again.status_code, again.json["error"]["code"]) == (409, "serial_taken")


def test_sales_cannot_trace_across_customers(client, auth, plant):
    assert (
        client.get(f"/api/v1/trace/orders/{plant.orders['SO-A']}", headers=auth.headers("sales")).status_code
        == 403
    )


def test_kitting_api_lists_the_alert_zone_and_takes_reservations(client, auth, plant):
    planner = auth.headers("planner")
    zone = client.get("/api/v1/kitting/alerts", headers=planner).json
    assert [(k["work_order"], k["kitting_rate"]) for k in zone] == [("WO-A", "0")]
    assert {m["sku"] for m in zone[0]["missing"]} == {RESIN, "MB-BLK-01"}
    refused = client.post(
        f"/api/v1/kitting/work-orders/{plant.work_orders['WO-A']}/reservations",
        json={"sku": RESIN, "qty": "1"},
        headers={**planner, "Idempotency-Key": "r-1"},
    )
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "insufficient_stock")
