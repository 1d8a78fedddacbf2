"""Flask CLI commands: `flask --app app <command>`."""

import click
from flask import Flask

from demo.plant import seed_demo_plant
from domain.clock import plant_today, plant_zone
from domain.errors import DomainError
from domain.roles import ALL_ROLES
from domain.users import User, find_user
from extensions import db


def register(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--role", "roles", multiple=True, type=click.Choice(ALL_ROLES), required=True)
    def create_user(username: str, password: str, roles: tuple[str, ...]) -> None:
        """Create a user (or reset their password and roles)."""
        user = find_user(username) or User(username=username, display_name=username)
        user.set_password(password)
        user.set_roles(set(roles))
        db.session.add(user)
        db.session.commit()
        click.echo(f"user {username}: roles {', '.join(sorted(roles))}")

    @app.cli.command("events")
    def list_events() -> None:
        """For each domain event: who reacts in its transaction, and who is told after it commits."""
        from domain import events

        for name, reactions, notifiers in events.describe():
            click.echo(name)
            for handler in reactions:
                click.echo(f"  in the transaction: {handler}")
            for handler in notifiers:
                click.echo(f"  after the commit:   {handler}")

    @app.cli.command("delivery-worker")
    @click.option("--once", is_flag=True, help="Deliver what is due now, run the waiting imports, and exit.")
    def delivery_worker(once: bool) -> None:
        """Deliver the outbox (企业微信 messages) with retries and run the order-import jobs; runs until
        stopped (systemd)."""
        from domain.delivery import runner, worker

        if once:
            click.echo(f"sent {worker.run_once()}")
            imported = 0
            while runner.import_round():
                imported += 1
            if imported:
                click.echo(f"imports run {imported}")
            return
        runner.run_process(app)

    @app.cli.command("stock-check")
    def stock_check() -> None:
        """Check every on-hand quantity against its ledger sum; exit 1 on any mismatch (DESIGN §12)."""
        from domain.stock.stock_check import check_stock

        result = check_stock()
        for m in result.mismatches:
            click.echo(
                f"MISMATCH sku={m.sku_id} lot={m.lot!r} location={m.location_id}: "
                f"on hand {m.on_hand}, ledger sum {m.ledger}",
                err=True,
            )
        for sku_id, lot, location_id in result.negative:
            click.echo(f"NEGATIVE sku={sku_id} lot={lot!r} location={location_id}", err=True)
        if not result.ok:
            raise SystemExit(1)
        click.echo(f"stock ok: {result.balances} balances equal their ledger sums")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Fill an empty database with the demo plant and one user per role (password: demo)."""
        zone = plant_zone(app.config)
        try:
            result = seed_demo_plant(plant_today(zone), zone)
        except DomainError as error:
            raise click.ClickException(error.message) from error
        if not result.created:
            click.echo(f"The demo plant (version {result.version}) is already here; nothing changed.")
            return
        click.echo(", ".join(f"{count} {table}" for table, count in result.counts.items()))
        click.echo(
            "Demo plant created. Sign in as admin, sales, planner, warehouse, leader, qc, service, cs or vp"
        )
        click.echo("(and leader2-leader4, the other team leaders); every password is: demo")

    @app.cli.command("erp-sync")
    @click.argument("source")
    def erp_sync(source: str) -> None:
        """Upsert customers and prices from the ERP's export: a CSV or XLSX file, or a JSON URL.
        All or nothing per source; exits 1 when it was not applied (cron mails the output)."""
        from domain.exchange.erp_sync import APPLIED, report_lines, run_sync

        sync = run_sync(source)
        for line in report_lines(sync):
            click.echo(line)
        if sync.status != APPLIED:
            raise SystemExit(1)
