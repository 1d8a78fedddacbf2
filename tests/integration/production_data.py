"""A small plant for the production tests: a product with a two-step routing in two workshops with
machines, an active BOM, a team with its leader, and confirmed orders ready to convert."""

from decimal import Decimal

from domain.masterdata import RoutingStep, Team
from domain.production.models import Machine, SchedulingSettingsRecord
from domain.users import User
from extensions import db
from tests.conftest import make_user
from tests.integration import order_data as data


class Plant:
    def __init__(self) -> None:
        self.leader: User = make_user("leader", ["leader"])
        self.planner: User = make_user("planner", ["planner"])
        self.product = data.product("P-100", workshop_code="W1")
        assembly = data.workshop("W2")
        db.session.add(
            RoutingStep(
                product_id=self.product.id,
                seq=2,
                name="Assembly",
                workshop_id=assembly.id,
                setup_minutes=30,
                seconds_per_unit=Decimal("12"),
            )
        )
        molding = data.workshop("W1")
        db.session.add_all(
            [
                Machine(workshop_id=molding.id, code="IM-01", name="注塑机 1"),
                Machine(workshop_id=molding.id, code="IM-02", name="注塑机 2"),
                Machine(workshop_id=assembly.id, code="AS-01", name="装配线 1"),
            ]
        )
        # Round the clock, so planned times here read as plain minutes whatever the hour of the run
        # (the plant default of two shifts pauses operations overnight: tests/unit/test_scheduler.py).
        db.session.add(SchedulingSettingsRecord(id=1, settings={"shifts": [["00:00", "24:00"]]}))
        db.session.commit()
        self.team: Team = data.team_with_leader(self.leader.id, "W1")
        self.customer = data.customer("C001")
        self._orders = 0

    def confirmed_order(self, quantity: int = 1000, **kw):
        self._orders += 1
        return data.order_in_stage(
            self.customer,
            self.product,
            "confirmed",
            number=f"SO-P-{self._orders:03d}",
            quantity=quantity,
            **kw,
        )
