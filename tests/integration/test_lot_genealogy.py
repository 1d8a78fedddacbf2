"""Lot genealogy (DESIGN §7): supplier lots received as material lots, consumed by work orders, made
into output lots, shipped to customers; both traces and the defect workbook return exactly what the
history holds."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from domain.quality import defect_service, trace
from domain.quality.lot_service import issue_to_work_order, receive_material, record_output
from domain.quality.shipment_service import LineIn, record_shipment
from domain.quality.shipments import serial_facts
from tests.conftest import make_user
from tests.integration.quality_world import (
    COLOUR,
    MODEL,
    RESIN,
    add_order,
    add_work_order,
    build_plant,
    scan_a,
    scan_b,
)


@pytest.fixture
def history(app):
    """S1 (Sinopec SP-2401) → M1 resin, S2 (LG LG-77) → M2 colour, S3 → M3 resin (unused).
    WO-A (order A) uses M1 and M2; WO-B and WO-C use M1; WO-D uses M2 only. Each makes one output lot,
    shipped on its order to its customer; output of WO-A also goes out on a second shipment."""
    plant = build_plant()
    worker = make_user("warehouse", ["warehouse"])
    for letter in "ABCD":
        add_order(plant, f"C-{letter}", f"SO-{letter}")
        add_work_order(plant, f"SO-{letter}", f"WO-{letter}")
    m1 = receive_material(RESIN, Decimal(500), "Sinopec", "SP-2401", scan_a(plant), worker, lot="M1")
    m2 = receive_material(COLOUR, Decimal(20), "LG", "LG-77", scan_a(plant), worker, lot="M2")
    receive_material(RESIN, Decimal(300), "Sinopec", "SP-2402", scan_a(plant), worker, lot="M3")
    uses = {"WO-A": [(RESIN, "M1"), (COLOUR, "M2")], "WO-B": [(RESIN, "M1")], "WO-C": [(RESIN, "M1")]}
    uses["WO-D"] = [(COLOUR, "M2")]
    outputs = {}
    for wo, lots in uses.items():
        issue_to_work_order(lots[0][0], lots[0][1], Decimal(10), wo, scan_a(plant), worker)
        outputs[wo] = record_output(wo, Decimal(200), scan_b(plant), worker)
        for sku, lot in lots[1:]:  # issued after the output: still linked to it
            issue_to_work_order(sku, lot, Decimal(1), wo, scan_a(plant), worker)
    for letter in "ABCD":
        lot = outputs[f"WO-{letter}"].lot
        serials = [f"SN-{letter}-{i}" for i in range(3)]
        record_shipment(
            f"SO-{letter}", date(2026, 11, 20), [LineIn(MODEL, Decimal(100), lot, serials)], worker
        )
    record_shipment("SO-A", date(2026, 11, 22), [LineIn(MODEL, Decimal(50), outputs["WO-A"].lot)], worker)
    return {"plant": plant, "m1": m1, "m2": m2, "outputs": outputs}


def codes(rows, key="code"):
    return {row[key] for row in rows}


def test_forward_trace_from_a_supplier_lot_reaches_every_batch_order_shipment_and_customer(history):
    supplier_lot = trace.find_lot("SP-2401", RESIN)
    result = trace.forward_from_lots([supplier_lot.id])
    assert codes(result.lots) == {"SP-2401", "M1", "WO-A-01", "WO-B-01", "WO-C-01"}
    assert codes(result.work_orders, "number") == {"WO-A", "WO-B", "WO-C"}
    assert codes(result.orders, "number") == {"SO-A", "SO-B", "SO-C"}
    assert len(result.shipments) == 4  # SO-A twice
    assert codes(result.customers) == {"C-A", "C-B", "C-C"}


def test_backward_trace_from_an_order_reaches_every_material_and_supplier_lot(history):
    result = trace.backward_from_order(history["plant"].orders["SO-A"])
    assert codes(result.lots) == {"WO-A-01", "M1", "M2", "SP-2401", "LG-77"}
    assert {(r["code"], r["kind"]) for r in result.lots if r["kind"] == "supplier"} == {
        ("SP-2401", "supplier"),
        ("LG-77", "supplier"),
    }
    assert codes(result.work_orders, "number") == {"WO-A"}
    assert codes(result.orders, "number") == {"SO-A"}
    assert codes(result.customers) == {"C-A"}


def test_forward_trace_of_a_shared_colour_lot_follows_both_work_orders_only(history):
    result = trace.forward_from_lots([history["m2"].lot_id])
    assert codes(result.lots) == {"M2", "WO-A-01", "WO-D-01"}
    assert codes(result.customers) == {"C-A", "C-D"}


def test_a_shipped_serial_names_its_order_customer_and_ship_date(history):
    facts = serial_facts("SN-B-2")
    assert (facts.order_number, facts.customer_code, facts.ship_date) == ("SO-B", "C-B", date(2026, 11, 20))
    assert (facts.product_model, facts.lot) == (MODEL, "WO-B-01")
    assert serial_facts("SN-unknown") is None


def test_defect_report_on_a_material_lot_lists_every_affected_batch_and_order_in_a_workbook(history):
    qc = make_user("qc", ["qc"])
    report, result = defect_service.report_defect(history["m1"].lot_id, "银纹 silver streaks", False, qc)
    assert codes(result.orders, "number") == {"SO-A", "SO-B", "SO-C"}
    assert report.affected == {"lots": 4, "work_orders": 3, "orders": 3, "shipments": 4, "customers": 3}
    book = load_workbook(BytesIO(defect_service.workbook(report, result)))
    orders = [row for row in book["Orders"].iter_rows(min_row=2, values_only=True)]
    assert sorted(row[0] for row in orders) == ["SO-A", "SO-B", "SO-C"]
    lots = {row[0] for row in book["Lots"].iter_rows(min_row=2, values_only=True)}
    assert lots == {"M1", "WO-A-01", "WO-B-01", "WO-C-01"}
    shipped = [row for row in book["Shipments"].iter_rows(min_row=2, values_only=True)]
    assert {row[3] for row in shipped} == {"C-A", "C-B", "C-C"}
    assert "SN-B-0 SN-B-1 SN-B-2" in {row[8] for row in shipped}


def test_widened_defect_report_covers_every_batch_of_the_same_material(history):
    qc = make_user("qc", ["qc"])
    output_b = history["outputs"]["WO-B"].lot_id
    _report, narrow = defect_service.report_defect(output_b, "crack", False, qc)
    assert codes(narrow.orders, "number") == {"SO-B"}
    _report, wide = defect_service.report_defect(output_b, "crack", True, qc)
    assert codes(wide.orders, "number") == {"SO-A", "SO-B", "SO-C"}
