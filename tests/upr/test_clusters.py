"""Similar recommendations grouped over the real 2010 and 2020 recommendations, and the national team's edits
surviving a recomputation."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from upr.clusters import compute_clusters, stem, terms
from upr.loaders import load_review_data
from upr.models import Recommendation, RecommendationCluster


@pytest.fixture
def real(db):
    load_review_data()  # computes the clusters too


def _rec(paragraph: str) -> Recommendation:
    return Recommendation.objects.select_related("cluster").get(paragraph=paragraph)


def test_words_are_reduced_to_what_makes_the_ask():
    assert stem("institutions") == "institution" and stem("policies") == "policy" and stem("abolishing") == "abolish"
    assert terms("Consider abolishing the death penalty (Ireland); Ensure it (Chile)") == [
        "abolish",
        "death",
        "penalty",
    ]


def test_the_same_ask_across_reviews_and_states_is_one_cluster(real):
    # A national human rights institution under the Paris Principles: asked in 2010 and again in 2020.
    nhri = _rec("26.93").cluster
    assert nhri is not None
    members = set(nhri.recommendations.values_list("cycle__number", "paragraph"))
    assert {(1, "92.72"), (3, "26.93"), (3, "26.95")} <= members
    # Abolishing the death penalty, 2010 and 2020.
    assert _rec("92.125").cluster == _rec("26.211").cluster
    # Different asks stay apart, and a one-off ask is in no cluster.
    assert _rec("26.93").cluster != _rec("92.125").cluster
    sizes = [c.recommendations.count() for c in RecommendationCluster.objects.all()]
    assert min(sizes) >= 2 and max(sizes) < 40
    assert Recommendation.objects.filter(cluster=None).count() > 300


def test_computing_again_keeps_clusters_labels_and_what_the_national_team_placed(real):
    before = dict(Recommendation.objects.values_list("pk", "cluster_id"))
    again = compute_clusters()
    assert dict(Recommendation.objects.values_list("pk", "cluster_id")) == before
    assert again.created == 0 and again.removed == 0

    cluster = _rec("26.93").cluster
    cluster.label = "A national human rights institution"
    cluster.label_edited = True
    cluster.save()
    moved = _rec("92.125")  # the national team moves it into the NHRI cluster, by mistake or on purpose
    moved.cluster, moved.cluster_pinned = cluster, True
    moved.save()
    loner = Recommendation.objects.filter(cluster=None).first()
    loner.cluster_pinned = True  # placed in no cluster, deliberately
    loner.save()

    compute_clusters()

    after = dict(Recommendation.objects.values_list("pk", "cluster_id"))
    assert after[moved.pk] == cluster.pk and after[loner.pk] is None
    assert RecommendationCluster.objects.get(pk=cluster.pk).label == "A national human rights institution"
    # The NHRI cluster keeps its members (its first recommendation did not move).
    assert {pk for pk, c in before.items() if c == cluster.pk} <= {pk for pk, c in after.items() if c == cluster.pk}


def test_the_command_reports_the_clusters(real):
    out = io.StringIO()
    call_command("cluster_recommendations", stdout=out)
    assert f"{RecommendationCluster.objects.count()} clusters hold" in out.getvalue()


def test_the_admin_moves_a_recommendation_and_pins_it_and_computes_again(real, superuser_client):
    rec = _rec("92.125")
    target = _rec("26.93").cluster
    response = superuser_client.get(f"/admin/upr/recommendation/{rec.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"themes", "affected_groups", "sdgs"}}
    data.update(cycle=rec.cycle_id, cluster=target.pk, themes=[t.pk for t in rec.themes.all()])
    response = superuser_client.post(f"/admin/upr/recommendation/{rec.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rec.refresh_from_db()
    assert (rec.cluster_id, rec.cluster_pinned) == (target.pk, True)

    response = superuser_client.post("/admin/upr/recommendationcluster/compute/", follow=True)
    assert "clusters hold" in response.content.decode()
    assert _rec("92.125").cluster_id == target.pk
    page = superuser_client.get(f"/admin/upr/recommendationcluster/{target.pk}/change/")
    assert page.status_code == 200 and "92.125" in page.content.decode()
