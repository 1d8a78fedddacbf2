"""The ledger's invariant: on-hand equals the sum of moves, never negative (hypothesis), and the
`flask stock-check` command that verifies it for the whole database."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from domain.errors import DomainError
from domain.masterdata import Sku
from domain.stock import balances
from domain.stock.ledger import StockBalance, StockMove
from domain.stock.stock_check import check_stock
from domain.transactions import write_transaction
from extensions import db
from tests.integration.stock_world import SKU, build_world, put_stock

KINDS = {"receipt": 1, "output": 1, "transfer_in": 1, "issue": -1, "shipment": -1, "transfer_out": -1}
MOVES = st.lists(
    st.tuples(
        st.sampled_from([*KINDS, "adjustment"]),
        st.integers(min_value=0, max_value=2),  # which location
        st.sampled_from(["", "L240301"]),  # lot
        st.decimals(min_value=Decimal("0.001"), max_value=Decimal(40), places=3),
        st.booleans(),  # an adjustment's sign
    ),
    max_size=30,
)


@pytest.fixture
def world(app):
    return build_world()


def current() -> dict[tuple, Decimal]:
    rows = db.session.execute(select(StockBalance.location_id, StockBalance.lot, StockBalance.qty))
    return {(loc, lot): qty for loc, lot, qty in rows}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_random_moves_keep_on_hand_equal_to_the_ledger_and_never_negative(world, moves):
    sku_id = db.session.execute(select(Sku.id).where(Sku.code == SKU)).scalar_one()
    locations = (world.loc_a, world.loc_a2, world.loc_b)
    expected = current()
    for kind, which, lot, qty, up in moves:
        key = (locations[which], lot)
        delta = qty * (KINDS.get(kind) or (1 if up else -1))
        try:
            with write_transaction():
                balances.post(kind, sku_id, lot, key[0], delta, reason="property test")
        except DomainError as refused:
            assert refused.code == "insufficient_stock"
            assert expected.get(key, Decimal(0)) + delta < 0  # refused exactly when it would go below 0
            continue
        expected[key] = expected.get(key, Decimal(0)) + delta
    assert current() == expected
    assert min(expected.values(), default=Decimal(0)) >= 0
    assert check_stock().ok


def test_stock_check_passes_when_every_balance_equals_its_moves(world, runner):
    put_stock(world.loc_a, "12.5")
    put_stock(world.loc_b, "3")
    result = runner.invoke(args=["stock-check"])
    assert (result.exit_code, result.output.strip()) == (0, "stock ok: 2 balances equal their ledger sums")


def test_stock_check_fails_when_a_balance_was_changed_behind_the_ledger(world, runner):
    put_stock(world.loc_a, "12.5")
    db.session.execute(text("UPDATE stock_balance SET qty = qty + 1000"))  # +1 unit, outside the ledger
    db.session.commit()
    result = runner.invoke(args=["stock-check"])
    assert result.exit_code == 1
    assert f"location={world.loc_a}: on hand 13.500, ledger sum 12.500" in result.output


def test_stock_check_fails_on_moves_without_a_balance(world, runner):
    put_stock(world.loc_a, "5")
    db.session.execute(text("DELETE FROM stock_balance"))
    db.session.commit()
    assert runner.invoke(args=["stock-check"]).exit_code == 1


def test_a_ledger_move_cannot_be_edited(world):
    put_stock(world.loc_a, "5")
    move = db.session.execute(select(StockMove)).scalar_one()
    move.qty = Decimal(50)
    with pytest.raises(RuntimeError, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_a_negative_balance_whatever_the_code_path(world):
    put_stock(world.loc_a, "5")
    with pytest.raises(IntegrityError, match=r"(?i)check"):
        db.session.execute(text("UPDATE stock_balance SET qty = -1"))
        db.session.flush()
    db.session.rollback()


def test_remaining_capacity_counts_what_is_on_hand_and_on_its_way_in(app):
    """余量 = capacity − on hand in the warehouse − transfers on their way to it, to the thousandth."""
    from domain.masterdata import Warehouse
    from domain.stock.capacity import remaining_capacity
    from domain.stock.transfer_service import TransferRequest, request_transfer

    world = build_world(capacity_b="500", stock_a="100")
    put_stock(world.loc_b, "120.5")
    request_transfer(TransferRequest(world.order, SKU, Decimal("30.25"), world.a, world.b), None)
    target = db.session.execute(select(Warehouse).where(Warehouse.code == world.b)).scalar_one()
    with write_transaction():
        assert remaining_capacity(target.id, target.capacity) == Decimal("349.250")
    unlimited = db.session.execute(select(Warehouse).where(Warehouse.code == world.a)).scalar_one()
    assert remaining_capacity(unlimited.id, unlimited.capacity) is None
