"""The quantity field's value after a scan on the phone (domain/stock/starting_quantity.py)."""

from domain.stock.starting_quantity import counted_by_weight, starting_quantity


def test_a_piece_counted_item_starts_at_one():
    start = starting_quantity("pcs")
    assert (start.value, start.must_enter) == ("1", False)


def test_an_item_weighed_in_kg_starts_empty_and_must_be_entered():
    start = starting_quantity("kg")
    assert (start.value, start.must_enter) == ("", True)


def test_an_item_without_a_unit_counts_pieces():
    assert starting_quantity(None).value == "1"


def test_a_container_label_quantity_fills_the_field_for_weighed_items_too():
    assert starting_quantity("kg", label_qty="25.000").value == "25"
    assert starting_quantity("pcs", label_qty="240").value == "240"


def test_a_count_is_always_typed_even_from_a_container_label():
    assert starting_quantity("pcs", label_qty="240", counting=True).must_enter


def test_weight_units_are_recognised_in_any_case_and_in_chinese():
    assert all(counted_by_weight(unit) for unit in ("KG", " g ", "公斤", "吨"))
    assert not counted_by_weight("pcs")
