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


def test_the_capacity_check_holds_the_warehouse_lock_until_commit(app):
    """Two receipts checking the same warehouse at once must go one after the other: the check takes
    the warehouse row lock, and another check waits for it until the first transaction commits."""
    from sqlalchemy.exc import OperationalError

    from domain.masterdata import Warehouse
    from domain.stock.capacity import remaining_capacity

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises whole write transactions; row locks are PostgreSQL's")
    world = build_world(capacity_b="100")
    target = db.session.execute(select(Warehouse).where(Warehouse.code == world.b)).scalar_one()
    lock = select(Warehouse.id).where(Warehouse.id == target.id).with_for_update(key_share=True)
    with db.engine.connect() as other:
        other.execute(text("SET lock_timeout = '200ms'"))
        with write_transaction():
            remaining_capacity(target.id, target.capacity)
            with pytest.raises(OperationalError, match="lock timeout"):
                other.execute(lock)
            other.rollback()
        assert other.execute(lock).scalar() == target.id  # free once the check's transaction ended


def test_writes_at_commit_land_with_the_commit_and_a_failed_one_undoes_the_whole_transaction(world):
    """write_at_commit: the queued writes run at the end, after the block's own (on PostgreSQL, in one
    pipeline with the COMMIT). One that fails undoes everything, and the session works on."""
    from domain.audit import AuditLog, record
    from domain.transactions import write_at_commit

    sku_id = db.session.execute(select(Sku.id).where(Sku.code == SKU)).scalar_one()
    audit_rows = select(AuditLog.action).order_by(AuditLog.id)
    with write_transaction():
        record("first", "test", at_commit=True)
        balances.post("receipt", sku_id, "", world.loc_a, Decimal(7))
        record("second", "test", at_commit=True)
        assert db.session.execute(audit_rows).scalars().all() == []  # not yet: with the commit
    assert db.session.execute(audit_rows).scalars().all() == ["first", "second"]

    table = StockMove.__table__
    duplicate_id = db.session.execute(select(table).limit(1)).mappings().one()
    with pytest.raises(IntegrityError), write_transaction():
        balances.post("receipt", sku_id, "", world.loc_a, Decimal(5))
        record("third", "test", at_commit=True)
        write_at_commit(table.insert().inline(), dict(duplicate_id))  # the same primary key again
    assert current() == {(world.loc_a, ""): Decimal(7)} and check_stock().ok
    assert db.session.execute(audit_rows).scalars().all() == ["first", "second"]
    with write_transaction():
        balances.post("issue", sku_id, "", world.loc_a, Decimal(-2))
    assert current() == {(world.loc_a, ""): Decimal(5)}
    with pytest.raises(RuntimeError):
        write_at_commit(table.insert().inline(), dict(duplicate_id))
