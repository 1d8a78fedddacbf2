"""The paged product list admins pick from to open a product's BOM versions or routing."""

from flask_sqlalchemy.pagination import Pagination

from domain.masterdata import Product
from domain.search_text import contains
from extensions import db

MAX_PER_PAGE = 100


def product_page(q: str = "", active: bool | None = True, page: int = 1, per_page: int = 25) -> Pagination:
    """Products by model (model or name containing `q`); `active=None` lists deactivated ones too."""
    stmt = db.select(Product).order_by(Product.model, Product.id)
    if active is not None:
        stmt = stmt.where(Product.active.is_(active))
    if q.strip():
        stmt = stmt.where(contains(q.strip(), Product.model, Product.name))
    return db.paginate(stmt, page=max(page, 1), per_page=min(max(per_page, 1), MAX_PER_PAGE), error_out=False)
