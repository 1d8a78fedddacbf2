"""The facts a rush-order score needs (DESIGN §3.3), read from master data, orders and stock: the
customer's rank, the margin, whether a mold or colorant change is needed, lead times and kitting."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from domain.kitting import estimate
from domain.masterdata import Customer, PriceListEntry, Product, RoutingStep
from domain.orders.models import Order
from domain.orders.rush_score import RushInputs
from extensions import db


def customer_rank(customer_id: int) -> tuple[int | None, int]:
    """(rank, number of active customers): rank 1 has the largest 12-month purchases; customers with
    equal purchases share a rank. None when the customer is not active."""
    active = select(func.count(Customer.id)).where(Customer.active.is_(True))
    total = db.session.execute(active).scalar_one()
    customer = db.session.get(Customer, customer_id)
    if customer is None or not customer.active:
        return None, total
    above = select(func.count(Customer.id)).where(
        Customer.active.is_(True), Customer.purchase_12m > customer.purchase_12m
    )
    return db.session.execute(above).scalar_one() + 1, total


def margin_pct(order: Order) -> Decimal | None:
    """Gross margin of the order's unit price over the price list's unit cost, in %."""
    cost = db.session.execute(
        select(PriceListEntry.unit_cost).where(
            PriceListEntry.customer_id == order.customer_id, PriceListEntry.product_id == order.product_id
        )
    ).scalar_one_or_none()
    price = order.unit_price
    if cost is None or price is None or price <= 0:
        return None
    return (price - cost) / price * 100


def _shared_workshops(product_id: int):
    return select(RoutingStep.workshop_id).where(RoutingStep.product_id == product_id)


def running_with_same_setup(order: Order) -> Order | None:
    """An order in production in the same workshops with the same mold and colorant, if any.

    A rush order needs no mold or colorant change when its mold is already mounted with its colour,
    i.e. such an order is running now. Until the Gantt knows machines (issue 4), "running" means
    stage in_production and "same place" means a workshop shared with the rush product's routing."""
    product = order.product
    if not product.mold:
        return None  # no mold on record: a change cannot be ruled out
    query = (
        select(Order)
        .join(Product, Product.id == Order.product_id)
        .where(
            Order.stage == "in_production",
            Order.id != order.id,
            Product.mold == product.mold,
            Product.colorant == product.colorant,
            Order.product_id.in_(
                select(RoutingStep.product_id).where(
                    RoutingStep.workshop_id.in_(_shared_workshops(order.product_id))
                )
            ),
        )
        .order_by(Order.due_date, Order.id)
        .limit(1)
    )
    return db.session.execute(query).scalar_one_or_none()


def gather(order: Order, requested_due: date, today: date) -> RushInputs:
    rank, active = customer_rank(order.customer_id)
    return RushInputs(
        customer_rank=rank,
        active_customers=active,
        margin_pct=margin_pct(order),
        needs_mold_or_colorant_change=running_with_same_setup(order) is None,
        requested_lead_days=(requested_due - today).days,
        standard_lead_days=order.product.std_lead_days,
        kitting_rate=estimate.rate_for_order(order),
    )


def inputs_to_json(inputs: RushInputs) -> dict:
    return {
        "customer_rank": inputs.customer_rank,
        "active_customers": inputs.active_customers,
        "margin_pct": None if inputs.margin_pct is None else str(inputs.margin_pct),
        "needs_mold_or_colorant_change": inputs.needs_mold_or_colorant_change,
        "requested_lead_days": inputs.requested_lead_days,
        "standard_lead_days": inputs.standard_lead_days,
        "kitting_rate": None if inputs.kitting_rate is None else str(inputs.kitting_rate),
    }


def inputs_from_json(data: dict) -> RushInputs:
    def dec(value):
        return None if value is None else Decimal(value)

    return RushInputs(
        customer_rank=data["customer_rank"],
        active_customers=data["active_customers"],
        margin_pct=dec(data["margin_pct"]),
        needs_mold_or_colorant_change=data["needs_mold_or_colorant_change"],
        requested_lead_days=data["requested_lead_days"],
        standard_lead_days=data["standard_lead_days"],
        kitting_rate=dec(data["kitting_rate"]),
    )
