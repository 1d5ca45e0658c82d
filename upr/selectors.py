from __future__ import annotations

from django.db.models import Q, QuerySet

from upr.models import Recommendation


def filter_recommendations(*, q: str = "", cycle=None, theme=None, response: str = "") -> QuerySet[Recommendation]:
    qs = Recommendation.objects.for_listing()
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if response:
        qs = qs.filter(response=response)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(recommending_states__icontains=q) | Q(paragraph=q))
    return qs.order_by("-cycle__number", "sort_key")
