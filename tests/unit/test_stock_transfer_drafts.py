"""Which warehouse a transfer drafted from a shortage comes from (domain/stock/transfer_drafts.py)."""

from decimal import Decimal

from domain.stock.transfer_drafts import choose_source


def test_the_source_is_the_warehouse_holding_the_most_other_than_the_destination():
    on_hand = {"WH-A": Decimal(90), "WH-B": Decimal(30), "WH-C": Decimal(40)}
    assert choose_source(on_hand, destination="WH-A") == "WH-C"


def test_no_source_when_only_the_destination_holds_the_sku():
    assert choose_source({"WH-A": Decimal(5), "WH-B": Decimal(0)}, destination="WH-A") == ""


def test_a_tie_goes_to_the_first_warehouse_by_code():
    assert choose_source({"WH-C": Decimal(7), "WH-B": Decimal(7)}, destination="") == "WH-B"
