"""Master-data validation rules, without an app: the entity schemas and what a reference may point at."""

from decimal import Decimal
from types import SimpleNamespace

import marshmallow as ma
import pytest

from domain.masterdata_admin.rules import reference_problem
from domain.masterdata_admin.schemas import CustomerIn, LocationIn, PriceListEntryIn, ServicePointIn, SkuIn


def _errors(schema: type[ma.Schema], data: dict, **kwargs) -> dict:
    try:
        schema(**kwargs).load(data)
    except ma.ValidationError as error:
        return error.messages
    return {}


def test_code_loses_surrounding_blanks():
    assert CustomerIn().load({"code": "  C001 ", "name": " ACME "})["code"] == "C001"


def test_code_with_a_space_inside_is_refused():
    assert "code" in _errors(CustomerIn, {"code": "C 001", "name": "ACME"})


def test_code_of_only_blanks_is_refused():
    assert "code" in _errors(CustomerIn, {"code": "   ", "name": "ACME"})


def test_negative_price_is_refused():
    errors = _errors(
        PriceListEntryIn, {"customer_id": 1, "product_id": 1, "unit_price": "-1", "unit_cost": "0"}
    )
    assert set(errors) == {"unit_price"}


def test_price_with_more_decimals_than_stored_is_refused_not_rounded():
    data = {"customer_id": 1, "product_id": 1, "unit_price": "1.23456", "unit_cost": "1"}
    assert set(_errors(PriceListEntryIn, data)) == {"unit_price"}


def test_price_too_large_for_the_column_is_refused():
    data = {"customer_id": 1, "product_id": 1, "unit_price": "10000000000", "unit_cost": "1"}
    assert set(_errors(PriceListEntryIn, data)) == {"unit_price"}


def test_price_given_as_number_or_text_loads_as_decimal():
    data = PriceListEntryIn().load(
        {"customer_id": 1, "product_id": 1, "unit_price": 2.5, "unit_cost": "1.25"}
    )
    assert (data["unit_price"], data["unit_cost"], data["currency"]) == (
        Decimal("2.5"),
        Decimal("1.25"),
        "CNY",
    )


def test_negative_safety_stock_is_refused():
    assert set(_errors(SkuIn, {"code": "R-1", "name": "Resin", "safety_stock": "-0.001"})) == {"safety_stock"}


def test_unknown_sku_kind_is_refused():
    assert set(_errors(SkuIn, {"code": "R-1", "name": "Resin", "kind": "tool"})) == {"kind"}


@pytest.mark.parametrize(
    "lat, lon, bad", [(90.5, 120, "lat"), (-91, 120, "lat"), (30, 180.1, "lon"), (30, -181, "lon")]
)
def test_coordinates_out_of_range_are_refused(lat, lon, bad):
    assert set(_errors(ServicePointIn, {"code": "SP1", "name": "East", "lat": lat, "lon": lon})) == {bad}


def test_coordinates_on_the_edges_are_accepted():
    assert not _errors(ServicePointIn, {"code": "SP1", "name": "East", "lat": -90, "lon": 180})


def test_service_point_needs_a_position():
    assert set(_errors(ServicePointIn, {"code": "SP1", "name": "East"})) == {"lat", "lon"}


def test_customer_latitude_without_longitude_is_refused():
    assert set(_errors(CustomerIn, {"code": "C1", "name": "A", "lat": 22.9})) == {"lon"}


def test_customer_without_position_is_accepted():
    assert not _errors(CustomerIn, {"code": "C1", "name": "A"})


def test_partial_change_of_one_coordinate_is_left_to_the_merged_check():
    assert not _errors(CustomerIn, {"lat": 22.9}, partial=True)


def test_location_needs_its_warehouse():
    assert set(_errors(LocationIn, {"code": "A-01"})) == {"warehouse_id"}


def test_missing_reference_is_a_problem():
    assert reference_problem(None, "workshop") is not None


def test_deactivated_reference_is_a_problem():
    assert reference_problem(SimpleNamespace(active=False), "workshop") is not None


def test_active_reference_is_fine():
    assert reference_problem(SimpleNamespace(active=True), "workshop") is None


def test_team_leader_without_leader_role_is_a_problem():
    assert (
        reference_problem(SimpleNamespace(active=True, roles={"sales"}), "leader", role="leader") is not None
    )


def test_team_leader_holding_leader_role_is_fine():
    assert (
        reference_problem(SimpleNamespace(active=True, roles={"qc", "leader"}), "leader", role="leader")
        is None
    )


def test_deactivated_leader_is_a_problem_even_with_the_role():
    assert (
        reference_problem(SimpleNamespace(active=False, roles={"leader"}), "leader", role="leader")
        is not None
    )
