"""Group recommendations that make the same ask, from many states and across reviews ("asked 4 times since 2010").

The grouping is computed from the texts: each text becomes a TF-IDF vector of its stemmed words (the states in
brackets, common words and the verbs every recommendation uses are left out), and recommendations are taken in
review order, each joining the cluster whose first recommendation it is most similar to (cosine similarity at
least `THRESHOLD`) or starting its own. Comparing with a cluster's first recommendation, not with any member,
keeps chains of small resemblances from gluing unrelated asks together.

The national team has the last word: a recommendation they placed (`cluster_pinned`) stays where they put it,
a label they wrote (`label_edited`) is kept, and computing again reuses the clusters that most members already
had, so addresses and edits survive.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from upr.models import Recommendation, RecommendationCluster

THRESHOLD = 0.45
LABEL_LENGTH = 120
WORD = re.compile(r"[a-z]+")
STATES_IN_BRACKETS = re.compile(r"\([^()]*\)")
STOPWORDS = frozenset(
    """a about above after all also an and any are as at be been being by can for from has have in into is it its
    more most no not of on or other our such than that the their them these this those through to under united
    states us usa which while who will with within without further its own all including particular
    continue continued consider take taking adopt ensure ensuring strengthen strengthening efforts effort
    measures measure necessary appropriate steps step promote promoting guarantee implement implementing
    improve undertake redouble intensify pursue make country national federal level levels""".split()  # noqa: SIM905
)


def stem(word: str) -> str:
    """A light English stemmer: enough for plural and verb forms of the same ask to meet."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + replacement
    return word


def terms(text: str) -> list[str]:
    words = WORD.findall(STATES_IN_BRACKETS.sub(" ", text.casefold()))
    return [stem(w) for w in words if w not in STOPWORDS and len(w) > 2]


def _vectors(texts: dict[int, str]) -> dict[int, dict[str, float]]:
    counted = {pk: Counter(terms(text)) for pk, text in texts.items()}
    documents = Counter(term for counts in counted.values() for term in counts)
    total = len(counted) or 1
    vectors = {}
    for pk, counts in counted.items():
        vector = {t: (1 + math.log(n)) * math.log(1 + total / documents[t]) for t, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors[pk] = {t: v / norm for t, v in vector.items()}
    return vectors


def similarity(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


@dataclass
class _Group:
    leader: int
    members: list[int] = field(default_factory=list)


def group(texts: dict[int, str], order: list[int]) -> list[_Group]:
    """Groups of the recommendations in `order` (each joins the most similar group's first member, or leads one)."""
    vectors = _vectors(texts)
    groups: list[_Group] = []
    for pk in order:
        best, best_score = None, THRESHOLD
        for candidate in groups:
            score = similarity(vectors[pk], vectors[candidate.leader])
            if score >= best_score:
                best, best_score = candidate, score
        if best is None:
            groups.append(_Group(leader=pk, members=[pk]))
        else:
            best.members.append(pk)
    return groups


def _label(text: str) -> str:
    text = STATES_IN_BRACKETS.sub("", text).strip().rstrip(";.")
    if len(text) <= LABEL_LENGTH:
        return text
    return text[: LABEL_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;") + "…"


@dataclass
class ClusterResult:
    clusters: int
    clustered: int
    created: int
    removed: int


def compute_clusters() -> ClusterResult:
    """Group every recommendation again, keeping what the national team placed and wrote. One transaction."""
    with transaction.atomic():
        recs = list(
            Recommendation.objects.select_for_update()
            .order_by("cycle__number", "sort_key")
            .only("pk", "text", "cluster_id", "cluster_pinned")
        )
        # What the national team placed stays put and is left out of the computation.
        pinned = {r.pk: r.cluster_id for r in recs if r.cluster_pinned}
        free = [r for r in recs if not r.cluster_pinned]
        current = {r.pk: r.cluster_id for r in free}
        groups = group({r.pk: r.text for r in free}, [r.pk for r in free])
        texts = {r.pk: r.text for r in recs}

        existing = {c.pk: c for c in RecommendationCluster.objects.select_for_update()}
        used: set[int] = set()
        assignment: dict[int, int | None] = {pk: cluster_id for pk, cluster_id in pinned.items() if cluster_id}
        created = 0
        for g in groups:
            if len(g.members) < 2:
                assignment[g.members[0]] = None
                continue
            # Reuse the cluster most of its members already had, so a recomputation keeps addresses and labels.
            votes = Counter(current[pk] for pk in g.members if current[pk] is not None and current[pk] not in used)
            cluster_id = votes.most_common(1)[0][0] if votes else None
            if cluster_id is None or cluster_id not in existing:
                cluster = RecommendationCluster.objects.create(label=_label(texts[g.leader]))
                existing[cluster.pk] = cluster
                cluster_id = cluster.pk
                created += 1
            else:
                cluster = existing[cluster_id]
                if not cluster.label_edited and cluster.label != _label(texts[g.leader]):
                    cluster.label = _label(texts[g.leader])
                    cluster.save(update_fields=["label"])
            used.add(cluster_id)
            for pk in g.members:
                assignment[pk] = cluster_id
        for rec in recs:
            if rec.pk not in pinned and rec.cluster_id != assignment.get(rec.pk):
                rec.cluster_id = assignment.get(rec.pk)
                rec.save(update_fields=["cluster"])
        # A cluster nobody is in any more goes, unless the national team named it (they may fill it by hand).
        used |= {cluster_id for cluster_id in pinned.values() if cluster_id}
        removed, _ = (
            RecommendationCluster.objects.exclude(pk__in=used).filter(label_edited=False, recommendations=None).delete()
        )
    return ClusterResult(
        clusters=len(used),
        clustered=sum(1 for v in assignment.values() if v is not None),
        created=created,
        removed=removed,
    )
