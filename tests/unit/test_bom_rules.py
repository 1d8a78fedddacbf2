"""BOM rules without a database: which versions may change, and what a valid line is."""

from decimal import Decimal

import pytest

from domain.boms import LineInput, check_editable, check_lines, line_problems
from domain.errors import DomainError
from domain.masterdata import BomVersion, Sku

RESIN = Sku(id=1, code="PC-001", name="PC resin", active=True)
DYE = Sku(id=2, code="DYE-RED", name="Red masterbatch", active=True)
OLD = Sku(id=3, code="OLD-9", name="Discontinued", active=False)
SKUS = {sku_key: sku for sku in (RESIN, DYE, OLD) for sku_key in (sku.id, sku.code)}


def refused(lines) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check_lines(lines, SKUS)
    return caught.value


def test_unlocked_draft_may_change():
    check_editable(BomVersion(version=1, status="draft", locked=False))


def test_locked_version_is_immutable_with_409():
    with pytest.raises(DomainError) as caught:
        check_editable(BomVersion(version=2, status="draft", locked=True))
    assert (caught.value.code, caught.value.status) == ("bom_version_immutable", 409)
    assert "work order" in caught.value.message


@pytest.mark.parametrize("status", ["active", "retired"])
def test_active_or_retired_version_is_immutable(status):
    with pytest.raises(DomainError) as caught:
        check_editable(BomVersion(version=3, status=status, locked=False))
    assert caught.value.code == "bom_version_immutable"
    assert status in caught.value.message


def test_sensible_line_has_no_problems():
    assert line_problems("2.5", "1.5") == {}


@pytest.mark.parametrize("qty", ["0", "-1", 0, "abc", None, "", "NaN", "Infinity"])
def test_quantity_must_be_a_positive_number(qty):
    assert "qty_per" in line_problems(qty, 0)


def test_quantity_with_more_than_three_decimals_is_refused():
    assert "decimal" in line_problems("0.0001", 0)["qty_per"]


@pytest.mark.parametrize("scrap", ["-0.1", "100", "150", "x"])
def test_scrap_must_be_from_zero_to_below_100(scrap):
    assert "scrap_pct" in line_problems(1, scrap)


def test_scrap_of_zero_and_99_9_are_fine():
    assert line_problems(1, 0) == line_problems(1, Decimal("99.9")) == {}


def test_lines_by_code_and_by_id_are_accepted():
    check_lines([LineInput("PC-001", "0.25", "2"), LineInput(2, "0.01")], SKUS)


def test_unknown_sku_is_refused_naming_the_line_field():
    error = refused([LineInput("PC-001", 1), LineInput("NOPE", 1)])
    assert error.code == "sku_not_found"
    assert set(error.fields) == {"lines.1.sku_code"}


def test_inactive_sku_is_refused():
    error = refused([LineInput(3, 1)])
    assert error.code == "sku_inactive"
    assert "OLD-9" in error.fields["lines.0.sku_id"]


def test_same_sku_twice_is_refused_even_by_id_and_code():
    error = refused([LineInput("PC-001", 1), LineInput(1, 2)])
    assert error.code == "bom_duplicate_sku"
    assert set(error.fields) == {"lines.1.sku_id"}


def test_every_problem_is_reported_at_once():
    error = refused([LineInput("PC-001", 0, 100), LineInput("NOPE", 1)])
    assert set(error.fields) == {"lines.0.qty_per", "lines.0.scrap_pct", "lines.1.sku_code"}
    assert "3" in error.message
