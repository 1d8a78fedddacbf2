"""Quantities as people read them (domain/quantity_format.py): locale separators, g ↔ kg, unit names."""

from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from domain.quantity_format import for_display, quantity


@pytest.fixture(autouse=True)
def babel_app():
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(
        __import__("pathlib").Path(__file__).parents[2] / "translations"
    )
    Babel(app)
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal(1183676), "g", (Decimal("1183.676"), "kg")),
        (Decimal(999), "g", (Decimal(999), "g")),
        (Decimal("0.25"), "kg", (Decimal(250), "g")),
        (Decimal(3), "kg", (Decimal(3), "kg")),
        (Decimal("707.5"), "PCS", (Decimal("707.5"), "pcs")),
    ],
)
def test_grams_read_as_kilograms_from_a_kilogram_on_and_back(value, unit, shown):
    assert for_display(value, unit) == shown


def test_a_shortage_in_grams_reads_in_kilograms_with_separators_in_chinese():
    with force_locale("zh_CN"):
        assert quantity(Decimal(1183676), "g") == "1,183.676 千克"
        assert quantity(Decimal("707.500"), "pcs") == "707.5 件"


def test_english_keeps_english_unit_names():
    with force_locale("en"):
        assert quantity(Decimal(12000), "pcs") == "12,000 pcs"


def test_a_unit_the_helper_does_not_know_is_shown_as_written():
    with force_locale("zh_CN"):
        assert quantity(Decimal(5), "桶") == "5 桶"


def test_no_quantity_is_a_dash():
    assert quantity(None, "kg") == "—"
