from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from portal.cache import public_page
from upr.forms import RecommendationFilterForm
from upr.selectors import filter_recommendations, recommendation_page

PAGE_SIZE = 25


@public_page(form=RecommendationFilterForm, query=("page",))
def recommendation_list(request: HttpRequest) -> HttpResponse:
    form = RecommendationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    recommendations = filter_recommendations(**{k: v for k, v in filters.items() if v})
    page = Paginator(recommendations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    cycle = filters.get("cycle")
    return render(
        request,
        "upr/recommendation_list.html",
        {
            "form": form,
            "page": page,
            "querystring": query.urlencode(),
            # A review whose recommendations are not imported yet is said to be so, not shown as "no match".
            "not_imported": cycle if cycle is not None and cycle.awaits_import else None,
        },
    )


@public_page
def recommendation_detail(request: HttpRequest, cycle: int, paragraph: str) -> HttpResponse:
    recommendation = recommendation_page(cycle, paragraph)
    if recommendation is None:
        raise Http404
    members = recommendation.cluster.members if recommendation.cluster else []
    return render(
        request,
        "upr/recommendation_detail.html",
        {
            "rec": recommendation,
            "others": [m for m in members if m.pk != recommendation.pk],
            "times_asked": len(members),
            "first_asked": members[0].cycle if members else None,
        },
    )
