"""Quality pages: the QC's list and inspection form, the trace page with a defect report, kitting alerts."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.audit import AuditLog
from domain.errors import DomainError
from domain.quality import inspection_service
from domain.quality.inspections import InspectionPhoto
from domain.quality.lot_service import issue_to_work_order, receive_material, record_output
from domain.quality.shipment_service import LineIn, record_shipment
from extensions import db
from tests.conftest import make_user
from tests.integration.quality_world import (
    MODEL,
    RESIN,
    add_order,
    add_work_order,
    build_plant,
    scan_a,
    scan_b,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def plant(app):
    plant = build_plant()
    add_order(plant, "C-A", "SO-A")
    add_work_order(plant, "SO-A", "WO-A")
    qc = make_user("qc", ["qc"])
    inspection_service.save_checklist(
        plant.product_id,
        [
            {
                "name": "壁厚",
                "method": "measure",
                "nominal": Decimal(2),
                "tol_minus": Decimal("0.1"),
                "unit": "mm",
            },
            {"name": "外观", "method": "check"},
        ],
        qc,
    )
    return plant


def item_ids(plant) -> list[int]:
    return [item.id for item in inspection_service.checklist_items(plant.product_id)]


def test_qc_records_a_failed_first_article_inspection_with_a_photo(client, auth, plant, app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    auth.login("qc")
    page = client.get("/quality/")
    assert b"WO-A" in page.data
    wall, look = item_ids(plant)
    form = client.get(f"/quality/work-orders/{plant.work_orders['WO-A']}")
    assert f'name="item_{wall}"'.encode() in form.data
    response = client.post(
        f"/quality/work-orders/{plant.work_orders['WO-A']}/inspections",
        data={
            "kind": "first_article",
            f"item_{wall}": "1.8",
            f"item_{look}": "pass",
            "photos": (io.BytesIO(PNG), "a.png"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert b'data-passed="0"' in response.data
    assert b"a.png" in response.data
    [inspection] = inspection_service.inspections_of(plant.work_orders["WO-A"])
    assert (inspection.passed, len(inspection.photos)) == (False, 1)


def test_a_photo_that_is_not_an_image_records_nothing(client, auth, plant):
    auth.login("qc")
    wall, look = item_ids(plant)
    response = client.post(
        f"/quality/work-orders/{plant.work_orders['WO-A']}/inspections",
        data={
            "kind": "first_article",
            f"item_{wall}": "2",
            f"item_{look}": "pass",
            "photos": (io.BytesIO(b"MZ..."), "x.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 415
    assert inspection_service.inspections_of(plant.work_orders["WO-A"]) == []


def test_an_inspection_whose_second_photo_fails_leaves_nothing_written(
    client, auth, plant, app, tmp_path, monkeypatch
):
    uploads = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(uploads)
    stored, calls = inspection_service.add_photo, []

    def second_fails(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise DomainError("photo_not_stored", "The photo could not be stored.")
        return stored(*args, **kwargs)

    monkeypatch.setattr(inspection_service, "add_photo", second_fails)
    auth.login("qc")
    wall, look = item_ids(plant)
    response = client.post(
        f"/quality/work-orders/{plant.work_orders['WO-A']}/inspections",
        data={
            "kind": "first_article",
            f"item_{wall}": "2",
            f"item_{look}": "pass",
            "photos": [(io.BytesIO(PNG), "a.png"), (io.BytesIO(PNG), "b.png")],
        },
        content_type="multipart/form-data",
    )
    assert (response.status_code, len(calls)) == (422, 2)
    assert inspection_service.inspections_of(plant.work_orders["WO-A"]) == []
    assert db.session.execute(select(func.count(InspectionPhoto.id))).scalar_one() == 0
    actions = db.session.execute(select(AuditLog.action)).scalars().all()
    assert {"inspection", "inspection_photo"}.isdisjoint(actions)
    assert [p for p in uploads.rglob("*") if p.is_file()] == []


def test_the_order_page_refuses_awaiting_qc_and_names_the_missing_inspection(client, auth, plant):
    auth.login("planner")
    response = client.post(
        f"/orders/{plant.orders['SO-A']}/transition", data={"to": "awaiting_qc"}, follow_redirects=True
    )
    assert b"WO-A" in response.data
    assert b"flash-error" in response.data


def test_trace_page_and_defect_report(client, auth, plant):
    worker = make_user("warehouse", ["warehouse"])
    receive_material(RESIN, Decimal(50), "Sinopec", "SP-9", scan_a(plant), worker, lot="M9")
    issue_to_work_order(RESIN, "M9", Decimal(5), "WO-A", scan_a(plant), worker)
    record_output("WO-A", Decimal(100), scan_b(plant), worker)
    record_shipment("SO-A", date(2026, 11, 24), [LineIn(MODEL, Decimal(10), "WO-A-01")], worker)
    auth.login("qc")
    page = client.get("/quality/trace", query_string={"lot": "M9"})
    assert b'data-testid="trace-forward"' in page.data and b"SO-A" in page.data and b"SP-9" in page.data
    lot_id = int(page.data.split(b"/quality/trace/lots/")[1].split(b"/")[0])
    report = client.post(f"/quality/trace/lots/{lot_id}/defects", data={"description": "黑点 black specks"})
    assert b'data-testid="defect-report"' in report.data
    assert b".xlsx" in report.data
    scanned = client.get("/quality/trace", query_string={"lot": f"https://oh.example.cn/s/lot/{RESIN}/M9"})
    assert b'data-testid="trace-backward"' in scanned.data and b"SP-9" in scanned.data
    by_order = client.get("/quality/trace", query_string={"order": "SO-A"})
    assert b"M9" in by_order.data


def test_trace_page_names_lot_kinds_and_work_order_states_in_chinese(client, auth, plant):
    worker = make_user("warehouse", ["warehouse"])
    receive_material(RESIN, Decimal(50), "Sinopec", "SP-9", scan_a(plant), worker, lot="M9")
    issue_to_work_order(RESIN, "M9", Decimal(5), "WO-A", scan_a(plant), worker)
    record_output("WO-A", Decimal(100), scan_b(plant), worker)
    auth.login("qc")
    for lot in ("SP-9", "M9"):
        page = client.get("/quality/trace", query_string={"lot": lot}, headers={"Accept-Language": "zh-CN"})
        text = page.get_data(as_text=True)
        notes = re.findall(r'class="item-note">([^<]*)<', text)
        origin = text.split('data-testid="trace-origin">', 1)[1].split("<", 1)[0]
        assert notes and {"供应商批次", "物料批次", "产出批次"} & set(notes)
        words = " ".join([*notes, origin])
        assert not re.search(r"supplier|material|output|released|acknowledged|in_progress|finished", words)


def test_kitting_page_lists_short_work_orders(client, auth, plant):
    auth.login("planner")
    page = client.get("/quality/kitting")
    assert b"WO-A" in page.data and RESIN.encode() in page.data
    detail = client.get(f"/quality/kitting/{plant.work_orders['WO-A']}")
    assert detail.status_code == 200 and b"51" in detail.data


def test_kitting_shortages_read_with_chinese_unit_names(client, auth, plant):
    auth.login("planner")
    zh = {"Accept-Language": "zh-CN"}
    page = client.get("/quality/kitting", headers=zh).get_data(as_text=True)
    assert re.search(r"缺 [0-9,.]+ 千克", page) and not re.search(r"short [0-9.]+ kg", page)
    detail = client.get(f"/quality/kitting/{plant.work_orders['WO-A']}", headers=zh).get_data(as_text=True)
    assert "51 千克" in detail


def test_an_output_lot_has_a_printable_qr_label_naming_it(client, auth, plant):
    worker = make_user("warehouse", ["warehouse"])
    output = record_output("WO-A", Decimal(100), scan_b(plant), worker)
    auth.login("warehouse")
    page = client.get(f"/quality/lots/{output.lot_id}/label")
    assert page.status_code == 200
    assert f'data-url="http://localhost/s/lot/{MODEL}/WO-A-01"'.encode() in page.data
    assert b"<svg" in page.data and b"WO-A-01" in page.data


def test_qc_edits_a_checklist_on_the_page(client, auth, plant):
    auth.login("qc")
    assert b"HX-300" in client.get("/quality/checklists").data
    form = {"rows": "3", "name_0": "壁厚", "method_0": "measure", "nominal_0": "2.2", "tol_minus_0": "0.1",
            "tol_plus_0": "0.2", "unit_0": "mm", "first_article_0": "1", "final_0": "1",
            "name_1": "", "name_2": "包装", "method_2": "check", "final_2": "1"}  # fmt: skip
    response = client.post(f"/quality/checklists/{plant.product_id}", data=form)
    assert response.status_code == 302
    items = inspection_service.checklist_items(plant.product_id)
    assert [(i.name, i.nominal, i.tol_plus, i.first_article) for i in items] == [
        ("壁厚", Decimal("2.2"), Decimal("0.2"), True),
        ("包装", None, None, False),
    ]
    refused = client.post(f"/quality/checklists/{plant.product_id}", data={**form, "nominal_0": ""})
    assert b"flash-error" in refused.data
    assert len(inspection_service.checklist_items(plant.product_id)) == 2


def test_planner_reserves_material_on_the_kitting_page(client, auth, plant):
    worker = make_user("warehouse", ["warehouse"])
    receive_material(RESIN, Decimal(50), "Sinopec", "SP-9", scan_a(plant), worker, lot="M9")
    auth.login("planner")
    client.post(
        f"/quality/kitting/{plant.work_orders['WO-A']}/reservations", data={"sku": RESIN, "qty": "20"}
    )
    page = client.get(f"/quality/kitting/{plant.work_orders['WO-A']}")
    assert b"held" in page.data and b"20" in page.data
    too_much = client.post(
        f"/quality/kitting/{plant.work_orders['WO-A']}/reservations",
        data={"sku": RESIN, "qty": "31"},
        follow_redirects=True,
    )
    assert b"flash-error" in too_much.data


def test_finished_work_orders_awaiting_qc_are_listed_for_their_final_inspection(client, auth, plant):
    add_order(plant, "C-B", "SO-B", stage="awaiting_qc")
    add_work_order(plant, "SO-B", "WO-B", status="finished")
    add_order(plant, "C-C", "SO-C", stage="shipped")
    add_work_order(plant, "SO-C", "WO-C", status="finished")
    wall, look = item_ids(plant)
    qc = make_user("qc", ["qc"])
    answers = {f"item_{wall}": "2", f"item_{look}": "fail"}
    inspection_service.record_inspection(plant.work_orders["WO-B"], "final", answers, qc)
    auth.login("qc")
    page = client.get("/quality/").data
    assert b"WO-A" in page and b"WO-B" in page and b"WO-C" not in page
    assert b'data-testid="first-pass-yield"' in page and b"0%" in page
