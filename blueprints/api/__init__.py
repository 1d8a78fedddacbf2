"""The JSON API under /api/v1 (flask-smorest): one module per resource."""

from flask import Flask, request
from flask_login import current_user

from blueprints.api import openapi_errors, openapi_numbers
from extensions import csrf, make_api


def _csrf_for_cookie_sessions() -> None:
    """Bearer-token calls carry no ambient credential, so no CSRF check; calls that ride on the
    browser's session cookie (the PWA's own fetches) must send the X-CSRFToken header."""
    if not request.path.startswith("/api/") or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return
    if current_user.is_authenticated:
        csrf.protect()


def register(app: Flask) -> None:
    from blueprints.api import (
        auth,
        boms,
        changes,
        compliance_rules,
        gantt,
        kitting,
        lots,
        orders,
        production,
        push,
        quality,
        routings,
        rush,
        scan,
        service_tickets,
        shipments,
        stock,
        trace,
        transfers,
        users,
        warehouses,
    )

    api = make_api(app)
    openapi_numbers.register(api)
    app.before_request(_csrf_for_cookie_sessions)
    for module in (
        auth,
        boms,
        routings,
        warehouses,
        users,
        orders,
        rush,
        changes,
        compliance_rules,
        stock,
        transfers,
        gantt,
        production,
        service_tickets,
        quality,
        lots,
        trace,
        shipments,
        kitting,
        scan,
        push,
    ):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.blp.url_prefix or ''}")
    # Master data: each module is the six routes of blueprints/api/masterdata_routes.py for one entity.
    from blueprints.api import customers, locations, prices, products, service_points, skus, teams, workshops

    for module in (customers, products, prices, skus, workshops, teams, locations, service_points):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.blp.url_prefix or ''}")
    # Dashboards and monthly KPIs (DESIGN §9).
    from blueprints.api import dashboard

    for blueprint in (dashboard.blp, dashboard.kpi_blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix}")
    # Orders from XLSX sheets (DESIGN §10).
    from blueprints.api import order_imports

    csrf.exempt(order_imports.blp)
    api.register_blueprint(order_imports.blp, url_prefix=f"/api/v1{order_imports.blp.url_prefix}")
    openapi_errors.document(app, api)
