"""The spare-part recommender on the seeded history (demo/service.py): held-out tickets get
the part actually used in their top 3 for most of them; cold start falls back to the model's parts."""

import random

from demo.service import history
from domain.service.recommend import MODEL, OVERALL, SIMILAR, PartRecommender, PastTicket

HELD_OUT = 0.2


def split(seed: int = 20_240_601):
    tickets = history(random.Random(seed))
    order = list(range(len(tickets)))
    random.Random(7).shuffle(order)
    test = set(order[: int(len(tickets) * HELD_OUT)])
    train = [
        PastTicket(t.ref, t.description, t.model, (t.part,)) for i, t in enumerate(tickets) if i not in test
    ]
    return train, [tickets[i] for i in sorted(test)]


def test_seeded_history_has_200_tickets_in_chinese_with_several_families_per_model():
    tickets = history(random.Random(1))
    assert len(tickets) >= 200
    chinese = sum(any("\u4e00" <= c <= "\u9fff" for c in t.description) for t in tickets)
    assert chinese / len(tickets) > 0.85
    parts_per_model = {}
    for t in tickets:
        parts_per_model.setdefault(t.model, set()).add(t.part)
    assert all(len(parts) >= 2 for parts in parts_per_model.values())


def test_held_out_tickets_find_the_part_used_in_the_top_3():
    train, test = split()
    recommender = PartRecommender(train)
    hits = sum(t.part in [r.sku for r in recommender.recommend(t.description, t.model)] for t in test)
    rate = hits / len(test)
    print(f"\ntop-3 hit rate on {len(test)} held-out tickets (trained on {len(train)}): {rate:.1%}")
    assert rate >= 0.75


def test_recommendations_carry_the_past_tickets_as_evidence():
    train, _test = split()
    found = PartRecommender(train).recommend("卡扣断了，上下壳扣不上", "OH-HS-1203")
    assert found[0].sku == "SV-CLIP-RT" and found[0].basis == SIMILAR
    assert found[0].evidence and all(e.ref.startswith("ST-H") for e in found[0].evidence)
    assert found[0].evidence[0].similarity >= found[0].evidence[-1].similarity


def test_english_descriptions_match_too():
    train, _test = split()
    found = PartRecommender(train).recommend("charger case burnt, smells", "OH-HS-1310")
    assert (found[0].sku, found[0].basis) == ("SV-HSG-1310", SIMILAR)


def test_a_few_shared_english_words_with_another_model_do_not_outvote_the_models_own_parts():
    train, _test = split()
    found = PartRecommender(train).recommend("water inside the meter, condensation", "OH-HS-1420")
    assert "SV-SEAL-1420" in [r.sku for r in found]
    assert "SV-HSG-1310" not in [r.sku for r in found]  # a charger part, for sharing a few letters


HISTORY = [
    PastTicket("T1", "卡扣断裂", "M1", ("P-CLIP",)),
    PastTicket("T2", "卡扣断了", "M1", ("P-CLIP",)),
    PastTicket("T3", "脚垫掉了", "M1", ("P-FOOT",)),
    PastTicket("T4", "按键失灵", "M2", ("P-KEY",)),
    PastTicket("T5", "button caps missing", "M2", ("P-KEY",)),
]


def test_cold_start_offers_only_the_models_own_most_used_parts():
    found = PartRecommender(HISTORY).recommend("xyz qqq", "M1")
    assert [(r.sku, r.basis) for r in found] == [("P-CLIP", MODEL), ("P-FOOT", MODEL)]
    assert PartRecommender([]).recommend("卡扣断裂", "M1") == []


def test_a_model_without_history_is_offered_the_plants_most_used_parts():
    found = PartRecommender(HISTORY).recommend("xyz qqq", "M-NEW")
    assert [(r.sku, r.basis) for r in found] == [("P-CLIP", OVERALL), ("P-KEY", OVERALL), ("P-FOOT", OVERALL)]


def test_an_english_description_of_another_models_fault_never_brings_that_models_part():
    found = PartRecommender(HISTORY).recommend("button caps missing", "M1")
    assert "P-KEY" not in [r.sku for r in found]
    assert {r.sku for r in found} <= {"P-CLIP", "P-FOOT"}


def test_every_english_held_out_ticket_gets_only_parts_used_on_its_model():
    train, test = split()
    recommender = PartRecommender(train)
    used = {}
    for t in train:
        used.setdefault(t.model, set()).update(t.parts)
    english = [t for t in test if t.description.isascii()]
    assert english
    for t in english:
        assert {r.sku for r in recommender.recommend(t.description, t.model)} <= used[t.model]
