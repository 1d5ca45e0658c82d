from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from upr.models import AffectedGroup, Milestone, Recommendation, ReviewCycle, SustainableDevelopmentGoal, Theme


def public_cycles() -> QuerySet[ReviewCycle]:
    """Every review cycle, with how many of its recommendations the portal holds: all of it is public."""
    return ReviewCycle.objects.with_imported_count().order_by("number")


def public_milestones(*, cycle=None) -> QuerySet[Milestone]:
    """Milestones meant for everyone (those for organizers or the national team stay off public surfaces)."""
    milestones = Milestone.objects.public().select_related("cycle")
    if cycle is not None:
        milestones = milestones.filter(cycle=cycle)
    return milestones.order_by("date", "pk")


def public_themes() -> QuerySet[Theme]:
    return Theme.objects.order_by("position", "name")


def public_affected_groups() -> QuerySet[AffectedGroup]:
    return AffectedGroup.objects.all()


def public_sdgs() -> QuerySet[SustainableDevelopmentGoal]:
    return SustainableDevelopmentGoal.objects.order_by("number")


def filter_recommendations(
    *, q: str = "", cycle=None, theme=None, response: str = "", affected=None, sdg=None, state: str = ""
) -> QuerySet[Recommendation]:
    """The recommendations page's list (all of them are public), filtered; `state` is part of a recommending
    state's name ("Cuba")."""
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
    if state:
        qs = qs.filter(recommending_states__icontains=state)
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
