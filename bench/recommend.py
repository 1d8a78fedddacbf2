"""Bench: spare-part recommendation (DESIGN §8) on the seeded after-sales history.

    .venv/bin/python bench/recommend.py

1. Hold-out accuracy: the 240 seeded tickets (demo/service.py) are split 80/20 five times (five
   shuffles); trained on 80%, each held-out ticket asks for 3 parts; a hit is the part actually used
   among them. Prints the top-1 and top-3 hit rates per split and overall, then the English subset's
   top-3 rate and how many recommendations held a part never used on the ticket's model (must be 0:
   the model narrows the candidates whatever the language).
2. Latency: fitting on the whole history, one recommendation (p50/p99 over every ticket), and the
   ticket API on the demo plant (SQLite): `GET /api/v1/service/tickets/<id>`, which looks the serial
   up, builds warranty and history, recommends (cached model) and ranks the service points by stock.
"""

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo.service import history
from domain.service.recommend import PartRecommender, PastTicket

SEED = 20_240_601
SPLITS = 5
HELD_OUT = 0.2


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def accuracy() -> None:
    tickets = history(random.Random(SEED))
    hits1 = hits3 = asked = 0
    english = {"asked": 0, "hits3": 0}
    foreign = {"all": 0, "english": 0}  # recommendations holding a part never used on the ticket's model
    print(f"history: {len(tickets)} tickets, {SPLITS} random 80/20 splits")
    for split in range(SPLITS):
        order = list(range(len(tickets)))
        random.Random(split).shuffle(order)
        test = set(order[: int(len(tickets) * HELD_OUT)])
        train = [
            PastTicket(t.ref, t.description, t.model, (t.part,))
            for i, t in enumerate(tickets)
            if i not in test
        ]
        recommender = PartRecommender(train)
        fits: dict[str | None, set[str]] = {}
        for t in train:
            fits.setdefault(t.model, set()).update(t.parts)
        h1 = h3 = 0
        for i in sorted(test):
            found = [r.sku for r in recommender.recommend(tickets[i].description, tickets[i].model)]
            h1 += found[:1] == [tickets[i].part]
            h3 += tickets[i].part in found
            wrong = bool(set(found) - fits.get(tickets[i].model, set()))
            foreign["all"] += wrong
            if tickets[i].description.isascii():
                english["asked"] += 1
                english["hits3"] += tickets[i].part in found
                foreign["english"] += wrong
        print(f"  split {split}: top-1 {h1 / len(test):.1%}, top-3 {h3 / len(test):.1%} of {len(test)}")
        hits1, hits3, asked = hits1 + h1, hits3 + h3, asked + len(test)
    print(f"hold-out hit rate: top-1 {hits1 / asked:.1%}, top-3 {hits3 / asked:.1%} ({asked} tickets)")
    print(
        f"English subset: top-3 {english['hits3'] / max(english['asked'], 1):.1%} "
        f"of {english['asked']} tickets; "
        f"recommendations with a part never used on the ticket's model: {foreign['english']} (English), "
        f"{foreign['all']} (all {asked})"
    )


def latency() -> None:
    tickets = history(random.Random(SEED))
    past = [PastTicket(t.ref, t.description, t.model, (t.part,)) for t in tickets]
    fits = []
    for _ in range(7):
        started = time.perf_counter()
        recommender = PartRecommender(past)
        fits.append(time.perf_counter() - started)
    calls = []
    for t in tickets:
        started = time.perf_counter()
        recommender.recommend(t.description, t.model)
        calls.append(time.perf_counter() - started)
    calls.sort()
    print(f"fit on {len(past)} tickets: median {ms(statistics.median(fits))} ms")
    print(
        f"one recommendation: p50 {ms(calls[len(calls) // 2])} ms, p99 {ms(calls[int(len(calls) * 0.99)])} ms"
    )


def ticket_api() -> None:
    from app import create_app
    from demo.plant import seed_demo_plant
    from domain.clock import plant_today, plant_zone
    from domain.service.tickets import ServiceTicket
    from extensions import db

    folder = tempfile.mkdtemp(prefix="oh-bench-recommend-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "REDIS_URL": None,
            "RATELIMIT_ENABLED": False,
            "TESTING": True,
        }
    )
    with app.app_context():
        db.create_all()
        zone = plant_zone(app.config)
        seed_demo_plant(plant_today(zone), zone)
        ids = list(db.session.execute(db.select(ServiceTicket.id).order_by(ServiceTicket.id)).scalars())
    # Requests outside the seeding context: each gets its own, as under a real server.
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "cs", "password": "demo"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    response = client.get(f"/api/v1/service/tickets/{ids[0]}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    first = time.perf_counter() - started  # includes fitting the model on the seeded history
    times = []
    for ticket_id in ids:
        started = time.perf_counter()
        assert client.get(f"/api/v1/service/tickets/{ticket_id}", headers=headers).status_code == 200
        times.append(time.perf_counter() - started)
    times.sort()
    p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
    print(
        f"GET ticket detail on the demo plant ({len(ids)} tickets, SQLite): first call {ms(first)} ms "
        f"(fits the model), then p50 {ms(p50)} ms, p99 {ms(p99)} ms"
    )


if __name__ == "__main__":
    accuracy()
    latency()
    ticket_api()
