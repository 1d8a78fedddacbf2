"""Spare-part recommendation from past tickets with similar fault descriptions.

Descriptions are Chinese, English or mixed, so they are compared as character n-grams (1–3 characters
inside word boundaries) weighted by TF-IDF, with scikit-learn: no word segmenter is needed for Chinese,
and English words still match by their stems' shared n-grams. The most similar past tickets vote for
the parts they used, weighted by similarity (more when they concern the same product model); each
recommended part carries the tickets that voted for it as evidence. When nothing similar enough exists
(a new fault), the parts most used for the model are offered.

A ticket's product model always narrows the candidates, whatever the language of its description: when
the model has past tickets, only parts used on the model are offered (another model's similar ticket
still votes for a part the two share; an English description shares letters with every other English
one, and a part of another model does not fit).
Only a model without history (a new one, or none given) is offered the plant's most used parts.

Pure: takes past tickets as plain values; loading and caching them is `part_history.py`'s job.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

NEIGHBOURS = 25  # past tickets that vote
MIN_SIMILARITY = 0.12  # below this a past ticket says nothing about this fault
# Another model's ticket votes only when clearly alike: sharing a few words of English is not a fault
# of the same kind, and the model's own most used parts are the better guess then.
OTHER_MODEL_MIN = 0.4
SAME_MODEL_WEIGHT = 1.5  # the same symptom on the same model usually needs the same part
EVIDENCE = 3  # past tickets shown per part
SIMILAR, MODEL, OVERALL = "similar", "model", "overall"  # why a part is recommended


@dataclass(frozen=True)
class PastTicket:
    ref: str  # ticket number, shown as evidence
    description: str
    model: str | None
    parts: tuple[str, ...]  # SKU codes used


@dataclass(frozen=True)
class Evidence:
    ref: str
    similarity: float
    description: str


@dataclass(frozen=True)
class Recommendation:
    sku: str
    score: float
    basis: str  # similar | model | overall
    evidence: list[Evidence] = field(default_factory=list)
    uses: int = 0  # how often the part was used (for the model, or overall) in the fallback


# scikit-learn's own character n-grams within word boundaries; the grams made only of spaces and
# punctuation (every description has "，" and the padding spaces) are dropped, or two unrelated
# faults would look alike for their commas.
_CHAR_GRAMS = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), lowercase=True).build_analyzer()


_WORDS = re.compile(r"[A-Za-z]+")


def _grams(text: str) -> list[str]:
    """English function words ("the", "near", "after") go first: English descriptions are few, so
    their grams weigh heavily, and two faults must not look alike for sharing "the"."""
    text = _WORDS.sub(lambda word: "" if word.group().lower() in ENGLISH_STOP_WORDS else word.group(), text)
    return [gram for gram in _CHAR_GRAMS(text) if any(c.isalnum() for c in gram)]


class PartRecommender:
    def __init__(self, history: Sequence[PastTicket]):
        self.history = [t for t in history if t.parts and t.description.strip()]
        self._by_model: dict[str | None, Counter] = defaultdict(Counter)
        self._overall: Counter = Counter()
        for ticket in self.history:
            for part in set(ticket.parts):
                self._by_model[ticket.model][part] += 1
                self._overall[part] += 1
        self._vectorizer = TfidfVectorizer(analyzer=_grams, sublinear_tf=True)
        self._matrix = (
            self._vectorizer.fit_transform([t.description for t in self.history]) if self.history else None
        )
        self._models = np.array([t.model or "" for t in self.history], dtype=object)

    def __len__(self) -> int:
        return len(self.history)

    def recommend(self, description: str, model: str | None, k: int = 3) -> list[Recommendation]:
        """Up to `k` parts, best first: by similar past tickets, topped up from the model's and then
        the plant's most used parts."""
        found = self._by_similarity(description, model)
        chosen = {r.sku for r in found}
        known_model = bool(model) and model in self._by_model
        top_ups = [(MODEL, self._by_model.get(model, Counter()))] + (
            [] if known_model else [(OVERALL, self._overall)]
        )
        for basis, counts in top_ups:
            for sku, uses in counts.most_common():
                if len(found) >= k:
                    break
                if sku not in chosen:
                    found.append(Recommendation(sku, 0.0, basis, uses=uses))
                    chosen.add(sku)
        return found[:k]

    def _by_similarity(self, description: str, model: str | None) -> list[Recommendation]:
        if self._matrix is None or not description.strip():
            return []
        query = self._vectorizer.transform([description])
        similarity = (self._matrix @ query.T).toarray().ravel()  # rows are L2-normalised: cosine
        same = self._models == (model or "")
        weight = np.where(same, SAME_MODEL_WEIGHT, 1.0) if model else 1.0
        floor = np.where(same, MIN_SIMILARITY, OTHER_MODEL_MIN) if model else MIN_SIMILARITY
        fits = self._by_model.get(model) if model else None  # the parts used on the model, if any
        votes = similarity * weight
        nearest = np.argsort(-votes)[:NEIGHBOURS]
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[Evidence]] = defaultdict(list)
        for index in nearest:
            if similarity[index] < (floor[index] if model else floor):
                continue
            ticket = self.history[index]
            for part in set(ticket.parts):
                if fits and part not in fits:
                    continue
                scores[part] += float(votes[index]) ** 2  # a close neighbour outweighs several vague ones
                if len(evidence[part]) < EVIDENCE:
                    evidence[part].append(
                        Evidence(ticket.ref, round(float(similarity[index]), 3), ticket.description)
                    )
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [Recommendation(sku, round(score, 3), SIMILAR, evidence[sku]) for sku, score in ranked]
