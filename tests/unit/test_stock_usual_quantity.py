"""The usual size of a SKU's move (domain/stock/usual_quantity.py), signs ignored."""

from decimal import Decimal as D

from domain.stock.usual_quantity import median_move


def test_the_median_ignores_signs_and_zero():
    assert median_move([D(5), D(-5), D(7), D(0), D(-3)]) == D(5)


def test_an_even_count_takes_the_middle_two():
    assert median_move([D(2), D(4)]) == D(3)


def test_no_moves_no_median():
    assert median_move([]) is None
