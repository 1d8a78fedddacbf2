"""Concurrency through a real server: gunicorn (gunicorn.conf.py) on the test database, SQLite and
PostgreSQL. 64 threads of conflicting transfers and moves on one SKU conserve the stock, never go
negative and refuse only in the DESIGN §12 shape; 1,000 idempotency keys sent twice at once apply
exactly 1,000 moves."""

import http.client
import json
import random
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.stock.ledger import StockBalance, StockMove
from domain.stock.stock_check import check_stock
from domain.stock.transfers import ON_THE_ROAD, Transfer
from domain.users import User, issue_token
from extensions import db
from tests.integration.gunicorn_server import gunicorn
from tests.integration.stock_world import SKU, YARD_A, YARD_B, build_world, gps, label

pytestmark = pytest.mark.slow

EXPECTED_REFUSALS = {
    "insufficient_stock",
    "target_capacity_exceeded",
    "transfer_paused_in_transit",
    "transfer_state_conflict",
    "idempotency_in_progress",
}


class Phone:
    """One worker's phone: a keep-alive connection and a bearer token."""

    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = token

    def post(self, path: str, body: dict, key: str | None = None) -> tuple[int, dict, dict]:
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key or uuid.uuid4().hex,
        }
        self.conn.request("POST", path, json.dumps(body), headers)
        response = self.conn.getresponse()
        return response.status, json.loads(response.read()), dict(response.getheaders())


def tokens(count: int) -> list[str]:
    users = [User(username=f"wh{n:02d}", password_hash="-") for n in range(count)]
    for user in users:
        user.set_roles(["warehouse"])
    db.session.add_all(users)
    db.session.flush()
    values = [issue_token(user, 1) for user in users]
    db.session.commit()
    return values


@pytest.fixture
def server(app, tmp_path) -> Iterator[int]:
    """gunicorn with the project's config, serving the test's database; yields its port."""
    db.session.commit()
    with gunicorn(app.config, tmp_path / "gunicorn.log") as port:
        yield port
    db.session.remove()  # read what the server wrote, not this session's cache


def run_threads(count: int, work) -> None:
    errors: list[BaseException] = []

    def guarded(n: int) -> None:
        try:
            work(n)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise errors[0]


def assert_well_formed_refusal(status: int, body: dict) -> str:
    assert status in (409, 422), (status, body)
    error = body["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    assert error["code"] in EXPECTED_REFUSALS, body
    return error["code"]


class Floor:
    """What the threads did, as their responses said: the totals the database must agree with."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received_in = Decimal(0)  # receipts posted
        self.issued = Decimal(0)  # issues posted
        self.refusals: Counter[str] = Counter()

    def note(self, status: int, body: dict) -> bool:
        if status < 300:
            return True
        code = assert_well_formed_refusal(status, body)
        with self.lock:
            self.refusals[code] += 1
        return False


def test_64_threads_of_conflicting_transfers_and_moves_conserve_stock(app, server):
    world = build_world(stock_a="500", capacity_b="400", safety_stock="300")
    phones = [Phone(server, token) for token in tokens(64)]
    floor = Floor()
    requested: list[tuple[int, str]] = []  # (transfer, source) any thread may pick: phones race
    labels = {loc: label(loc) for loc in (world.loc_a, world.loc_b)}  # signed here, in the app context

    def pick_at(source: str) -> dict:
        location, yard = (world.loc_a, YARD_A) if source == "WH-A" else (world.loc_b, YARD_B)
        return {"location_label": labels[location], "gps": gps(yard)}

    def transfer(phone: Phone, source: str, target: str, rng: random.Random) -> None:
        body = {"order_ref": world.order, "sku": SKU, "qty": str(rng.randint(1, 30))}
        status, made, _ = phone.post(
            "/api/v1/transfers", {**body, "from_warehouse": source, "to_warehouse": target}
        )
        if not floor.note(status, made):
            return
        requested.append((made["id"], source))
        tid, their_source = rng.choice(requested)  # maybe someone else's: picks collide on purpose
        if tid != made["id"]:
            floor.note(*phone.post(f"/api/v1/transfers/{tid}/pick", pick_at(their_source))[:2])
        picked = phone.post(f"/api/v1/transfers/{made['id']}/pick", pick_at(source))
        if not floor.note(*picked[:2]):
            return
        floor.note(*phone.post(f"/api/v1/transfers/{made['id']}/dispatch", {})[:2])
        at_target = (world.loc_b, YARD_B) if target == "WH-B" else (world.loc_a, YARD_A)
        floor.note(
            *phone.post(
                f"/api/v1/transfers/{made['id']}/receive",
                {"location_label": labels[at_target[0]], "gps": gps(at_target[1])},
            )[:2]
        )

    def move(phone: Phone, kind: str, qty: int, location: int, yard: dict) -> None:
        body = {
            "kind": kind,
            "sku": SKU,
            "qty": str(qty),
            "location_label": labels[location],
            "gps": gps(yard),
        }
        if floor.note(*phone.post("/api/v1/stock/moves", body)[:2]):
            with floor.lock:
                if kind == "receipt":
                    floor.received_in += qty
                else:
                    floor.issued += qty

    def work(n: int) -> None:
        rng, phone = random.Random(n), phones[n]
        for _ in range(3):
            choice = rng.random()
            if choice < 0.4:
                transfer(phone, "WH-A", "WH-B", rng)
            elif choice < 0.55:
                transfer(phone, "WH-B", "WH-A", rng)
            elif choice < 0.8:
                move(
                    phone,
                    "issue",
                    rng.randint(1, 25),
                    *rng.choice([(world.loc_a, YARD_A), (world.loc_b, YARD_B)]),
                )
            else:
                move(
                    phone,
                    "receipt",
                    rng.randint(1, 10),
                    *rng.choice([(world.loc_a, YARD_A), (world.loc_b, YARD_B)]),
                )

    run_threads(64, work)

    on_hand = db.session.execute(select(func.sum(StockBalance.qty))).scalar() or Decimal(0)
    on_the_road = db.session.execute(
        select(func.sum(Transfer.picked_qty)).where(Transfer.state.in_(ON_THE_ROAD))
    ).scalar() or Decimal(0)
    assert on_hand + on_the_road == Decimal(500) + floor.received_in - floor.issued
    assert db.session.execute(select(func.min(StockBalance.qty))).scalar() >= 0
    assert check_stock().ok
    assert floor.refusals["transfer_state_conflict"] > 0  # the race on shared picks really happened
    assert sum(floor.refusals.values()) > 0


def test_48_receipts_and_transfers_racing_for_the_last_room_never_overfill_the_warehouse(app, server):
    """WH-B has room for 100: 40 phones receive 5 each while 8 request transfers of 5 into it, all at
    once. Exactly 100 fits; every other request is refused, none fails (no deadlock between the
    receipts' balance-then-warehouse locks and the transfers' SKU-then-warehouse locks)."""
    world = build_world(stock_a="500", capacity_b="100")
    phones = [Phone(server, token) for token in tokens(48)]
    receipt = {"kind": "receipt", "sku": SKU, "qty": "5", "location_label": label(world.loc_b)}
    receipt["gps"] = gps(YARD_B)
    transfer = {"order_ref": world.order, "sku": SKU, "qty": "5", "from_warehouse": "WH-A"}
    transfer["to_warehouse"] = "WH-B"
    floor, accepted = Floor(), Counter()
    start = threading.Barrier(48)

    def work(n: int) -> None:
        path, body = ("/api/v1/transfers", transfer) if n < 8 else ("/api/v1/stock/moves", receipt)
        start.wait()
        status, answer, _ = phones[n].post(path, body)
        if floor.note(status, answer):
            with floor.lock:
                accepted[path] += 1

    run_threads(48, work)

    assert 5 * sum(accepted.values()) == 100, (accepted, floor.refusals)
    assert floor.refusals == Counter({"target_capacity_exceeded": 48 - 20})
    in_b = db.session.execute(
        select(func.sum(StockBalance.qty)).where(StockBalance.location_id == world.loc_b)
    ).scalar()
    assert in_b == 5 * accepted["/api/v1/stock/moves"]
    assert check_stock().ok
    refused = sum(floor.refusals.values())
    print(f"48 racing for room 100 in WH-B: {dict(accepted)} accepted, {refused} refused")


def test_1000_keys_sent_twice_at_once_apply_exactly_1000_moves(app, server):
    world = build_world()
    (token,) = tokens(1)
    body = {"kind": "receipt", "sku": SKU, "qty": "1", "location_label": label(world.loc_a)}
    keys = [f"outbox-{n:04d}" for n in range(1000)]
    bodies = {
        key: {**body, "gps": gps(YARD_A, accuracy=5 + n % 7, east_m=n % 20)} for n, key in enumerate(keys)
    }
    sends = [key for key in keys for _ in range(2)]  # each key twice, back to back: two threads at once
    first: dict[str, dict] = {}
    lock = threading.Lock()
    in_progress = Counter()

    def work(n: int) -> None:
        phone = Phone(server, token)
        for key in sends[n::32]:
            status, answer, _ = phone.post("/api/v1/stock/moves", bodies[key], key)
            if status == 409:
                assert answer["error"]["code"] == "idempotency_in_progress"
                in_progress["409"] += 1
                continue
            assert status == 201, answer
            with lock:
                assert first.setdefault(key, answer) == answer  # a replay is the first response

    run_threads(32, work)
    receipts = db.session.execute(select(func.count()).select_from(StockMove)).scalar_one()
    assert receipts == 1000
    assert db.session.execute(select(StockBalance.qty)).scalar_one() == Decimal(1000)

    def replay_all(n: int) -> None:
        phone = Phone(server, token)
        for key in keys[n::16]:
            status, answer, headers = phone.post("/api/v1/stock/moves", bodies[key], key)
            assert (status, headers.get("Idempotent-Replayed")) == (201, "true")
            if key in first:
                assert answer == first[key]

    run_threads(16, replay_all)
    db.session.remove()
    assert db.session.execute(select(func.count()).select_from(StockMove)).scalar_one() == 1000
