from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from upr.models import Recommendation


def filter_recommendations(
    *, q: str = "", cycle=None, theme=None, response: str = "", affected=None, sdg=None
) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.for_listing()
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if affected is not None:
        qs = qs.filter(affected_groups=affected)
    if sdg is not None:
        qs = qs.filter(sdgs=sdg)
    if response:
        qs = qs.filter(response=response)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(recommending_states__icontains=q) | Q(paragraph=q))
    return qs.order_by("-cycle__number", "sort_key")


def recommendation_page(cycle_number: int, paragraph: str) -> Recommendation | None:
    """One recommendation with what its page shows, the others of its cluster (oldest first) included."""
    others = Recommendation.objects.select_related("cycle").order_by("cycle__number", "sort_key")
    return (
        Recommendation.objects.for_listing()
        .select_related("cluster")
        .prefetch_related(Prefetch("cluster__recommendations", queryset=others, to_attr="members"))
        .filter(cycle__number=cycle_number, paragraph=paragraph)
        .first()
    )
